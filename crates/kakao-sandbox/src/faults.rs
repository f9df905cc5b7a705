//! Fault injection (`POST /_admin/faults`, DESIGN.md "Sandbox"): latency and failures on chosen
//! kapi paths, so Gachi's outbox can be proven against a Kakao that misbehaves.
//!
//! Kinds: `http_500` (HTTP 500, kapi body), `kakao_-7` (400 `-7`), `refuse` (the connection is
//! dropped without an answer before the request is applied: nothing happens), `timeout_after`
//! (the request IS applied, then the connection is held without an answer for 60 s and dropped).
//! Latency comes before anything is applied. Draws come from a seeded xorshift, so a run with
//! the same seed and the same request order fails the same requests.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::Sandbox;
use crate::http::kapi;

pub const KINDS: [&str; 4] = ["http_500", "kakao_-7", "refuse", "timeout_after"];

/// The paths faults hit unless told otherwise: the message sends and image upload.
pub const DEFAULT_PATHS: [&str; 5] = [
    "/v1/api/talk/friends/message/default/send",
    "/v1/api/talk/friends/message/send",
    "/v2/api/talk/memo/default/send",
    "/v2/api/talk/memo/send",
    "/v2/api/talk/message/image/upload",
];

/// How long `timeout_after` holds a connection.
const HOLD: Duration = Duration::from_secs(60);

/// The JSON of `GET|POST /_admin/faults`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaultConfig {
    #[serde(default)]
    pub latency_ms: u64,
    #[serde(default)]
    pub error_rate: f64,
    #[serde(default = "all_kinds")]
    pub kinds: Vec<String>,
    #[serde(default = "default_paths")]
    pub paths: Vec<String>,
    #[serde(default = "one")]
    pub seed: u64,
}

fn all_kinds() -> Vec<String> {
    KINDS.iter().map(|k| (*k).to_owned()).collect()
}

fn default_paths() -> Vec<String> {
    DEFAULT_PATHS.iter().map(|p| (*p).to_owned()).collect()
}

fn one() -> u64 {
    1
}

impl Default for FaultConfig {
    fn default() -> Self {
        Self {
            latency_ms: 0,
            error_rate: 0.0,
            kinds: all_kinds(),
            paths: default_paths(),
            seed: 1,
        }
    }
}

impl FaultConfig {
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.error_rate) {
            return Err("error_rate must be between 0.0 and 1.0".into());
        }
        if let Some(bad) = self.kinds.iter().find(|k| !KINDS.contains(&k.as_str())) {
            return Err(format!(
                "unknown fault kind {bad}; kinds are {}",
                KINDS.join(", ")
            ));
        }
        if self.error_rate > 0.0 && self.kinds.is_empty() {
            return Err("an error_rate needs at least one kind".into());
        }
        if let Some(bad) = self.paths.iter().find(|p| !p.starts_with('/')) {
            return Err(format!("paths start with '/': {bad}"));
        }
        Ok(())
    }

    /// Nothing to do: the setting clears the faults.
    pub fn is_inert(&self) -> bool {
        self.latency_ms == 0 && self.error_rate <= 0.0
    }
}

/// xorshift64*: small, seeded, good enough to pick which requests fail.
#[derive(Clone, Debug)]
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        // Zero is xorshift's one fixed point; mix the seed so small seeds differ.
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The active fault setting and its random stream.
#[derive(Clone, Debug)]
pub struct Faults {
    pub config: FaultConfig,
    rng: XorShift,
}

impl Faults {
    pub fn new(config: FaultConfig) -> Self {
        let rng = XorShift::new(config.seed);
        Self { config, rng }
    }

    /// Draws the fate of one request: `None` passes, else the kind that hits it.
    fn draw(&mut self) -> Option<String> {
        if self.config.error_rate <= 0.0 || self.config.kinds.is_empty() {
            return None;
        }
        if self.rng.unit() >= self.config.error_rate {
            return None;
        }
        let i = (self.rng.next() % self.config.kinds.len() as u64) as usize;
        self.config.kinds.get(i).cloned()
    }
}

/// A response body that fails before its first byte: hyper then drops the connection without
/// writing the status line, so the client sees the connection close with no answer at all.
struct Refused;

impl HttpBody for Refused {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "sandbox fault: connection refused",
        ))))
    }
}

fn dropped_connection() -> Response {
    Response::new(Body::new(Refused))
}

/// The middleware in front of every sandbox route.
pub async fn apply(State(sb): State<Sandbox>, req: Request, next: Next) -> Response {
    if req.method() == Method::OPTIONS {
        return next.run(req).await;
    }
    let decision = {
        let mut st = sb.lock();
        let path = req.uri().path();
        match st.faults.as_mut() {
            Some(f) if f.config.paths.iter().any(|p| p == path) => Some((f.config.latency_ms, f.draw())),
            _ => None,
        }
    };
    let Some((latency_ms, kind)) = decision else {
        return next.run(req).await;
    };
    if latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(latency_ms)).await;
    }
    match kind.as_deref() {
        None => next.run(req).await,
        Some("http_500") => kapi(500, -1, "internal error (sandbox fault)."),
        Some("kakao_-7") => kapi(400, -7, "service is temporarily unavailable (sandbox fault)."),
        Some("refuse") => dropped_connection(),
        Some(_) => {
            // timeout_after: apply, then never answer.
            let applied = next.run(req).await;
            drop(applied);
            tokio::time::sleep(HOLD).await;
            dropped_connection()
        }
    }
}

/// `GET /_admin/faults`: the current setting (`"active": false` when cleared).
pub async fn get_faults(State(sb): State<Sandbox>) -> Response {
    let st = sb.lock();
    let (config, active) = match &st.faults {
        Some(f) => (f.config.clone(), true),
        None => (FaultConfig::default(), false),
    };
    let mut value = serde_json::to_value(config).unwrap_or_default();
    if let Some(obj) = value.as_object_mut() {
        obj.insert("active".into(), active.into());
    }
    axum::Json(value).into_response()
}

/// `POST /_admin/faults`: replaces the setting; `{}` or a zero latency and error rate clears it.
pub async fn post_faults(State(sb): State<Sandbox>, body: Bytes) -> Response {
    let config: FaultConfig = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => return bad_request(format!("invalid JSON body: {e}")),
    };
    if let Err(msg) = config.validate() {
        return bad_request(msg);
    }
    {
        let mut st = sb.lock();
        st.faults = (!config.is_inert()).then(|| Faults::new(config));
    }
    get_faults(State(sb)).await
}

fn bad_request(message: String) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(serde_json::json!({"error": "bad_request", "message": message})),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_fails_the_same_requests() {
        let config = FaultConfig {
            error_rate: 0.2,
            ..FaultConfig::default()
        };
        let run = |c: &FaultConfig| {
            let mut f = Faults::new(c.clone());
            (0..200).map(|_| f.draw()).collect::<Vec<_>>()
        };
        assert_eq!(run(&config), run(&config));
        let hits = run(&config).iter().filter(|d| d.is_some()).count();
        assert!((20..=60).contains(&hits), "{hits} of 200 at 20 %");
        let other = FaultConfig {
            seed: 2,
            ..config.clone()
        };
        assert_ne!(run(&config), run(&other));
    }
}
