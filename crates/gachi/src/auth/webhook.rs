//! Kakao's unlink webhook (`POST|GET /webhooks/kakao/unlink`): the user left Gachi from their
//! Kakao account (or Kakao removed them). Verified by `Authorization: KakaoAK {admin key}`
//! (compared in constant time); their tokens and sessions are removed at once. Kakao wants a
//! 200 within 3 seconds, also for users we do not know.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;
use crate::web::csrf::constant_time_eq;
use crate::web::error::AppError;

pub async fn unlink(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let Some(admin_key) = state.admin_key.as_deref() else {
        return AppError::NotFound.into_response();
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let expected = format!("KakaoAK {admin_key}");
    if !constant_time_eq(presented.as_bytes(), expected.as_bytes()) {
        tracing::warn!("unlink webhook with a wrong key refused");
        return AppError::Refused(StatusCode::UNAUTHORIZED, "unauthorized").into_response();
    }
    // Query string (GET), form body or JSON body (POST): Kakao's docs allow each.
    let mut params: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(q.as_deref().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(&body) {
        for (k, v) in map {
            params.insert(k, v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()));
        }
    } else {
        params.extend(url::form_urlencoded::parse(&body).into_owned());
    }
    let Some(kakao_id) = params.get("user_id").and_then(|u| u.parse::<i64>().ok()) else {
        return AppError::Refused(StatusCode::BAD_REQUEST, "validation").into_response();
    };
    match state.store.mark_unlinked(kakao_id, state.now_ms()).await {
        Ok(found) => {
            state.metrics.unlink_webhook();
            tracing::info!(
                known = found.is_some(),
                referrer = params.get("referrer_type").map(String::as_str).unwrap_or(""),
                "Kakao unlink"
            );
            StatusCode::OK.into_response()
        }
        Err(e) => AppError::internal(e).into_response(),
    }
}
