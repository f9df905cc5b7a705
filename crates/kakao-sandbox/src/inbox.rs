//! Each sandbox user's KakaoTalk inbox: where messages and Talk Shares land, as JSON for tests
//! (`GET /_admin/inbox/{id}`) and as a KakaoTalk-like page for people (`GET /_inbox/{id}`).
//!
//! Cards are rendered from the `kakao` crate's typed templates; askama escapes every text, and
//! only `http(s)` links become links (a template could carry `javascript:` URLs).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};
use kakao::wire::{Button, Content, Link, TemplateObject};
use serde::Serialize;
use serde_json::{Value, json};

use crate::Sandbox;
use crate::http::{json as ok_json, page};

/// The KakaoTalk chat a message arrived in (named as Kakao's `CHAT_TYPE` values).
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ChatType {
    /// 나와의 채팅: send-to-me, or a share into one's own chat.
    MemoChat,
    /// A one-to-one chat with the sender.
    DirectChat,
    /// A group chat (Talk Share only).
    MultiChat,
}

impl ChatType {
    pub fn as_str(self) -> &'static str {
        match self {
            ChatType::MemoChat => "MemoChat",
            ChatType::DirectChat => "DirectChat",
            ChatType::MultiChat => "MultiChat",
        }
    }
}

/// One received card.
#[derive(Clone, Debug)]
pub struct InboxMessage {
    pub id: i64,
    /// The sending user, `None` in one's own chat.
    pub from: Option<i64>,
    pub chat: ChatType,
    pub template: Value,
    pub received_at: Timestamp,
}

/// Instants on the wire are RFC 3339 with an offset; the sandbox speaks KST.
pub fn kst(ts: Timestamp) -> String {
    let offset = Offset::from_hours(9).unwrap_or(Offset::UTC);
    ts.to_zoned_datetime(TimeZone::fixed(offset))
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// `GET /_admin/inbox/{user_id}` → `{"messages":[{"id","from","chat","template","received_at"}]}`,
/// newest first.
pub async fn admin_inbox(State(sb): State<Sandbox>, Path(user_id): Path<i64>) -> Response {
    let st = sb.lock();
    if !st.users.contains_key(&user_id) {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"error": "not_found", "message": "no such user"})),
        )
            .into_response();
    }
    let messages: Vec<Value> = st
        .inbox
        .get(&user_id)
        .map(|list| {
            list.iter()
                .rev()
                .map(|m| {
                    json!({
                        "id": m.id,
                        "from": m.from,
                        "chat": m.chat.as_str(),
                        "template": m.template,
                        "received_at": kst(m.received_at),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    ok_json(json!({ "messages": messages }))
}

pub struct ButtonView {
    pub title: String,
    pub url: Option<String>,
}

pub struct ItemView {
    pub title: String,
    pub description: String,
    pub image_url: Option<String>,
    pub url: Option<String>,
}

/// One card as the page shows it.
pub struct CardView {
    pub id: i64,
    pub kind: String,
    pub chat_label: String,
    pub sender: String,
    pub sender_image: String,
    pub mine: bool,
    pub time: String,
    pub title: String,
    pub description: String,
    pub image_url: Option<String>,
    pub url: Option<String>,
    pub text: String,
    pub items: Vec<ItemView>,
    pub extra: String,
    pub buttons: Vec<ButtonView>,
}

#[derive(Template)]
#[template(path = "inbox.html")]
pub struct InboxPage {
    pub base_path: String,
    pub app_name: String,
    pub nickname: String,
    pub user_id: i64,
    pub cards: Vec<CardView>,
}

/// Only web links are followed; anything else (`javascript:`, app schemes) is shown unlinked.
pub fn safe_url(url: Option<&str>) -> Option<String> {
    let url = url?.trim();
    let parsed = url::Url::parse(url).ok()?;
    matches!(parsed.scheme(), "http" | "https").then(|| parsed.to_string())
}

fn link_url(link: &Link) -> Option<String> {
    safe_url(link.web_url.as_deref()).or_else(|| safe_url(link.mobile_web_url.as_deref()))
}

fn buttons(list: &[Button], fallback_title: Option<&str>, fallback: Option<&Link>) -> Vec<ButtonView> {
    if list.is_empty() {
        // Kakao shows one default button ("자세히 보기" or `button_title`) linking the card.
        return fallback
            .map(|link| {
                vec![ButtonView {
                    title: fallback_title.unwrap_or("자세히 보기").to_owned(),
                    url: link_url(link),
                }]
            })
            .unwrap_or_default();
    }
    list.iter()
        .map(|b| ButtonView {
            title: b.title.clone(),
            url: link_url(&b.link),
        })
        .collect()
}

fn fill_content(card: &mut CardView, c: &Content) {
    card.title = c.title.clone().unwrap_or_default();
    card.description = c.description.clone().unwrap_or_default();
    card.image_url = safe_url(c.image_url.as_deref());
    card.url = link_url(&c.link);
}

fn card(sb_users: &crate::state::State, m: &InboxMessage, owner: i64) -> CardView {
    let sender_id = m.from.unwrap_or(owner);
    let sender = sb_users.users.get(&sender_id);
    let offset = Offset::from_hours(9).unwrap_or(Offset::UTC);
    let mut view = CardView {
        id: m.id,
        kind: "unknown".into(),
        chat_label: match m.chat {
            ChatType::MemoChat => "나와의 채팅".to_owned(),
            _ => format!(
                "{}님과의 채팅",
                sender.map(|u| u.nickname.as_str()).unwrap_or("알 수 없음")
            ),
        },
        sender: sender.map(|u| u.nickname.clone()).unwrap_or_default(),
        sender_image: sender.map(|u| u.thumbnail_image_url.clone()).unwrap_or_default(),
        mine: m.from.is_none(),
        time: m
            .received_at
            .to_zoned_datetime(TimeZone::fixed(offset))
            .strftime("%m/%d %H:%M")
            .to_string(),
        title: String::new(),
        description: String::new(),
        image_url: None,
        url: None,
        text: String::new(),
        items: Vec::new(),
        extra: String::new(),
        buttons: Vec::new(),
    };
    let Ok(template) = serde_json::from_value::<TemplateObject>(m.template.clone()) else {
        view.text = m.template.to_string();
        return view;
    };
    match &template {
        TemplateObject::Feed(t) => {
            view.kind = "feed".into();
            fill_content(&mut view, &t.content);
            view.buttons = buttons(&t.buttons, t.button_title.as_deref(), Some(&t.content.link));
        }
        TemplateObject::List(t) => {
            view.kind = "list".into();
            view.title = t.header_title.clone();
            view.url = link_url(&t.header_link);
            view.items = t
                .contents
                .iter()
                .map(|c| ItemView {
                    title: c.title.clone().unwrap_or_default(),
                    description: c.description.clone().unwrap_or_default(),
                    image_url: safe_url(c.image_url.as_deref()),
                    url: link_url(&c.link),
                })
                .collect();
            view.buttons = buttons(&t.buttons, t.button_title.as_deref(), Some(&t.header_link));
        }
        TemplateObject::Location(t) => {
            view.kind = "feed".into();
            fill_content(&mut view, &t.content);
            view.extra = format!("📍 {}", t.address);
            view.buttons = buttons(&t.buttons, t.button_title.as_deref(), Some(&t.content.link));
        }
        TemplateObject::Commerce(t) => {
            view.kind = "feed".into();
            fill_content(&mut view, &t.content);
            let unit = t.commerce.currency_unit.clone().unwrap_or_else(|| "원".into());
            let price = t.commerce.discount_price.unwrap_or(t.commerce.regular_price);
            view.extra = format!("{price}{unit}");
            view.buttons = buttons(&t.buttons, t.button_title.as_deref(), Some(&t.content.link));
        }
        TemplateObject::Text(t) => {
            view.kind = "text".into();
            view.text = t.text.clone();
            view.url = link_url(&t.link);
            view.buttons = buttons(&t.buttons, t.button_title.as_deref(), Some(&t.link));
        }
        TemplateObject::Calendar(t) => {
            view.kind = "feed".into();
            fill_content(&mut view, &t.content);
            view.buttons = buttons(&t.buttons, None, Some(&t.content.link));
        }
    }
    view
}

/// `GET /_inbox/{user_id}`: the user's KakaoTalk, newest card first.
pub async fn inbox_page(State(sb): State<Sandbox>, Path(user_id): Path<i64>) -> Response {
    let st = sb.lock();
    let Some(user) = st.users.get(&user_id) else {
        return (StatusCode::NOT_FOUND, "no such sandbox user").into_response();
    };
    let cards = st
        .inbox
        .get(&user_id)
        .map(|list| list.iter().rev().map(|m| card(&st, m, user_id)).collect())
        .unwrap_or_default();
    let view = InboxPage {
        base_path: st.base_path(),
        app_name: st.app.name.clone(),
        nickname: user.nickname.clone(),
        user_id,
        cards,
    };
    drop(st);
    page(StatusCode::OK, &view)
}
