//! Message image upload (§8, §14.10): `POST /v2/api/talk/message/image/upload` stores a JPG,
//! PNG or GIF of at most 5 MB and answers `{"infos":{"original":{url,length,content_type,
//! width,height}}}`; the sandbox then serves the image at that URL for `image_retention_days`.
//!
//! `store` is shared with image scrap (`image_scrap.rs`), which checks fetched bytes the same way.
//!
//! Width and height come from the file's own header (PNG IHDR, GIF screen descriptor, JPEG SOF),
//! which is also how the format is recognised: the declared content type is not trusted.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use kakao::wire::{ImageInfo, ImageInfos, ImageUploadResponse};

use crate::Sandbox;
use crate::http::{json as ok_json, kapi};
use crate::state::State as SandboxState;

/// Kakao's per-image limit.
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;
/// The request-body limit of the upload route: above the image limit, so oversize files get
/// Kakao's `-602` rather than a bare 413.
pub const BODY_LIMIT: usize = 8 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct StoredImage {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub uploaded_at: Timestamp,
}

/// An image's format and pixel size, read from its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sniffed {
    pub content_type: &'static str,
    pub ext: &'static str,
    pub width: u32,
    pub height: u32,
}

pub fn sniff(b: &[u8]) -> Option<Sniffed> {
    let be16 = |i: usize| {
        b.get(i..i + 2)
            .map(|s| u32::from(u16::from_be_bytes([s[0], s[1]])))
    };
    let le16 = |i: usize| {
        b.get(i..i + 2)
            .map(|s| u32::from(u16::from_le_bytes([s[0], s[1]])))
    };
    let be32 = |i: usize| {
        b.get(i..i + 4)
            .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    };
    if b.starts_with(b"\x89PNG\r\n\x1a\n") && b.get(12..16) == Some(b"IHDR") {
        return Some(Sniffed {
            content_type: "image/png",
            ext: "png",
            width: be32(16)?,
            height: be32(20)?,
        });
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Some(Sniffed {
            content_type: "image/gif",
            ext: "gif",
            width: le16(6)?,
            height: le16(8)?,
        });
    }
    if b.starts_with(&[0xFF, 0xD8]) {
        // Walk the segments to the first start-of-frame marker.
        let mut i = 2;
        while i + 4 <= b.len() {
            if b[i] != 0xFF {
                return None;
            }
            let marker = b[i + 1];
            if marker == 0xFF {
                i += 1;
                continue;
            }
            if marker == 0xD8 || (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
                i += 2;
                continue;
            }
            let len = be16(i + 2)? as usize;
            let is_sof = (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker);
            if is_sof {
                return Some(Sniffed {
                    content_type: "image/jpeg",
                    ext: "jpg",
                    height: be16(i + 5)?,
                    width: be16(i + 7)?,
                });
            }
            i += 2 + len;
        }
    }
    None
}

/// Who may upload: a user's token, or any of the app's keys as `KakaoAK` (the JS key only
/// from a registered JavaScript SDK domain when the browser names its origin).
pub(crate) fn check_auth(st: &SandboxState, headers: &HeaderMap, now: Timestamp) -> Result<(), Response> {
    let value = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let Some((scheme, credential)) = value.and_then(|v| v.trim().split_once(' ')) else {
        return Err(kapi(400, -8, "authorization header is missing or malformed."));
    };
    let credential = credential.trim();
    if scheme.eq_ignore_ascii_case("Bearer") {
        return match st.access.get(credential) {
            Some(rec) if rec.expires_at > now => Ok(()),
            Some(_) => Err(kapi(401, -401, "this access token is already expired")),
            None => Err(kapi(401, -401, "this access token does not exist")),
        };
    }
    if scheme.eq_ignore_ascii_case("KakaoAK") {
        let app = &st.app;
        if credential == app.javascript_key {
            if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok())
                && !app.is_js_domain(origin.trim_end_matches('/'))
            {
                return Err(kapi(
                    401,
                    -401,
                    format!("domain mismatched! caller={origin} check out registered web domains."),
                ));
            }
            return Ok(());
        }
        if credential == app.rest_api_key || credential == app.admin_key {
            return Ok(());
        }
        return Err(kapi(
            401,
            -401,
            "wrong appKey format or this appKey is not registered.",
        ));
    }
    Err(kapi(400, -8, "authorization header is missing or malformed."))
}

/// `POST /v2/api/talk/message/image/upload` (CORS comes from `browser_calls`).
pub async fn upload(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let now = sb.clock().now();
    if let Err(resp) = check_auth(&sb.lock(), &headers, now) {
        return resp;
    }
    let Ok(mut multipart) = multipart else {
        return kapi(400, -2, "The Parameter [file] cannot be null.");
    };
    let mut file: Option<Vec<u8>> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return too_large();
            }
            Err(_) => return kapi(400, -2, "the multipart body is malformed."),
        };
        if field.name() != Some("file") {
            continue;
        }
        if file.is_some() {
            // The response has room for one image (UNCERTAIN how Kakao counts).
            return kapi(400, -606, "too many images.");
        }
        match field.bytes().await {
            Ok(b) => file = Some(b.to_vec()),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return too_large(),
            Err(_) => return kapi(400, -2, "the multipart body is malformed."),
        }
    }
    let Some(bytes) = file else {
        return kapi(400, -2, "The Parameter [file] cannot be null.");
    };
    store(&sb, bytes, now)
}

/// Checks an image as Kakao does (size `-602`, format `-911`), keeps it and answers `infos`.
pub(crate) fn store(sb: &Sandbox, bytes: Vec<u8>, now: Timestamp) -> Response {
    if bytes.len() > MAX_IMAGE_BYTES {
        return too_large();
    }
    let Some(kind) = sniff(&bytes) else {
        return kapi(400, -911, "unsupported image format. (jpg, png and gif only)");
    };
    let id = kakao::random_token(18);
    let length = bytes.len() as u64;
    let mut st = sb.lock();
    let url = format!("{}/_sandbox/images/{id}.{}", st.base_url, kind.ext);
    st.images.insert(
        id,
        StoredImage {
            bytes,
            content_type: kind.content_type,
            uploaded_at: now,
        },
    );
    ok_json(ImageUploadResponse {
        infos: ImageInfos {
            original: ImageInfo {
                url,
                length,
                content_type: kind.content_type.to_owned(),
                width: kind.width,
                height: kind.height,
            },
        },
    })
}

fn too_large() -> Response {
    kapi(400, -602, "image size exceeds the maximum allowed (5MB).")
}

/// `GET /_sandbox/images/{id}.{ext}`: a stored image until its retention ends.
pub async fn serve_image(State(sb): State<Sandbox>, Path(file): Path<String>) -> Response {
    let id = file.split('.').next().unwrap_or_default();
    let now = sb.clock().now();
    let st = sb.lock();
    let Some(img) = st.images.get(id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let keep = SignedDuration::from_hours(st.app.settings.image_retention_days.saturating_mul(24));
    if now.duration_since(img.uploaded_at) > keep {
        return StatusCode::NOT_FOUND.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, img.content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        img.bytes.clone(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_give_format_and_size() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&800u32.to_be_bytes());
        png.extend_from_slice(&400u32.to_be_bytes());
        let s = sniff(&png).unwrap();
        assert_eq!((s.content_type, s.width, s.height), ("image/png", 800, 400));
        let gif = b"GIF89a\x20\x03\x90\x01".to_vec();
        assert_eq!(sniff(&gif).map(|s| (s.width, s.height)), Some((800, 400)));
        // SOI, an APP0 of length 4, then SOF0 with height 400 and width 800.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x90, 0x03,
            0x20,
        ];
        assert_eq!(
            sniff(&jpeg).map(|s| (s.ext, s.width, s.height)),
            Some(("jpg", 800, 400))
        );
        assert_eq!(sniff(b"BM not an image"), None);
    }
}
