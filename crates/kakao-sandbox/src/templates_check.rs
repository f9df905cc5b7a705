//! Template validation (§7): what Kakao accepts as a default template's `template_object`.
//!
//! Checks the object types, their required fields, links, buttons (≤ 2, calendar ≤ 1), list
//! contents (2–3) and the size limit, then reads the object into the `kakao` crate's typed
//! [`TemplateObject`] so the sandbox and the client agree on the shape. Kakao's exact `-2`
//! messages for bad templates are not documented; these say what is wrong.

use kakao::wire::TemplateObject;
use serde_json::{Map, Value};

/// The largest template Kakao takes (the JS SDK's 10,000-character limit; REST assumed the same).
pub const MAX_TEMPLATE_CHARS: usize = 10_000;

const OBJECT_TYPES: [&str; 6] = ["feed", "list", "location", "commerce", "text", "calendar"];
const LINK_KEYS: [&str; 4] = [
    "web_url",
    "mobile_web_url",
    "android_execution_params",
    "ios_execution_params",
];

/// Validates a `template_object` given as its JSON text.
pub fn check_text(raw: &str) -> Result<(Value, TemplateObject), String> {
    if raw.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(format!(
            "template_object exceeds the message size limit ({MAX_TEMPLATE_CHARS} characters)."
        ));
    }
    let value: Value =
        serde_json::from_str(raw).map_err(|_| "template_object is not a valid JSON object.".to_owned())?;
    let typed = check(&value)?;
    Ok((value, typed))
}

/// Validates a template object already parsed from JSON.
pub fn check(value: &Value) -> Result<TemplateObject, String> {
    let obj = value
        .as_object()
        .ok_or_else(|| "template_object must be a JSON object.".to_owned())?;
    if value.to_string().chars().count() > MAX_TEMPLATE_CHARS {
        return Err(format!(
            "template_object exceeds the message size limit ({MAX_TEMPLATE_CHARS} characters)."
        ));
    }
    let object_type = obj.get("object_type").and_then(Value::as_str).unwrap_or("");
    if !OBJECT_TYPES.contains(&object_type) {
        return Err(format!(
            "object_type must be one of ({}).",
            OBJECT_TYPES.join(", ")
        ));
    }
    let max_buttons = if object_type == "calendar" { 1 } else { 2 };
    match object_type {
        "feed" => content(obj, "content")?,
        "list" => {
            string(obj, "header_title")?;
            link(obj.get("header_link"), "header_link")?;
            let contents = obj
                .get("contents")
                .and_then(Value::as_array)
                .ok_or("contents is required for a list template.")?;
            if !(2..=3).contains(&contents.len()) {
                return Err(format!(
                    "a list template needs 2 to 3 contents, got {}.",
                    contents.len()
                ));
            }
            for (i, c) in contents.iter().enumerate() {
                content_object(c, &format!("contents[{i}]"))?;
            }
        }
        "location" => {
            content(obj, "content")?;
            string(obj, "address")?;
        }
        "commerce" => {
            content(obj, "content")?;
            let commerce = obj
                .get("commerce")
                .and_then(Value::as_object)
                .ok_or("commerce is required for a commerce template.")?;
            if !commerce.get("regular_price").is_some_and(Value::is_i64) {
                return Err("commerce.regular_price is required and must be an integer.".into());
            }
        }
        "text" => {
            string(obj, "text")?;
            link(obj.get("link"), "link")?;
        }
        _ => {
            let id_type = obj.get("id_type").and_then(Value::as_str).unwrap_or("");
            if id_type != "event" && id_type != "calendar" {
                return Err("id_type must be event or calendar.".into());
            }
            string(obj, "id")?;
            content(obj, "content")?;
        }
    }
    if let Some(buttons) = obj.get("buttons") {
        let buttons = buttons.as_array().ok_or("buttons must be an array.")?;
        if buttons.len() > max_buttons {
            return Err(format!("size of buttons should be up to {max_buttons}."));
        }
        for (i, b) in buttons.iter().enumerate() {
            let b = b
                .as_object()
                .ok_or_else(|| format!("buttons[{i}] must be an object."))?;
            string(b, "title").map_err(|_| format!("buttons[{i}].title is required."))?;
            link(b.get("link"), &format!("buttons[{i}].link"))?;
        }
    }
    serde_json::from_value::<TemplateObject>(value.clone())
        .map_err(|e| format!("template_object is invalid: {e}"))
}

fn string(obj: &Map<String, Value>, key: &str) -> Result<(), String> {
    match obj.get(key).and_then(Value::as_str) {
        Some(s) if !s.trim().is_empty() => Ok(()),
        _ => Err(format!("{key} is required.")),
    }
}

fn link(value: Option<&Value>, name: &str) -> Result<(), String> {
    let Some(obj) = value.and_then(Value::as_object) else {
        return Err(format!("{name} is required."));
    };
    let has_one = LINK_KEYS
        .iter()
        .any(|k| obj.get(*k).and_then(Value::as_str).is_some_and(|s| !s.is_empty()));
    if has_one {
        Ok(())
    } else {
        Err(format!("{name} needs at least one of {}.", LINK_KEYS.join(", ")))
    }
}

fn content(obj: &Map<String, Value>, key: &str) -> Result<(), String> {
    match obj.get(key) {
        Some(c) => content_object(c, key),
        None => Err(format!("{key} is required.")),
    }
}

fn content_object(value: &Value, name: &str) -> Result<(), String> {
    let obj = value
        .as_object()
        .ok_or_else(|| format!("{name} must be an object."))?;
    let shown = ["title", "image_url", "description"]
        .iter()
        .any(|k| obj.get(*k).and_then(Value::as_str).is_some_and(|s| !s.is_empty()));
    if !shown {
        return Err(format!("{name} needs a title, image_url or description."));
    }
    link(obj.get("link"), &format!("{name}.link"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn feed(buttons: usize) -> Value {
        let button = json!({"title": "보기", "link": {"web_url": "https://example.com"}});
        json!({"object_type": "feed",
            "content": {"title": "t", "link": {"web_url": "https://example.com"}},
            "buttons": vec![button; buttons]})
    }

    #[test]
    fn feeds_take_two_buttons_at_most() {
        assert!(check(&feed(2)).is_ok());
        assert!(check(&feed(3)).unwrap_err().contains("up to 2"));
    }

    #[test]
    fn required_fields_and_list_sizes() {
        assert!(check(&json!({"object_type": "feed", "content": {"title": "t"}})).is_err());
        assert!(check(&json!({"object_type": "poster"})).is_err());
        assert!(check(&json!({"object_type": "text", "text": "hi"})).is_err());
        assert!(
            check(&json!({"object_type": "text", "text": "hi", "link": {"web_url": "https://x"}})).is_ok()
        );
        let item = json!({"title": "a", "link": {"web_url": "https://x"}});
        let list = |n: usize| {
            json!({"object_type": "list", "header_title": "h", "header_link": {"web_url": "https://x"},
                "contents": vec![item.clone(); n]})
        };
        assert!(check(&list(1)).is_err());
        assert!(check(&list(2)).is_ok());
        assert!(check(&list(4)).is_err());
        let big = "x".repeat(MAX_TEMPLATE_CHARS);
        assert!(
            check(&json!({"object_type": "text", "text": big, "link": {"web_url": "https://x"}})).is_err()
        );
    }
}
