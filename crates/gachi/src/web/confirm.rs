//! Destructive page actions ask first. The page's form carries `data-confirm` and app.js asks in
//! a dialog, then posts with `confirm=yes`; a post without it (no script, an old page, a forged
//! request) does nothing and is answered with a page asking the same question, whose button
//! posts again with `confirm=yes`. The JSON API is unchanged: programs do not need to be asked.

use askama::Template;
use axum::response::Response;
use serde::Deserialize;

use crate::web::error::AppResult;
use crate::web::views::{self, PageCtx};

/// `confirm=yes`, for forms that carry nothing else.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConfirmForm {
    pub confirm: String,
}

/// Whether the form said yes.
pub fn confirmed(value: &str) -> bool {
    value == "yes"
}

#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub ctx: PageCtx,
    /// The question ("공유방을 삭제할까요?").
    pub title: &'static str,
    /// What happens, in a sentence (may be empty).
    pub detail: &'static str,
    /// The button that acts ("삭제하기").
    pub ok: &'static str,
    /// Where the form posts (the same action as the original form).
    pub action: String,
    /// The original form's other fields, posted again.
    pub fields: Vec<(String, String)>,
    /// Where "취소" goes.
    pub back: String,
}

/// The catalogue keys of one question.
pub struct Question {
    pub title: &'static str,
    pub detail: &'static str,
    pub ok: &'static str,
}

/// The confirmation page for `question`, posting `fields` back to `action`.
pub fn ask(
    ctx: PageCtx,
    question: Question,
    action: String,
    fields: Vec<(String, String)>,
    back: String,
) -> AppResult<Response> {
    let page = ConfirmPage {
        title: ctx.tr(question.title),
        detail: if question.detail.is_empty() {
            ""
        } else {
            ctx.tr(question.detail)
        },
        ok: ctx.tr(question.ok),
        ctx,
        action,
        fields,
        back,
    };
    views::render(&page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yes_confirms() {
        assert!(confirmed("yes"));
        for no in ["", "no", "on", "YES ", "true"] {
            assert!(!confirmed(no), "{no:?}");
        }
    }
}
