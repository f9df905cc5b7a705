//! Image scrap (§8, §14.10): `POST /v2/api/talk/message/image/scrap` with `image_url` fetches
//! an image, checks it like an upload (`-602`, `-911`) and answers the same `infos` shape.
//!
//! Kakao fetches any public URL; the sandbox has no network, so it reads its own pictures and
//! uploaded images directly and fetches only loopback URLs (3 s, Kakao's `-603` on timeout).
//! Anything else is refused with `-2` rather than faked.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::Sandbox;
use crate::http::{kapi, params};
use crate::image_upload::{check_auth, store};

/// Bytes the sandbox serves itself at `url`, if it is one of its own image URLs.
fn own_image(sb: &Sandbox, url: &str) -> Option<Vec<u8>> {
    let st = sb.lock();
    let rest = url
        .strip_prefix(&st.base_url)
        .or_else(|| url.strip_prefix(&st.base_url.replacen("https://", "http://", 1)))?;
    if let Some(avatar) = rest.strip_prefix("/_sandbox/avatar/") {
        let (id, file) = avatar.split_once('/')?;
        let id: i64 = id.parse().ok()?;
        let size = crate::avatar::SIZES
            .into_iter()
            .find(|s| file == format!("img_{s}x{s}.jpg"))?;
        return st
            .users
            .contains_key(&id)
            .then(|| crate::avatar::picture(id, size));
    }
    let file = rest.strip_prefix("/_sandbox/images/")?;
    let id = file.split('.').next()?;
    st.images.get(id).map(|img| img.bytes.clone())
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

pub async fn scrap(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let now = sb.clock().now();
    if let Err(resp) = check_auth(&sb.lock(), &headers, now) {
        return resp;
    }
    let p: HashMap<String, String> = params(q.as_deref(), &body);
    let Some(image_url) = p.get("image_url").map(|u| u.trim()).filter(|u| !u.is_empty()) else {
        return kapi(400, -2, "The Parameter [image_url] cannot be null.");
    };
    let Ok(parsed) = url::Url::parse(image_url) else {
        return kapi(
            400,
            -2,
            "Constraints on the parameter [image_url] are unsatisfied. invalid url format.",
        );
    };
    let bytes = match own_image(&sb, image_url) {
        Some(bytes) => bytes,
        None if is_loopback(&parsed) => match fetch(&sb, parsed).await {
            Ok(bytes) => bytes,
            Err(resp) => return resp,
        },
        None => {
            return kapi(
                400,
                -2,
                "image_url is not reachable from the sandbox: it fetches only its own and loopback URLs.",
            );
        }
    };
    store(&sb, bytes, now)
}

async fn fetch(sb: &Sandbox, url: url::Url) -> Result<Vec<u8>, Response> {
    let timeout = || kapi(400, -603, "timeout while fetching the image.");
    let http = sb.inner.http().ok_or_else(timeout)?;
    let resp = http.get(url).send().await.map_err(|_| timeout())?;
    if !resp.status().is_success() {
        return Err(kapi(
            400,
            -2,
            format!("image_url answered HTTP {}.", resp.status().as_u16()),
        ));
    }
    resp.bytes().await.map(|b| b.to_vec()).map_err(|_| timeout())
}
