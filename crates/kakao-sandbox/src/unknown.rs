//! Answers for paths and methods the sandbox does not serve, in the shape of the host the path
//! stands for: Kakao answers JSON everywhere, so a client's error handling sees a body it can
//! parse (a kapi `{"msg","code"}`, a kauth `{"error","error_description","error_code"}`), never
//! an empty 404. The exact code Kakao uses for an unknown path is undocumented
//! (docs/sandbox-uncertainties.md).

use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::browser_calls::{Area, area};
use crate::http::{kapi, kauth};

fn answer(status: StatusCode, method: &Method, uri: &Uri) -> Response {
    let path = uri.path();
    let what = if status == StatusCode::METHOD_NOT_ALLOWED {
        format!("{method} is not supported for {path}")
    } else {
        format!("There is no API for {method} {path}")
    };
    match area(path) {
        Area::Kapi => kapi(status.as_u16(), -1, format!("{what}.")),
        Area::Kauth => kauth(status.as_u16(), "invalid_request", what, "KOE002"),
        Area::Sandbox => (
            status,
            axum::Json(
                json!({"error": "not_found", "message": format!("no sandbox route: {method} {path}")}),
            ),
        )
            .into_response(),
    }
}

pub async fn not_found(method: Method, uri: Uri) -> Response {
    answer(StatusCode::NOT_FOUND, &method, &uri)
}

pub async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    answer(StatusCode::METHOD_NOT_ALLOWED, &method, &uri)
}
