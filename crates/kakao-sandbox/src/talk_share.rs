//! Kakao Talk Share (§9, §11.3, §14.11): a stand-in for Kakao's JavaScript SDK
//! (`GET /_sdk/kakao.js`), the sharer's chat picker (`/_sandbox/share/…`), delivery into the
//! chosen chat, the daily share quota (error 4006) and the share webhook.
//!
//! As at Kakao, the SDK POSTs the share to the picker in a popup; the page learns nothing of
//! where it went. The picker checks the JavaScript key (4003), the page's origin against the
//! key's registered domains (-401 "domain mismatched!"), the template (4002) and the quota.
//! A person picks who they are and which chat (나와의 채팅 or a friend), and the card lands in
//! that inbox. With `serverCallbackArgs`, the share webhook is called once, without retry.

use std::collections::BTreeMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::Value;

use crate::Sandbox;
use crate::http::{page, params, redirect};
use crate::inbox::ChatType;
use crate::state::State as SandboxState;

/// The SDK stand-in, served as `/_sdk/kakao.js`.
const SDK: &str = include_str!("sdk/kakao.js");

/// A share waiting for the person to pick a chat.
#[derive(Clone, Debug)]
pub struct PendingShare {
    pub template: Value,
    pub template_id: Option<String>,
    /// `serverCallbackArgs`, each value as a string.
    pub callback_args: Option<BTreeMap<String, String>>,
    pub created_at: Timestamp,
}

pub async fn sdk() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        SDK,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "share_error.html")]
struct ShareErrorPage {
    code: String,
    message: String,
}

fn share_error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    page(
        status,
        &ShareErrorPage {
            code: code.to_owned(),
            message: message.into(),
        },
    )
}

/// The page's origin, from `Origin` (sent with every cross-origin or same-origin POST by
/// browsers) or else `Referer`.
fn caller_origin(headers: &HeaderMap) -> Option<String> {
    if let Some(o) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok())
        && o != "null"
    {
        return Some(o.to_owned());
    }
    let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok())?;
    let url = url::Url::parse(referer).ok()?;
    Some(url.origin().ascii_serialization())
}

fn callback_args(raw: Option<&String>) -> Result<Option<BTreeMap<String, String>>, String> {
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return Ok(None);
    };
    let value: Value = serde_json::from_str(raw).map_err(|_| "serverCallbackArgs must be JSON".to_owned())?;
    let obj = value.as_object().ok_or("serverCallbackArgs must be an object")?;
    Ok(Some(
        obj.iter()
            .map(|(k, v)| {
                let s = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), s)
            })
            .collect(),
    ))
}

/// `POST /_sandbox/share/picker`: what the SDK submits (`app_key`, `validation_action`,
/// `validation_params`, `lcba`); checks it, then sends the popup to the picker.
pub async fn start(State(sb): State<Sandbox>, headers: HeaderMap, body: Bytes) -> Response {
    let p = params(None, &body);
    let now = sb.clock().now();
    let mut st = sb.lock();
    if p.get("app_key").map(String::as_str) != Some(st.app.javascript_key.as_str()) {
        return share_error(
            StatusCode::BAD_REQUEST,
            "4003",
            "잘못된 앱 키입니다. (wrong app key)",
        );
    }
    let origin = caller_origin(&headers).unwrap_or_else(|| "unknown".into());
    if !st
        .app
        .js_domains
        .iter()
        .any(|d| d.trim_end_matches('/') == origin)
    {
        return share_error(
            StatusCode::UNAUTHORIZED,
            "-401",
            format!("domain mismatched! caller={origin} check out registered web domains."),
        );
    }
    let validation: Value = match p.get("validation_params").map(|v| serde_json::from_str(v)) {
        Some(Ok(v)) => v,
        _ => {
            return share_error(
                StatusCode::BAD_REQUEST,
                "4002",
                "validation_params is missing or not JSON.",
            );
        }
    };
    let (template, template_id) = match p.get("validation_action").map(String::as_str) {
        Some("default") => {
            let t = validation.get("template_object").cloned().unwrap_or(Value::Null);
            (t, None)
        }
        Some("custom") => {
            let id = match validation.get("template_id") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => return share_error(StatusCode::BAD_REQUEST, "4002", "template_id is required."),
            };
            let Some(stored) = st.app.message_templates.get(&id) else {
                return share_error(
                    StatusCode::BAD_REQUEST,
                    "4002",
                    format!("template_id {id} is not a template of this app."),
                );
            };
            let args: BTreeMap<String, String> = validation
                .get("template_args")
                .and_then(|a| serde_json::from_value(a.clone()).ok())
                .unwrap_or_default();
            (crate::messages::fill(stored, &args), Some(id))
        }
        _ => {
            return share_error(
                StatusCode::BAD_REQUEST,
                "4002",
                "validation_action must be default or custom.",
            );
        }
    };
    if let Err(msg) = crate::templates_check::check(&template) {
        return share_error(StatusCode::BAD_REQUEST, "4002", msg);
    }
    let args = match callback_args(p.get("lcba")) {
        Ok(a) => a,
        Err(msg) => return share_error(StatusCode::BAD_REQUEST, "4002", msg),
    };
    let (quotas, offset) = (st.app.quotas.clone(), st.app.settings.quota_day_utc_offset_hours);
    if !st.quotas.share_fits(&quotas, now, offset) {
        return quota_error();
    }
    let id = kakao::random_token(16);
    st.shares.insert(
        id.clone(),
        PendingShare {
            template,
            template_id,
            callback_args: args,
            created_at: now,
        },
    );
    let base = st.base_path();
    drop(st);
    redirect_see_other(&format!("{base}/_sandbox/share/{id}"))
}

fn quota_error() -> Response {
    share_error(
        StatusCode::BAD_REQUEST,
        "4006",
        "카카오톡 공유 무료 사용량을 초과했습니다. (free Kakao Talk Sharing quota exceeded)",
    )
}

fn redirect_see_other(location: &str) -> Response {
    let mut resp = redirect(location);
    *resp.status_mut() = StatusCode::SEE_OTHER;
    resp
}

pub struct ChatChoice {
    /// `memo` or the friend's id.
    pub value: String,
    pub label: String,
    pub image: String,
    pub memo: bool,
}

pub struct PickerPerson {
    pub id: i64,
    pub nickname: String,
    pub image: String,
}

#[derive(Template)]
#[template(path = "share_picker.html")]
struct PickerPage {
    base_path: String,
    share_id: String,
    app_name: String,
    card_title: String,
    card_description: String,
    card_image: Option<String>,
    /// Step 1: who is sharing.
    people: Vec<PickerPerson>,
    /// Step 2: into which chat.
    sharer: Option<PickerPerson>,
    chats: Vec<ChatChoice>,
}

#[derive(Deserialize)]
pub struct PickerQuery {
    #[serde(rename = "as")]
    sharer: Option<i64>,
}

fn preview(template: &Value) -> (String, String, Option<String>) {
    let content = template
        .get("content")
        .or_else(|| template.get("contents").and_then(|c| c.get(0)));
    let text = |v: Option<&Value>, k: &str| {
        v.and_then(|c| c.get(k))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let title = if template.get("text").is_some() {
        text(Some(template), "text")
    } else if template.get("header_title").is_some() {
        text(Some(template), "header_title")
    } else {
        text(content, "title")
    };
    let image = crate::inbox::safe_url(content.and_then(|c| c.get("image_url")).and_then(Value::as_str));
    (title, text(content, "description"), image)
}

/// `GET /_sandbox/share/{id}`: who are you (step 1), then `?as=` which chat (step 2).
pub async fn picker(
    State(sb): State<Sandbox>,
    Path(id): Path<String>,
    Query(q): Query<PickerQuery>,
) -> Response {
    let st = sb.lock();
    let Some(share) = st.shares.get(&id) else {
        return share_error(
            StatusCode::NOT_FOUND,
            "4041",
            "공유 요청이 없거나 이미 보냈습니다. (unknown or already sent)",
        );
    };
    let (card_title, card_description, card_image) = preview(&share.template);
    let person = |u: &crate::state::User| PickerPerson {
        id: u.id,
        nickname: u.nickname.clone(),
        image: u.thumbnail_image_url.clone(),
    };
    let sharer = q.sharer.and_then(|s| st.users.get(&s)).filter(|u| u.talk_user);
    let (people, chats) = match sharer {
        None => (
            st.users.values().filter(|u| u.talk_user).map(person).collect(),
            Vec::new(),
        ),
        Some(me) => {
            let mut chats = vec![ChatChoice {
                value: "memo".into(),
                label: "나와의 채팅".into(),
                image: me.thumbnail_image_url.clone(),
                memo: true,
            }];
            chats.extend(
                me.friends
                    .iter()
                    .filter(|f| !me.blocked.contains(f))
                    .filter_map(|f| st.users.get(f))
                    .filter(|f| f.talk_user)
                    .map(|f| ChatChoice {
                        value: f.id.to_string(),
                        label: f.nickname.clone(),
                        image: f.thumbnail_image_url.clone(),
                        memo: false,
                    }),
            );
            (Vec::new(), chats)
        }
    };
    let view = PickerPage {
        base_path: st.base_path(),
        share_id: id,
        app_name: st.app.name.clone(),
        card_title,
        card_description,
        card_image,
        people,
        sharer: sharer.map(person),
        chats,
    };
    drop(st);
    page(StatusCode::OK, &view)
}

#[derive(Template)]
#[template(path = "share_done.html")]
struct DonePage {
    base_path: String,
    chat_label: String,
    inbox_user: i64,
    webhook_status: String,
}

/// A stable, opaque id of a chat, as Kakao's `HASH_CHAT_ID`.
fn hash_chat_id(app_id: i64, a: i64, b: i64) -> String {
    let (lo, hi) = (a.min(b), a.max(b));
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        format!("chat:{app_id}:{lo}:{hi}").as_bytes(),
    );
    URL_SAFE_NO_PAD.encode(&digest.as_ref()[..18])
}

/// `POST /_sandbox/share/{id}/send` (`as`, `chat`): delivers, counts, calls the webhook.
pub async fn send(State(sb): State<Sandbox>, Path(id): Path<String>, body: Bytes) -> Response {
    let p = params(None, &body);
    let now = sb.clock().now();
    let sharer = p.get("as").and_then(|v| v.parse::<i64>().ok());
    let chat = p.get("chat").cloned().unwrap_or_default();
    let delivered = {
        let mut st = sb.lock();
        match deliver(&mut st, &id, sharer, &chat, now) {
            Ok(d) => d,
            Err(resp) => return resp,
        }
    };
    let webhook_status = match &delivered.webhook {
        None => "none".to_owned(),
        Some(call) => match call_webhook(&sb, call).await {
            Some(status) => status.to_string(),
            None => "no answer".to_owned(),
        },
    };
    let base_path = sb.lock().base_path();
    page(
        StatusCode::OK,
        &DonePage {
            base_path,
            chat_label: delivered.chat_label,
            inbox_user: delivered.inbox_user,
            webhook_status,
        },
    )
}

struct Delivered {
    chat_label: String,
    inbox_user: i64,
    webhook: Option<WebhookCall>,
}

struct WebhookCall {
    url: String,
    method: String,
    admin_key: String,
    resource_id: String,
    params: Vec<(String, String)>,
}

fn deliver(
    st: &mut SandboxState,
    id: &str,
    sharer: Option<i64>,
    chat: &str,
    now: Timestamp,
) -> Result<Delivered, Response> {
    let Some(me) = sharer.and_then(|s| st.users.get(&s)).filter(|u| u.talk_user) else {
        return Err(share_error(
            StatusCode::BAD_REQUEST,
            "4012",
            "카카오톡 사용자를 고르세요. (pick a KakaoTalk user)",
        ));
    };
    let me_id = me.id;
    let (to, from, chat_type, label) = if chat == "memo" {
        (me_id, None, ChatType::MemoChat, "나와의 채팅".to_owned())
    } else {
        let Some(friend) = chat
            .parse::<i64>()
            .ok()
            .filter(|f| me.friends.contains(f))
            .and_then(|f| st.users.get(&f))
        else {
            return Err(share_error(
                StatusCode::BAD_REQUEST,
                "4002",
                "그 채팅방이 없습니다. (no such chat)",
            ));
        };
        (
            friend.id,
            Some(me_id),
            ChatType::DirectChat,
            friend.nickname.clone(),
        )
    };
    let (quotas, offset) = (st.app.quotas.clone(), st.app.settings.quota_day_utc_offset_hours);
    if !st.quotas.share_fits(&quotas, now, offset) {
        return Err(quota_error());
    }
    let Some(share) = st.shares.remove(id) else {
        return Err(share_error(
            StatusCode::NOT_FOUND,
            "4041",
            "공유 요청이 없거나 이미 보냈습니다. (unknown or already sent)",
        ));
    };
    st.quotas.record_share();
    st.deliver(to, from, chat_type, share.template.clone(), now);
    let webhook = match (&share.callback_args, &st.app.share_webhook_url) {
        (Some(args), Some(url)) if !url.is_empty() => {
            let mut params = vec![
                ("CHAT_TYPE".to_owned(), chat_type.as_str().to_owned()),
                ("HASH_CHAT_ID".to_owned(), hash_chat_id(st.app.app_id, me_id, to)),
            ];
            if let Some(tid) = &share.template_id {
                params.push(("TEMPLATE_ID".into(), tid.clone()));
            }
            params.extend(args.iter().map(|(k, v)| (k.clone(), v.clone())));
            Some(WebhookCall {
                url: url.clone(),
                method: st.app.settings.share_webhook_method.to_ascii_uppercase(),
                admin_key: st.app.admin_key.clone(),
                resource_id: kakao::random_token(12),
                params,
            })
        }
        _ => None,
    };
    Ok(Delivered {
        chat_label: label,
        inbox_user: to,
        webhook,
    })
}

/// Calls the share webhook once (no retry, 3 s timeout); the app's status, if it answered.
async fn call_webhook(sb: &Sandbox, call: &WebhookCall) -> Option<u16> {
    let http = sb.inner.http()?;
    let req = if call.method == "GET" {
        http.get(&call.url).query(&call.params)
    } else {
        http.post(&call.url).form(&call.params)
    };
    let resp = req
        .header(header::AUTHORIZATION, format!("KakaoAK {}", call.admin_key))
        .header("X-Kakao-Resource-ID", &call.resource_id)
        .header(header::USER_AGENT, "KakaoOpenAPI/1.0")
        .send()
        .await
        .ok()?;
    Some(resp.status().as_u16())
}

#[derive(Template)]
#[template(path = "share_demo.html")]
struct DemoPage {
    base_path: String,
    base_url: String,
    javascript_key: String,
    origin_registered_hint: Vec<String>,
}

/// `GET /_sandbox/share-demo`: a page that shares a feed card with the stand-in SDK (its origin
/// must be among `js_domains`, as at Kakao).
pub async fn demo(State(sb): State<Sandbox>) -> Response {
    let st = sb.lock();
    let view = DemoPage {
        base_path: st.base_path(),
        base_url: st.base_url.clone(),
        javascript_key: st.app.javascript_key.clone(),
        origin_registered_hint: st.app.js_domains.clone(),
    };
    drop(st);
    page(StatusCode::OK, &view)
}
