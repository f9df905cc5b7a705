//! The Message API (§6, §14.8): send to me (memo) and send to friends, with the default template
//! (`template_object`), a custom one (`template_id` from `app.message_templates`) or a scrap of
//! a page on a registered web domain (`request_url`).
//!
//! Friends sends check consent (`-402`), the receiver list (Kakao's exact `-2` messages), each
//! receiver (`-502` not a visible friend, `-530` private profile) and the quotas, deliver one
//! card per receiver that passed, and answer with successes plus `failure_info` grouped by
//! code, or, when every receiver failed, with the error body of the first failure.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use kakao::wire::{FailureInfo, FriendsSendResponse, KapiErrorBody, MemoSendResponse};
use serde_json::Value;

use crate::Sandbox;
use crate::friends::visible_friend_ids;
use crate::http::{json as ok_json, kapi, kapi_error, params};
use crate::inbox::ChatType;
use crate::kapi_auth::{authenticate, require_scope};
use crate::state::State as SandboxState;
use crate::templates_check::check_text;

/// Kakao's receiver limit per call.
const MAX_RECEIVERS: usize = 5;

#[derive(Clone, Copy)]
enum Source {
    Default,
    Custom,
    Scrap,
}

impl Source {
    /// The `api_type` of a memo send's `-402`/`-3`. Kakao documents `TALK_MEMO_DEFAULT_SEND` for
    /// the default template; the custom template's value follows Kakao's naming of its paths
    /// (docs/sandbox-uncertainties.md).
    fn memo_api_type(self) -> &'static str {
        match self {
            Source::Default => "TALK_MEMO_DEFAULT_SEND",
            Source::Custom => "TALK_MEMO_SEND",
            Source::Scrap => "TALK_MEMO_SCRAP_SEND",
        }
    }
}

pub async fn memo_default(sb: State<Sandbox>, headers: HeaderMap, q: RawQuery, body: Bytes) -> Response {
    memo(sb, headers, q, body, Source::Default)
}

pub async fn memo_custom(sb: State<Sandbox>, headers: HeaderMap, q: RawQuery, body: Bytes) -> Response {
    memo(sb, headers, q, body, Source::Custom)
}

pub async fn memo_scrap(sb: State<Sandbox>, headers: HeaderMap, q: RawQuery, body: Bytes) -> Response {
    memo(sb, headers, q, body, Source::Scrap)
}

pub async fn friends_scrap(sb: State<Sandbox>, headers: HeaderMap, q: RawQuery, body: Bytes) -> Response {
    friends_send(sb, headers, q, body, Source::Scrap)
}

pub async fn friends_default(sb: State<Sandbox>, headers: HeaderMap, q: RawQuery, body: Bytes) -> Response {
    friends_send(sb, headers, q, body, Source::Default)
}

pub async fn friends_custom(sb: State<Sandbox>, headers: HeaderMap, q: RawQuery, body: Bytes) -> Response {
    friends_send(sb, headers, q, body, Source::Custom)
}

/// The caller behind a user token; admin-key calls cannot send messages.
fn user_caller(
    st: &SandboxState,
    headers: &HeaderMap,
    p: &std::collections::HashMap<String, String>,
    now: jiff::Timestamp,
) -> Result<i64, Response> {
    match authenticate(st, headers, p, now) {
        Ok(c) if c.token.is_some() => Ok(c.user_id),
        Ok(_) => Err(kapi(401, -401, "this API needs a user's access token.")),
        Err(resp) => Err(resp),
    }
}

/// The template to deliver, from `template_object` or `template_id` + `template_args`.
fn template(
    st: &SandboxState,
    p: &std::collections::HashMap<String, String>,
    source: Source,
) -> Result<Value, Response> {
    match source {
        Source::Default => {
            let Some(raw) = p.get("template_object") else {
                return Err(kapi(400, -2, "The Parameter [template_object] cannot be null."));
            };
            check_text(raw)
                .map(|(value, _)| value)
                .map_err(|msg| kapi(400, -2, msg))
        }
        Source::Scrap => scrap_card(st, p),
        Source::Custom => {
            let Some(id) = p.get("template_id") else {
                return Err(kapi(400, -2, "The Parameter [template_id] cannot be null."));
            };
            let Some(stored) = st.app.message_templates.get(id.trim()) else {
                return Err(kapi(
                    400,
                    -2,
                    format!("template_id [{id}] is not a template of this app."),
                ));
            };
            let args: BTreeMap<String, String> = match p.get("template_args") {
                None => BTreeMap::new(),
                Some(raw) => serde_json::from_str(raw)
                    .map_err(|_| kapi(400, -2, "template_args must be a JSON object of strings."))?,
            };
            let filled = fill(stored, &args);
            crate::templates_check::check(&filled).map_err(|msg| kapi(400, -2, msg))?;
            Ok(filled)
        }
    }
}

/// A scrap message's card: the page at `request_url` (which must be on a registered web domain)
/// as a feed card linking to it, or the custom `template_id` filled with `template_args`. The
/// sandbox does not read the page's OG tags (docs/sandbox-uncertainties.md); the card keeps
/// `request_url` so a test can see what was scrapped.
fn scrap_card(st: &SandboxState, p: &std::collections::HashMap<String, String>) -> Result<Value, Response> {
    let Some(url) = p.get("request_url").map(|u| u.trim()).filter(|u| !u.is_empty()) else {
        return Err(kapi(400, -2, "The Parameter [request_url] cannot be null."));
    };
    let origin = url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .map_err(|_| {
            kapi(
                400,
                -2,
                "Constraints on the parameter [request_url] are unsatisfied. invalid url format.",
            )
        })?;
    let registered = st.app.is_js_domain(&origin)
        || st
            .app
            .web_domains
            .iter()
            .any(|d| d.trim_end_matches('/') == origin);
    if !registered {
        return Err(kapi(
            400,
            -2,
            format!("request_url's domain [{origin}] is not a registered web domain of the app."),
        ));
    }
    let mut card = if p.contains_key("template_id") {
        template(st, p, Source::Custom)?
    } else {
        serde_json::json!({
            "object_type": "feed",
            "content": {"title": url, "link": {"web_url": url, "mobile_web_url": url}},
        })
    };
    if let Some(obj) = card.as_object_mut() {
        obj.insert("request_url".into(), Value::String(url.to_owned()));
    }
    Ok(card)
}

/// Replaces `${key}` in every string of a custom template with its argument.
pub(crate) fn fill(value: &Value, args: &BTreeMap<String, String>) -> Value {
    match value {
        Value::String(s) => {
            let mut out = s.clone();
            for (k, v) in args {
                out = out.replace(&format!("${{{k}}}"), v);
            }
            Value::String(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| fill(v, args)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), fill(v, args))).collect()),
        other => other.clone(),
    }
}

fn memo(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
    source: Source,
) -> Response {
    let p = params(q.as_deref(), &body);
    let now = sb.clock().now();
    let mut st = sb.lock();
    let caller = match user_caller(&st, &headers, &p, now) {
        Ok(id) => id,
        Err(resp) => return resp,
    };
    if let Err(resp) = require_scope(&st, caller, "talk_message", source.memo_api_type()) {
        return resp;
    }
    if !st.users.get(&caller).is_some_and(|u| u.talk_user) {
        return kapi(400, -501, "NotKakaoTalkUserException");
    }
    let template = match template(&st, &p, source) {
        Ok(t) => t,
        Err(resp) => return resp,
    };
    if st.app.settings.memo_counts_in_quota {
        let (quotas, offset) = (st.app.quotas.clone(), st.app.settings.quota_day_utc_offset_hours);
        if let Err(e) = st.quotas.check(&quotas, now, offset, caller, caller) {
            return kapi(400, e.code, e.msg);
        }
        st.quotas.record(caller, caller);
    }
    st.deliver(caller, None, ChatType::MemoChat, template, now);
    ok_json(MemoSendResponse { result_code: 0 })
}

const INVALID_FORMAT: &str = "Constraints on the parameter [receiver_uuids] are unsatisfied. The input receiver id(s) is invalid format.";

/// The receiver list with Kakao's `-2` messages for every way it can be wrong.
fn receivers(st: &SandboxState, caller: i64, raw: Option<&String>) -> Result<Vec<(String, i64)>, Response> {
    let Some(raw) = raw else {
        return Err(kapi(400, -2, "The Parameter [receiver_uuids] cannot be null."));
    };
    let Ok(list) = serde_json::from_str::<Vec<String>>(raw.trim()) else {
        return Err(kapi(400, -2, INVALID_FORMAT));
    };
    if list.is_empty() {
        return Err(kapi(400, -2, "The Parameter [receiver_uuids] cannot be empty."));
    }
    let mut unique: Vec<String> = Vec::new();
    for uuid in list {
        if !unique.contains(&uuid) {
            unique.push(uuid);
        }
    }
    if unique.len() > MAX_RECEIVERS {
        // Kakao documents no text for this one (UNCERTAIN).
        return Err(kapi(
            400,
            -2,
            "Constraints on the parameter [receiver_uuids] are unsatisfied. The number of receivers must be 5 or less.",
        ));
    }
    let mine = st.users.get(&caller).map(|u| u.uuid.as_str()).unwrap_or("");
    if unique.iter().any(|u| u == mine) {
        return Err(kapi(
            400,
            -2,
            "Cannot contain a receiver who is identical to the sender in multicast mode.",
        ));
    }
    unique
        .into_iter()
        .map(|uuid| match st.user_by_uuid(&uuid).map(|u| u.id) {
            Some(id) => Ok((uuid, id)),
            None => Err(kapi(400, -2, INVALID_FORMAT)),
        })
        .collect()
}

fn friends_send(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
    source: Source,
) -> Response {
    let p = params(q.as_deref(), &body);
    let now = sb.clock().now();
    let mut st = sb.lock();
    let caller = match user_caller(&st, &headers, &p, now) {
        Ok(id) => id,
        Err(resp) => return resp,
    };
    if let Err(resp) = require_scope(&st, caller, "talk_message", "TALK_MESSAGE_SEND") {
        return resp;
    }
    if !st.users.get(&caller).is_some_and(|u| u.talk_user) {
        return kapi(400, -501, "NotKakaoTalkUserException");
    }
    let targets = match receivers(&st, caller, p.get("receiver_uuids")) {
        Ok(t) => t,
        Err(resp) => return resp,
    };
    let template = match template(&st, &p, source) {
        Ok(t) => t,
        Err(resp) => return resp,
    };

    let visible = visible_friend_ids(&st, caller);
    let talk_friends = st
        .users
        .get(&caller)
        .map(|u| u.friends.clone())
        .unwrap_or_default();
    let (quotas, offset) = (st.app.quotas.clone(), st.app.settings.quota_day_utc_offset_hours);
    let mut successful = Vec::new();
    let mut failures: Vec<FailureInfo> = Vec::new();
    for (uuid, receiver) in targets {
        let private = st
            .users
            .get(&receiver)
            .is_some_and(|r| talk_friends.contains(&receiver) && r.talk_user && !r.profile_public);
        // Kakao's texts for -502 and -530 are not documented (UNCERTAIN).
        let failure = if private {
            Some((-530, "the receiver does not accept messages (private profile)."))
        } else if !visible.contains(&receiver) {
            Some((-502, "the receiver is not a friend of the sender in this app."))
        } else {
            st.quotas
                .check(&quotas, now, offset, caller, receiver)
                .err()
                .map(|e| (e.code, e.msg))
        };
        match failure {
            None => {
                st.quotas.record(caller, receiver);
                st.deliver(
                    receiver,
                    Some(caller),
                    ChatType::DirectChat,
                    template.clone(),
                    now,
                );
                successful.push(uuid);
            }
            Some((code, msg)) => match failures.iter_mut().find(|f| f.code == code) {
                Some(group) => group.receiver_uuids.push(uuid),
                None => failures.push(FailureInfo {
                    code,
                    msg: msg.to_owned(),
                    receiver_uuids: vec![uuid],
                }),
            },
        }
    }

    if successful.is_empty()
        && st.app.settings.all_receivers_fail_as_error
        && let Some(first) = failures.first()
    {
        let mut body = KapiErrorBody::new(first.code, first.msg.clone());
        body.receiver_uuids = Some(first.receiver_uuids.clone());
        return kapi_error(StatusCode::BAD_REQUEST, body);
    }
    ok_json(FriendsSendResponse {
        successful_receiver_uuids: (!successful.is_empty()).then_some(successful),
        failure_info: (!failures.is_empty()).then_some(failures),
    })
}
