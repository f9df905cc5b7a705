//! What `/v2/user/me` and the admin `/v2/app/users` say about a user: the full document per
//! agreed item, Kakao's `property_keys` selection of it, and `secure_resource` image URLs.
//!
//! Kakao's image URLs are `http://` unless `secure_resource=true` asks for `https://`. The
//! sandbox can only honour that where it is reached over https (its base URL); on a plain-http
//! loopback sandbox both answers stay `http://` so the picture still loads.

use kakao::wire::{ForPartner, KakaoAccount, Profile, UserMe, UserProperties};
use serde_json::{Map, Value};

use crate::state::{Link, State, User};

/// `kakao_account` items a `property_keys` entry may name.
const ACCOUNT_ITEMS: [&str; 13] = [
    "profile",
    "name",
    "email",
    "age_range",
    "birthyear",
    "birthday",
    "gender",
    "phone_number",
    "ci",
    "legal_name",
    "legal_birth_date",
    "legal_gender",
    "is_korean",
];

/// `url` with the scheme `secure_resource` asks for, where the sandbox can serve it.
pub fn image_url(st: &State, url: &str, secure: bool) -> String {
    if !st.base_url.starts_with("https://") {
        return url.to_owned();
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    format!("{}://{rest}", if secure { "https" } else { "http" })
}

/// Whether a request's `secure_resource` parameter is true.
pub fn wants_secure(value: Option<&String>) -> bool {
    value.is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Kakao writes instants as ISO 8601 UTC with whole seconds (`2022-04-11T01:45:28Z`).
pub fn iso_seconds(t: jiff::Timestamp) -> String {
    jiff::Timestamp::from_second(t.as_second())
        .unwrap_or(t)
        .to_string()
}

/// The whole `/v2/user/me` document of a linked user, as JSON.
pub fn document(st: &State, user: &User, link: &Link, secure: bool) -> Value {
    let nick = link.agreed.contains("profile_nickname");
    let img = link.agreed.contains("profile_image");
    let email = link.agreed.contains("account_email");
    let profile_image = image_url(st, &user.profile_image_url, secure);
    let thumbnail = image_url(st, &user.thumbnail_image_url, secure);
    let profile = (nick || img).then(|| Profile {
        nickname: nick.then(|| user.nickname.clone()),
        thumbnail_image_url: img.then(|| thumbnail.clone()),
        profile_image_url: img.then(|| profile_image.clone()),
        is_default_image: img.then_some(false),
        is_default_nickname: nick.then_some(false),
    });
    let message_permission = st.app.friends_message_permission && link.agreed.contains("talk_message");
    let me = UserMe {
        id: user.id,
        has_signed_up: (!st.app.settings.auto_link).then_some(link.signup_complete),
        connected_at: Some(iso_seconds(link.linked_at)),
        synched_at: None,
        properties: (nick || img).then(|| UserProperties {
            nickname: nick.then(|| user.nickname.clone()),
            profile_image: img.then(|| profile_image.clone()),
            thumbnail_image: img.then(|| thumbnail.clone()),
        }),
        kakao_account: Some(KakaoAccount {
            profile_needs_agreement: None,
            profile_nickname_needs_agreement: Some(!nick),
            profile_image_needs_agreement: Some(!img),
            profile,
            email_needs_agreement: user.email.as_ref().map(|_| !email),
            is_email_valid: user.email.as_ref().filter(|_| email).map(|_| true),
            is_email_verified: user.email.as_ref().filter(|_| email).map(|_| true),
            email: user.email.clone().filter(|_| email),
        }),
        for_partner: message_permission.then(|| ForPartner {
            uuid: Some(user.uuid.clone()),
        }),
    };
    let mut value = serde_json::to_value(me).unwrap_or(Value::Null);
    if !link.properties.is_empty()
        && let Some(obj) = value.as_object_mut()
    {
        let props = obj
            .entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(props) = props.as_object_mut() {
            for (k, v) in &link.properties {
                props.insert(k.clone(), Value::String(v.clone()));
            }
        }
    }
    value
}

/// The first `property_keys` entry Kakao would not know, if any.
pub fn unknown_key<'a>(st: &State, keys: &'a [String]) -> Option<&'a String> {
    keys.iter().find(|key| {
        let key = key.as_str();
        let known = match key {
            "properties." | "kakao_account." | "has_signed_up" | "for_partner.uuid" => true,
            _ => {
                if let Some(item) = key.strip_prefix("kakao_account.") {
                    ACCOUNT_ITEMS.contains(&item)
                } else if let Some(prop) = key.strip_prefix("properties.") {
                    ["nickname", "profile_image", "thumbnail_image"].contains(&prop)
                        || st.app.user_properties.iter().any(|p| p == prop)
                } else {
                    false
                }
            }
        };
        !known
    })
}

/// Keeps `id` and `connected_at`, plus what `keys` name (a trailing dot names a whole group;
/// `kakao_account.X` brings `X` with its `X_needs_agreement` and validity flags).
pub fn select(full: &Value, keys: &[String]) -> Value {
    let mut out = Map::new();
    let Some(full) = full.as_object() else {
        return Value::Object(out);
    };
    for always in ["id", "connected_at"] {
        if let Some(v) = full.get(always) {
            out.insert(always.into(), v.clone());
        }
    }
    let empty = Map::new();
    let account = full
        .get("kakao_account")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let props = full
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for key in keys {
        match key.as_str() {
            "kakao_account." => {
                out.insert("kakao_account".into(), Value::Object(account.clone()));
            }
            "properties." if !props.is_empty() => {
                out.insert("properties".into(), Value::Object(props.clone()));
            }
            "has_signed_up" | "for_partner.uuid" => {
                let top = key.split('.').next().unwrap_or(key);
                if let Some(v) = full.get(top) {
                    out.insert(top.into(), v.clone());
                }
            }
            other => {
                if let Some(item) = other.strip_prefix("kakao_account.") {
                    let names = [
                        item.to_owned(),
                        format!("{item}_needs_agreement"),
                        format!("is_{item}_valid"),
                        format!("is_{item}_verified"),
                        format!("{item}_type"),
                    ];
                    let slot = out
                        .entry("kakao_account")
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Some(slot) = slot.as_object_mut() {
                        for (k, v) in account.iter() {
                            let profile_flag = item == "profile" && k.starts_with("profile_");
                            if names.contains(k) || profile_flag {
                                slot.insert(k.clone(), v.clone());
                            }
                        }
                    }
                } else if let Some(prop) = other.strip_prefix("properties.")
                    && let Some(v) = props.get(prop)
                {
                    let slot = out
                        .entry("properties")
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Some(slot) = slot.as_object_mut() {
                        slot.insert(prop.into(), v.clone());
                    }
                }
            }
        }
    }
    Value::Object(out)
}
