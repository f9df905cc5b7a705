//! The shell's static files, built into the binary: the design system's stylesheet, the small
//! progressive script (confirm dialogs, the event form's helpers, the toast), the web app
//! manifest and its icons. The stylesheet and script are named by a hash of their content
//! (`/assets/app.3f2a….css`), so they can be cached for a year and a new build is fetched at
//! once: pages always name the current file.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;
use crate::web::error::AppError;

const CSS: &str = include_str!("../../static/app.css");
const JS: &str = include_str!("../../static/app.js");
const ICON_SVG: &str = include_str!("../../static/icon.svg");
const ICON_192: &[u8] = include_bytes!("../../static/icon-192.png");
const ICON_512: &[u8] = include_bytes!("../../static/icon-512.png");

/// A year: the name changes whenever the content does.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Icons and the manifest keep their names (launchers store them), so they are revalidated.
const DAILY: &str = "public, max-age=86400";

fn hashed(prefix: &str, body: &str, ext: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, body.as_bytes());
    let hex: String = digest.as_ref()[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}.{hex}.{ext}")
}

static CSS_NAME: LazyLock<String> = LazyLock::new(|| hashed("app", CSS, "css"));
static JS_NAME: LazyLock<String> = LazyLock::new(|| hashed("app", JS, "js"));

/// `/assets/app.<hash>.css`, for base.html.
pub fn css_url() -> String {
    format!("/assets/{}", *CSS_NAME)
}

/// `/assets/app.<hash>.js`, for base.html.
pub fn js_url() -> String {
    format!("/assets/{}", *JS_NAME)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assets/{file}", get(asset))
        .route("/manifest.webmanifest", get(manifest))
}

async fn asset(Path(file): Path<String>) -> Result<Response, AppError> {
    let (content_type, cache, body): (&str, &str, Vec<u8>) = match file.as_str() {
        f if f == CSS_NAME.as_str() => ("text/css; charset=utf-8", IMMUTABLE, CSS.into()),
        f if f == JS_NAME.as_str() => ("application/javascript; charset=utf-8", IMMUTABLE, JS.into()),
        "icon.svg" => ("image/svg+xml", DAILY, ICON_SVG.into()),
        "icon-192.png" => ("image/png", DAILY, ICON_192.into()),
        "icon-512.png" => ("image/png", DAILY, ICON_512.into()),
        _ => return Err(AppError::not_found()),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response())
}

/// The web app manifest: "add to home screen" opens Gachi full screen with its own icon.
async fn manifest() -> Response {
    let body = serde_json::json!({
        "name": "같이 Gachi",
        "short_name": "같이",
        "lang": "ko",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f2f4f6",
        "theme_color": "#5b4de0",
        "icons": [
            {"src": "/assets/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
            {"src": "/assets/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any maskable"},
            {"src": "/assets/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
        ],
    });
    (
        [
            (header::CONTENT_TYPE, "application/manifest+json"),
            (header::CACHE_CONTROL, DAILY),
        ],
        body.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_content() {
        assert!(css_url().starts_with("/assets/app.") && css_url().ends_with(".css"));
        assert_ne!(hashed("app", "a", "css"), hashed("app", "b", "css"));
        assert_eq!(hashed("app", "a", "css"), hashed("app", "a", "css"));
    }
}
