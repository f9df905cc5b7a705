//! Issue #15, finding 8: connections and requests that take too long are cut off, invitation
//! codes cannot be guessed at speed, and what the limits answer is the usual error.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::*;

/// Reads until the server closes the connection; a bound only so a broken server fails the
/// test instead of hanging it.
async fn read_until_eof(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut got)).await;
    assert!(read.is_ok(), "the server still holds the connection");
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test]
async fn a_slow_header_client_is_cut_off() {
    let app = TestApp::start_with(storage::testing::fresh_sqlite_url(), |c| {
        c.header_timeout_ms = 200;
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_owned();

    // Half a request: the request line and one header, never the blank line.
    let mut half = TcpStream::connect(&addr).await.unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let answer = read_until_eof(&mut half).await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );

    // Nothing at all.
    let mut silent = TcpStream::connect(&addr).await.unwrap();
    let answer = read_until_eof(&mut silent).await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );

    // A whole request on a fresh connection is still served.
    assert_eq!(
        app.http.get(app.url("/healthz")).send().await.unwrap().status(),
        200
    );
}

#[tokio::test]
async fn a_request_whose_body_never_arrives_ends_408() {
    let app = TestApp::start_with(storage::testing::fresh_sqlite_url(), |c| {
        c.request_timeout_ms = 200;
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut slow = TcpStream::connect(&addr).await.unwrap();
    // The webhook reads its body before anything else; a tenth of it arrives.
    slow.write_all(
        b"POST /webhooks/kakao/unlink HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\nConnection: close\r\n\r\nuser_id=12",
    )
    .await
    .unwrap();
    let answer = read_until_eof(&mut slow).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test]
async fn invite_codes_cannot_be_tried_at_speed() {
    let app = TestApp::start_with(storage::testing::fresh_sqlite_url(), |c| {
        c.invite_rate_burst = 3;
        c.invite_rate_per_minute = 1;
    })
    .await;
    // Three lookups of made-up codes are answered (404), the fourth is refused.
    for _ in 0..3 {
        let resp = app.http.get(app.url("/i/NOPE2345")).send().await.unwrap();
        assert_eq!(resp.status(), 404);
    }
    let resp = app
        .http
        .get(app.url("/i/NOPE2345"))
        .header("accept-language", "ko")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    let wait: u64 = resp.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let page = resp.text().await.unwrap();
    assert!(page.contains("초대 코드를 너무 많이"), "{page}");

    // The API's accept shares the budget and answers JSON with the same header.
    let resp = app
        .http
        .post(app.url("/api/v1/invites/NOPE2345/accept"))
        .header("origin", &app.base)
        .header("accept-language", "en")
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert!(resp.headers().contains_key("retry-after"));
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "invite_rate_limited", "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("invitation codes"),
        "{body}"
    );

    // Nothing else is slowed.
    for _ in 0..10 {
        assert_eq!(
            app.http.get(app.url("/healthz")).send().await.unwrap().status(),
            200
        );
    }
    assert_eq!(
        app.http.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        401
    );
}
