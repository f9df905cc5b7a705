//! Operations (issue 14): `/metrics` comes from the metrics crate with per-route latency
//! histograms, Kakao call outcomes and the states of the three outboxes (shares, Talk Calendar,
//! reminders); every log line of a request carries its
//! request id, which the response returns in `x-request-id`.

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;

use crate::common::{MINJI, TestApp};

async fn scrape(app: &TestApp) -> String {
    let resp = app.http.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    resp.text().await.unwrap()
}

/// The value of the sample whose line starts with `series` (name and labels).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map(|v| v.trim().parse().unwrap())
}

#[tokio::test]
async fn metrics_count_requests_by_route_with_latency_histograms() {
    let app = TestApp::start().await;
    for _ in 0..2 {
        let resp = app.http.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(resp.status(), 200);
    }
    let missing = app.http.get(app.url("/no/such/thing/42")).send().await.unwrap();
    assert_eq!(missing.status(), 404);

    let text = scrape(&app).await;
    assert!(
        text.contains("# TYPE gachi_http_request_duration_seconds histogram"),
        "{text}"
    );
    let requests = r#"gachi_http_requests_total{route="/healthz",method="GET",status="200"}"#;
    assert_eq!(sample(&text, requests), Some(2.0), "{text}");
    assert_eq!(
        sample(
            &text,
            r#"gachi_http_request_duration_seconds_count{route="/healthz"}"#
        ),
        Some(2.0)
    );
    let buckets: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(r#"gachi_http_request_duration_seconds_bucket{route="/healthz",le="#))
        .collect();
    assert!(buckets.len() > 5, "real buckets, not a summary: {buckets:?}");
    assert!(
        buckets.iter().any(|l| l.contains(r#"le="+Inf"} 2"#)),
        "{buckets:?}"
    );
    // Unmatched paths share one label: clients cannot invent series.
    assert_eq!(
        sample(
            &text,
            r#"gachi_http_requests_total{route="unmatched",method="GET",status="404"}"#
        ),
        Some(1.0)
    );
    assert!(!text.contains("/no/such/thing"));
    // Hot reads by where they were answered: memory, the database, or a concurrent request's
    // read of the same key (`state::fresh`).
    for result in ["memory", "database", "shared"] {
        let series = format!(r#"gachi_hot_reads_total{{result="{result}"}}"#);
        assert!(sample(&text, &series).is_some(), "{series}: {text}");
    }
    for name in [
        "gachi_http_server_errors_total",
        "gachi_logins_total",
        "gachi_unlink_webhooks_total",
    ] {
        assert_eq!(
            sample(&text, name),
            Some(0.0),
            "{name} is there from the start: {text}"
        );
    }

    // Counts go up with the next request (the scrape itself is counted too).
    app.http.get(app.url("/healthz")).send().await.unwrap();
    let text = scrape(&app).await;
    assert_eq!(sample(&text, requests), Some(3.0));
    let scrapes = r#"gachi_http_requests_total{route="/metrics",method="GET",status="200"}"#;
    assert_eq!(sample(&text, scrapes), Some(1.0));
}

#[tokio::test]
async fn metrics_tell_kakao_outcomes_logins_and_outbox_states() {
    let app = TestApp::start().await;
    let minji = app.login(MINJI).await;
    // An access token Kakao does not know: -401, named by the API's path below the base.
    let bogus = kakao::AccessToken::new("not-a-token".to_owned());
    assert!(app.state.kakao.user_me(&bogus).await.is_err());

    // A memo to herself goes through the share outbox.
    app.sandbox_post(
        "/_admin/consent",
        json!({"user_id": MINJI, "scopes": ["talk_message"]}),
    )
    .await;
    let (status, room) = minji.post("/api/v1/rooms", json!({"name": "지표"})).await;
    assert_eq!(status, 201);
    let room_id = room["id"].as_str().unwrap();
    let (status, share) = minji
        .post(
            &format!("/api/v1/rooms/{room_id}/shares"),
            json!({"layout": "month", "date": "2026-12", "channel": "memo", "receiver_uuids": []}),
        )
        .await;
    assert_eq!(status, 201, "{share}");
    let share_id = share["id"].as_str().unwrap();
    let mut sent = false;
    for _ in 0..200 {
        gachi::sharing::outbox::run_once(&app.state).await.unwrap();
        let (_, share) = minji.get(&format!("/api/v1/shares/{share_id}")).await;
        if share["recipients"][0]["status"] == "sent" {
            sent = true;
            break;
        }
        // Bounded polling: the background worker may hold the receiver for a moment.
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(sent, "the memo went out");

    let text = scrape(&app).await;
    assert_eq!(sample(&text, "gachi_logins_total"), Some(1.0), "{text}");
    assert_eq!(
        sample(
            &text,
            r#"gachi_kakao_calls_total{api="/oauth/token",outcome="ok"}"#
        ),
        Some(1.0),
        "{text}"
    );
    assert!(
        sample(
            &text,
            r#"gachi_kakao_calls_total{api="/v2/user/me",outcome="-401"}"#
        ) == Some(1.0),
        "{text}"
    );
    assert!(
        text.lines().any(
            |l| l.starts_with(r#"gachi_kakao_calls_total{api="/v2/api/talk/memo/"#)
                && l.contains(r#"outcome="ok"}"#)
        ),
        "{text}"
    );
    assert_eq!(
        sample(&text, r#"gachi_outbox_items{queue="shares",state="sent"}"#),
        Some(1.0),
        "{text}"
    );
}

/// The "나에게" reminders' outbox (issue 19) is in the same gauge under `queue="reminders"`,
/// beside the shares' and the Talk Calendar's, on every backend.
#[tokio::test]
async fn the_reminder_outbox_is_among_the_outbox_gauges() {
    for url in crate::common::database_urls().await {
        let app = TestApp::start_on(url).await;
        let minji = app.login(MINJI).await;
        let (_, room) = minji.post("/api/v1/rooms", json!({"name": "지표"})).await;
        let room_id = room["id"].as_str().unwrap();
        let (status, event) = minji
            .post(
                &format!("/api/v1/rooms/{room_id}/events"),
                json!({"title": "송년회", "starts_at": "2030-12-22T19:00:00+09:00", "ends_at": "2030-12-22T21:00:00+09:00"}),
            )
            .await;
        assert_eq!(status, 201, "{event}");
        // A reminder written for a start the event no longer has: the worker skips it.
        let key = storage::ReminderKey {
            user_id: minji.id().await,
            event_id: event["id"].as_str().unwrap().to_owned(),
            occurrence: String::new(),
            before_minutes: 60,
            starts: "0".into(),
        };
        let now = app.state.now_ms();
        assert!(
            app.state
                .store
                .queue_reminder(&key, room_id, now, now)
                .await
                .unwrap()
        );
        gachi::reminders::worker::run_once(&app.state).await.unwrap();

        let text = scrape(&app).await;
        assert_eq!(
            sample(&text, r#"gachi_outbox_items{queue="reminders",state="skipped"}"#),
            Some(1.0),
            "{text}"
        );
    }
}

/// Everything the test's thread logs, as text.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn every_log_line_of_a_request_carries_its_request_id() {
    // The server runs on this test's (single) runtime thread, so a thread-local subscriber
    // sees all of its lines, and no other test's.
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // With a single registered dispatcher, tracing-core asks only the *calling thread's*
    // default when a callsite is first hit, so a parallel test thread (no subscriber) would
    // cache "never" for callsites this test needs. A second live dispatcher makes it ask all.
    let _second = tracing::Dispatch::new(tracing_subscriber::registry());
    let app = TestApp::start().await;

    // A proxy's id is kept; this request logs a warning of its own besides the access lines.
    let resp = app
        .http
        .get(app.url("/auth/kakao/callback?state=forged&code=x"))
        .header("x-request-id", "proxy-id-123")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(resp.headers()["x-request-id"], "proxy-id-123");
    let logs = captured.text();
    let lines: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("route=/auth/kakao/callback"))
        .collect();
    assert!(
        lines.iter().any(|l| l.contains("login callback with an unknown")),
        "the handler's own line is in the request's span: {logs}"
    );
    assert!(
        lines.iter().any(|l| l.contains("finished processing request")),
        "{logs}"
    );
    assert!(
        lines.iter().all(|l| l.contains("request_id=proxy-id-123")),
        "{lines:#?}"
    );

    // Without an id (or with one that is not an id) the server makes one and returns it.
    for sent in [None, Some("two words\tand a tab"), Some(&*"x".repeat(65))] {
        let mut req = app.http.get(app.url("/healthz"));
        if let Some(id) = sent {
            req = req.header("x-request-id", id);
        }
        let resp = req.send().await.unwrap();
        let id = resp.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert_eq!(id.len(), 36, "a UUID: {id}");
        assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 7);
        let logs = captured.text();
        let mine: Vec<&str> = logs.lines().filter(|l| l.contains(&id)).collect();
        assert!(
            mine.iter().any(|l| l.contains("started processing request"))
                && mine.iter().any(|l| l.contains("finished processing request")),
            "{logs}"
        );
        // The route is known once routing has found it: every line but the (debug) "started"
        // one, which the layers around the routes write before routing.
        assert!(
            mine.iter()
                .filter(|l| !l.contains("started processing request"))
                .all(|l| l.contains("route=/healthz")),
            "{mine:#?}"
        );
    }
}
