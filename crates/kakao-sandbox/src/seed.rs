//! The deterministic demo: one app with fixed keys and five users who are KakaoTalk friends.
//!
//! Deterministic so a restarted sandbox (and a Gachi database that remembers its users) sees
//! the same ids, uuids and keys every time; only tokens are forgotten.

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::app::{App, ConsentKind, Quotas, Settings};
use crate::state::State;

/// Demo users: `(id, nickname)`.
pub const DEMO_USERS: [(i64, &str); 5] = [
    (4_000_000_001, "김민지"),
    (4_000_000_002, "이서준"),
    (4_000_000_003, "박지우"),
    (4_000_000_004, "최하윤"),
    (4_000_000_005, "정도윤"),
];

/// A 32-hex-digit key derived from `label`, shaped like Kakao's keys.
fn key(label: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, format!("gachi-sandbox:{label}").as_bytes());
    digest.as_ref()[..16].iter().map(|b| format!("{b:02x}")).collect()
}

pub fn demo_app() -> App {
    let consent_items = BTreeMap::from([
        ("profile_nickname".to_owned(), ConsentKind::Required),
        ("profile_image".to_owned(), ConsentKind::Optional),
        ("account_email".to_owned(), ConsentKind::Disabled),
        ("friends".to_owned(), ConsentKind::DuringUse),
        ("talk_message".to_owned(), ConsentKind::DuringUse),
        ("talk_calendar".to_owned(), ConsentKind::DuringUse),
    ]);
    App {
        app_id: 1_000_001,
        name: "같이 (Gachi) 샌드박스".into(),
        rest_api_key: key("rest"),
        client_secret: key("secret"),
        client_secret_enabled: true,
        admin_key: key("admin"),
        javascript_key: key("javascript"),
        kakao_login_enabled: true,
        redirect_uris: vec![
            "http://127.0.0.1:8080/auth/kakao/callback".into(),
            "http://localhost:8080/auth/kakao/callback".into(),
        ],
        js_domains: vec!["http://127.0.0.1:8080".into(), "http://localhost:8080".into()],
        oidc_enabled: true,
        is_test_app: false,
        friends_message_permission: false,
        talk_calendar_permission: false,
        members: DEMO_USERS.iter().map(|(id, _)| *id).collect(),
        unlink_webhook_url: None,
        share_webhook_url: None,
        consent_items,
        quotas: Quotas::default(),
        settings: Settings::default(),
        message_templates: BTreeMap::new(),
        user_properties: Vec::new(),
        web_domains: Vec::new(),
    }
}

/// Adds the demo users: app members, linked and signed up, mutual KakaoTalk friends, with
/// `friends` agreed and `talk_message` not (so Gachi asks for it just in time).
pub fn seed_demo_users(st: &mut State, now: Timestamp) {
    for (id, nickname) in DEMO_USERS {
        st.add_user(Some(id), nickname, true, true);
        let scopes = ["profile_nickname", "profile_image", "friends"].map(str::to_owned);
        st.agree(id, &scopes, now);
        crate::kapi_auth::complete_signup(st, id);
    }
    for (a, _) in DEMO_USERS {
        for (b, _) in DEMO_USERS {
            if a != b
                && let Some(user) = st.users.get_mut(&a)
            {
                user.friends.insert(b);
            }
        }
    }
}
