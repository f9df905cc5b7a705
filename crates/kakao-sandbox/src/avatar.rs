//! Sandbox users' profile pictures, served as JPEG in Kakao's two sizes (640×640 and 110×110,
//! `…/img_640x640.jpg` and `…/img_110x110.jpg` like Kakao's CDN), so an app can show them,
//! scrap them or re-upload them into a message card exactly as it would Kakao's.
//!
//! The picture is a silhouette on a colour picked from the user id, drawn in 8×8 blocks (see
//! `jpeg.rs`). The old SVG address (`/_sandbox/avatar/{id}.svg`) still answers, for links an
//! app stored before.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::Sandbox;
use crate::jpeg::{BlockPicture, encode};

const COLOURS: [[u8; 3]; 6] = [
    [0xf7, 0xa8, 0xa8],
    [0xa8, 0xd8, 0xf7],
    [0xb8, 0xe6, 0xb0],
    [0xf7, 0xd9, 0xa8],
    [0xd2, 0xb8, 0xf7],
    [0xa8, 0xf0, 0xe4],
];

/// Kakao's profile sizes: the picture and its thumbnail.
pub const SIZES: [u16; 2] = [640, 110];

fn colour(id: i64) -> [u8; 3] {
    COLOURS[(id.unsigned_abs() % COLOURS.len() as u64) as usize]
}

/// The path of a user's picture of `size` pixels, below the sandbox's base URL.
pub fn path(id: i64, size: u16) -> String {
    format!("/_sandbox/avatar/{id}/img_{size}x{size}.jpg")
}

/// The JPEG of user `id` at `size`×`size` pixels.
pub fn picture(id: i64, size: u16) -> Vec<u8> {
    let blocks = usize::from(size).div_ceil(8);
    let background = colour(id);
    let figure = [0xff, 0xff, 0xff];
    let n = blocks as f64;
    let draw = move |col: usize, row: usize| {
        let (x, y) = ((col as f64 + 0.5) / n, (row as f64 + 0.5) / n);
        let head = (x - 0.5).powi(2) + (y - 0.38).powi(2) < 0.18f64.powi(2);
        let body = ((x - 0.5) / 0.34).powi(2) + ((y - 0.98) / 0.3).powi(2) < 1.0;
        if head || body { figure } else { background }
    };
    encode(&BlockPicture {
        width: size,
        height: size,
        cols: blocks,
        rows: blocks,
        block: &draw,
    })
}

/// `GET /_sandbox/avatar/{id}/{file}`: `img_640x640.jpg` or `img_110x110.jpg`.
pub async fn jpeg(State(sb): State<Sandbox>, Path((id, file)): Path<(i64, String)>) -> Response {
    let Some(size) = SIZES.into_iter().find(|s| file == format!("img_{s}x{s}.jpg")) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !sb.lock().users.contains_key(&id) {
        return StatusCode::NOT_FOUND.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        picture(id, size),
    )
        .into_response()
}

/// `GET /_sandbox/avatar/{id}.svg`: the address of earlier sandbox versions, now the thumbnail.
pub async fn legacy(State(sb): State<Sandbox>, Path(file): Path<String>) -> Response {
    match file.strip_suffix(".svg").and_then(|id| id.parse::<i64>().ok()) {
        Some(id) => jpeg(State(sb), Path((id, "img_110x110.jpg".to_owned()))).await,
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
