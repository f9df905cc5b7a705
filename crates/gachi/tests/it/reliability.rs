//! Issue 8's proof that sharing never doubles or silently loses a message, against a
//! STANDALONE `gachi sandbox` process (it outlives the Gachi servers these tests kill) and real
//! `gachi serve` processes:
//! - SIGKILL in the middle of a share to 100 friends, restart on the same database: nobody has
//!   two messages, everyone ends `sent` or (at most the calls in flight) `unknown`, the owner is
//!   offered a resend of the unknown ones, and the resend completes the share;
//! - two instances on one PostgreSQL database share the outbox and the token refresh (both
//!   clocks moved 6 h, so both refresh at once; the sandbox rotates the refresh token on every
//!   refresh, so a second refresh would be KOE322): same result;
//! - sandbox faults at 20 % (`http_500`, `kakao_-7`, `refuse`, `timeout_after`): no duplicates,
//!   every receiver ends sent, failed with a reason, or unknown only for a lost answer.
//!
//! Determinism: port 0 everywhere, a short Kakao timeout and lease through settings, and
//! bounded polling on statuses; the only delays are the sandbox's own simulated latency.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

use crate::common::MINJI;

const FRIENDS: usize = 100;
/// Calls in flight per instance (the default) and receivers per call.
const CONCURRENCY: usize = 5;
const PER_CALL: usize = 5;

/// A child process killed when dropped, however the test ends.
pub(crate) struct Proc(Child);

impl Proc {
    pub(crate) fn sigkill(&mut self) {
        // std's kill is SIGKILL on Unix: no shutdown code runs.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.sigkill();
    }
}

/// Starts `gachi args…` and returns it with the first stdout line containing `marker`.
fn spawn(args: &[&str], envs: &[(String, String)], marker: &str) -> (Proc, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gachi"));
    cmd.args(args)
        .env_remove("KAKAO_REST_API_KEY")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let proc = Proc(child);
    let mut lines = BufReader::new(stdout).lines();
    let line = lines
        .by_ref()
        .map(|l| l.unwrap())
        .find(|l| l.contains(marker))
        .expect("the command printed where it listens");
    std::thread::spawn(move || lines.for_each(drop));
    (proc, line)
}

fn http() -> reqwest::Client {
    kakao::install_crypto_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn call(http: &reqwest::Client, method: reqwest::Method, url: &str, body: Option<Value>) -> Value {
    let mut req = http.request(method, url);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let value = resp.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{url}: {status} {value}");
    value
}

pub(crate) struct Sandbox {
    _proc: Proc,
    pub(crate) base: String,
    http: reqwest::Client,
}

impl Sandbox {
    pub(crate) async fn start() -> Sandbox {
        let (proc, line) = spawn(&["sandbox", "--bind", "127.0.0.1:0"], &[], "listening on");
        let addr = line.rsplit(' ').next().unwrap().to_owned();
        Sandbox {
            _proc: proc,
            base: format!("http://{addr}"),
            http: http(),
        }
    }

    pub(crate) async fn get(&self, path: &str) -> Value {
        call(
            &self.http,
            reqwest::Method::GET,
            &format!("{}{path}", self.base),
            None,
        )
        .await
    }

    pub(crate) async fn post(&self, path: &str, body: Value) -> Value {
        call(
            &self.http,
            reqwest::Method::POST,
            &format!("{}{path}", self.base),
            Some(body),
        )
        .await
    }

    async fn put(&self, path: &str, body: Value) -> Value {
        call(
            &self.http,
            reqwest::Method::PUT,
            &format!("{}{path}", self.base),
            Some(body),
        )
        .await
    }

    /// Raised quotas, no token rate limit, a refresh token rotated on every refresh (so a
    /// second refresh with the old one is KOE322), and `FRIENDS` KakaoTalk friends of the owner
    /// who agreed to `friends`; the owner agreed to `friends` and `talk_message`.
    async fn hundred_friends(&self) -> Vec<(i64, String)> {
        self.put(
            "/_admin/app",
            json!({"friends_message_permission": true,
                   "quotas": {"app_day": 1_000_000, "sender_day": 100_000, "receiver_day": 100_000, "pair_day": 10_000},
                   "settings": {"token_rate_limit": false, "refresh_rotation_days": 61}}),
        )
        .await;
        let mut friends = Vec::new();
        for i in 0..FRIENDS {
            let u = self
                .post("/_admin/users", json!({"nickname": format!("친구{i:03}")}))
                .await;
            let id = u["id"].as_i64().unwrap();
            self.post("/_admin/friends", json!({"a": MINJI, "b": id})).await;
            self.post("/_admin/consent", json!({"user_id": id, "scopes": ["friends"]}))
                .await;
            friends.push((id, u["uuid"].as_str().unwrap().to_owned()));
        }
        self.post(
            "/_admin/consent",
            json!({"user_id": MINJI, "scopes": ["friends", "talk_message"]}),
        )
        .await;
        friends
    }

    pub(crate) async fn faults(&self, body: Value) {
        self.post("/_admin/faults", body).await;
    }

    /// Messages `user` received from the owner.
    async fn received(&self, user: i64) -> usize {
        let inbox = self.get(&format!("/_admin/inbox/{user}")).await;
        inbox["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["from"] == MINJI)
            .count()
    }
}

/// A `gachi serve` process talking to the standalone sandbox.
pub(crate) struct Gachi {
    pub(crate) proc: Proc,
    pub(crate) base: String,
}

impl Gachi {
    pub(crate) async fn start(sandbox: &Sandbox, database_url: &str) -> Gachi {
        let app = sandbox.get("/_admin/app").await;
        let s = |v: &Value| v.as_str().unwrap().to_owned();
        let envs: Vec<(String, String)> = [
            ("GACHI_DATABASE_URL", database_url.to_owned()),
            (
                "GACHI_SECRET_KEY",
                base64::engine::general_purpose::STANDARD.encode([7u8; 32]),
            ),
            ("KAKAO_REST_API_KEY", s(&app["rest_api_key"])),
            ("KAKAO_CLIENT_SECRET", s(&app["client_secret"])),
            ("KAKAO_ADMIN_KEY", s(&app["admin_key"])),
            ("KAKAO_AUTH_BASE", sandbox.base.clone()),
            ("KAKAO_API_BASE", sandbox.base.clone()),
            ("GACHI_LOGIN_RATE_PER_MINUTE", "10000".into()),
            // A lost answer is known after 1 s, a dead instance's leases lapse after 3 s.
            ("GACHI_KAKAO_TIMEOUT_MS", "1000".into()),
            ("GACHI_OUTBOX_LEASE_MS", "3000".into()),
            ("GACHI_OUTBOX_RETRY_BASE_MS", "100".into()),
            ("GACHI_QUOTA_SENDER_DAY", "100000".into()),
            ("GACHI_QUOTA_RECEIVER_DAY", "100000".into()),
            ("GACHI_QUOTA_PAIR_DAY", "10000".into()),
            ("GACHI_QUOTA_APP_DAY", "1000000".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let (proc, line) = spawn(
            &["serve", "--bind", "127.0.0.1:0", "--test-clock"],
            &envs,
            "Gachi on",
        );
        let base = line.split_whitespace().nth(2).unwrap().to_owned();
        let mut uris: Vec<Value> = app["redirect_uris"].as_array().cloned().unwrap_or_default();
        uris.push(json!(format!("{base}/auth/kakao/callback")));
        sandbox.put("/_admin/app", json!({"redirect_uris": uris})).await;
        Gachi { proc, base }
    }

    pub(crate) async fn advance_clock(&self, seconds: i64) {
        call(
            &http(),
            reqwest::Method::POST,
            &format!("{}/_test/clock", self.base),
            Some(json!({"advance_seconds": seconds})),
        )
        .await;
    }
}

/// The owner's browser: one cookie jar for the sandbox and every Gachi instance (all on
/// 127.0.0.1), so a session made on one instance works on the others (same database).
pub(crate) struct Owner {
    client: reqwest::Client,
}

impl Owner {
    pub(crate) async fn login(sandbox: &Sandbox, gachi: &Gachi) -> Owner {
        let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let resp = client
            .post(format!("{}/_admin/session", sandbox.base))
            .json(&json!({"user_id": MINJI}))
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success());
        let landed = client
            .get(format!("{}/auth/kakao/login?next=/", gachi.base))
            .send()
            .await
            .unwrap();
        assert_eq!(landed.status(), 200, "{}", landed.url());
        assert_eq!(landed.url().path(), "/");
        Owner { client }
    }

    pub(crate) async fn send(
        &self,
        gachi: &Gachi,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .client
            .request(method, format!("{}{path}", gachi.base))
            .header("origin", &gachi.base);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub(crate) async fn room(&self, gachi: &Gachi) -> String {
        let (status, room) = self
            .send(
                gachi,
                reqwest::Method::POST,
                "/api/v1/rooms",
                Some(json!({"name": "송년회"})),
            )
            .await;
        assert_eq!(status, 201, "{room}");
        room["id"].as_str().unwrap().to_owned()
    }

    async fn share(&self, gachi: &Gachi, room: &str, uuids: &[String]) -> String {
        let (status, share) = self
            .send(
                gachi,
                reqwest::Method::POST,
                &format!("/api/v1/rooms/{room}/shares"),
                Some(json!({"layout": "week", "date": "2026-12-21", "channel": "friends", "receiver_uuids": uuids})),
            )
            .await;
        assert_eq!(status, 201, "{share}");
        share["id"].as_str().unwrap().to_owned()
    }

    async fn recipients(&self, gachi: &Gachi, share: &str) -> Vec<Value> {
        let (status, body) = self
            .send(
                gachi,
                reqwest::Method::GET,
                &format!("/api/v1/shares/{share}"),
                None,
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["recipients"].as_array().unwrap().clone()
    }

    /// Polls until no receiver is queued or sending (bounded), and returns the receivers.
    async fn settled(&self, gachi: &Gachi, share: &str, limit: Duration) -> Vec<Value> {
        let started = std::time::Instant::now();
        loop {
            let rs = self.recipients(gachi, share).await;
            if rs
                .iter()
                .all(|r| r["status"] != "queued" && r["status"] != "sending")
            {
                return rs;
            }
            assert!(started.elapsed() < limit, "share {share} did not settle: {rs:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn count(rs: &[Value], status: &str) -> usize {
    rs.iter().filter(|r| r["status"] == status).count()
}

/// Each friend's number of messages from the owner, by uuid.
async fn inboxes(sandbox: &Sandbox, friends: &[(i64, String)]) -> std::collections::HashMap<String, usize> {
    let mut out = std::collections::HashMap::new();
    for (id, uuid) in friends {
        out.insert(uuid.clone(), sandbox.received(*id).await);
    }
    out
}

#[tokio::test]
async fn a_server_killed_mid_share_neither_doubles_nor_loses_a_message() {
    let sandbox = Sandbox::start().await;
    let friends = sandbox.hundred_friends().await;
    let uuids: Vec<String> = friends.iter().map(|f| f.1.clone()).collect();
    sandbox
        .faults(json!({"latency_ms": 100, "error_rate": 0.0}))
        .await;
    let db = storage::testing::fresh_sqlite_url();
    let mut first = Gachi::start(&sandbox, &db).await;
    let owner = Owner::login(&sandbox, &first).await;
    let room = owner.room(&first).await;
    let share = owner.share(&first, &room, &uuids).await;

    // Kill as soon as the first calls have come back, while others are in flight.
    let started = std::time::Instant::now();
    let sent_at_kill = loop {
        let rs = owner.recipients(&first, &share).await;
        let sent = count(&rs, "sent");
        if sent >= PER_CALL {
            first.proc.sigkill();
            break sent;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "nothing was sent");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    assert!(
        sent_at_kill < FRIENDS,
        "the kill came mid-share ({sent_at_kill} sent)"
    );

    // Restart on the same database: the rest goes out, lapsed calls become unknown.
    let second = Gachi::start(&sandbox, &db).await;
    let rs = owner.settled(&second, &share, Duration::from_secs(40)).await;
    let got = inboxes(&sandbox, &friends).await;
    let unknown: Vec<&Value> = rs.iter().filter(|r| r["status"] == "unknown").collect();
    eprintln!(
        "kill test: {sent_at_kill} sent at the kill, {} unknown after the restart",
        unknown.len()
    );
    for r in &rs {
        let uuid = r["uuid"].as_str().unwrap();
        let n = got[uuid];
        assert!(n <= 1, "{uuid} got {n} messages");
        match r["status"].as_str().unwrap() {
            "sent" => assert_eq!(n, 1, "{r}"),
            "unknown" => {
                assert_eq!(r["reason"], "lease_expired", "{r}");
                assert_eq!(r["resendable"], true, "{r}");
                assert!(!r["message"].as_str().unwrap_or("").is_empty(), "{r}");
            }
            other => panic!("{uuid} ended {other}: {r}"),
        }
    }
    assert!(
        unknown.len() <= CONCURRENCY * PER_CALL,
        "at most the calls in flight are unknown: {}",
        unknown.len()
    );
    // The owner's page lists the unknown ones and offers to resend them.
    let resp = owner
        .client
        .get(format!("{}/rooms/{room}/share?share={share}", second.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let page = resp.text().await.unwrap();
    for r in &unknown {
        let uuid = r["uuid"].as_str().unwrap();
        assert!(
            page.contains(&format!("data-resend=\"{uuid}\"")),
            "resend offered for {uuid}"
        );
    }

    // Resend only those whose message did not arrive (resending a delivered one would double it).
    let missing: Vec<String> = unknown
        .iter()
        .map(|r| r["uuid"].as_str().unwrap().to_owned())
        .filter(|u| got[u] == 0)
        .collect();
    let (status, _) = owner
        .send(
            &second,
            reqwest::Method::POST,
            &format!("/api/v1/shares/{share}/resend"),
            Some(json!({"uuids": missing})),
        )
        .await;
    assert_eq!(status, 200);
    let rs = owner.settled(&second, &share, Duration::from_secs(30)).await;
    let got = inboxes(&sandbox, &friends).await;
    for r in &rs {
        let uuid = r["uuid"].as_str().unwrap();
        assert_eq!(got[uuid], 1, "everyone has exactly one message: {r}");
        if missing.iter().any(|m| m == uuid) {
            assert_eq!(r["status"], "sent", "{r}");
        }
    }
}

#[tokio::test]
async fn two_instances_on_postgresql_share_the_outbox_and_the_token_refresh() {
    let Some(server) = storage::testing::postgres_server() else {
        eprintln!("TEST_POSTGRES_URL is not set: skipping the two-instance test");
        return;
    };
    let sandbox = Sandbox::start().await;
    let friends = sandbox.hundred_friends().await;
    let uuids: Vec<String> = friends.iter().map(|f| f.1.clone()).collect();
    sandbox
        .faults(json!({"latency_ms": 100, "error_rate": 0.0}))
        .await;
    let db = storage::testing::fresh_postgres_url(&server).await.unwrap();
    let a = Gachi::start(&sandbox, &db).await;
    let b = Gachi::start(&sandbox, &db).await;
    let owner = Owner::login(&sandbox, &a).await;
    let room = owner.room(&a).await;

    // The owner's access token expires for everybody: both instances must refresh at once.
    let six_hours = 6 * 3600 + 60;
    sandbox
        .post("/_admin/clock", json!({"advance_seconds": six_hours}))
        .await;
    a.advance_clock(six_hours).await;
    b.advance_clock(six_hours).await;

    let (first, second) = uuids.split_at(FRIENDS / 2);
    let (share_a, share_b) = tokio::join!(owner.share(&a, &room, first), owner.share(&b, &room, second));
    // Each instance reads the other's share too: the status lives in the database.
    let (ra, rb) = tokio::join!(
        owner.settled(&b, &share_a, Duration::from_secs(40)),
        owner.settled(&a, &share_b, Duration::from_secs(40))
    );
    let got = inboxes(&sandbox, &friends).await;
    for r in ra.iter().chain(&rb) {
        assert_eq!(r["status"], "sent", "no KOE322, nothing lost: {r}");
        let uuid = r["uuid"].as_str().unwrap();
        assert_eq!(got[uuid], 1, "{uuid} has exactly one message");
    }
    // The session still works on both: the refresh token was never burned.
    let (status, _) = owner.send(&b, reqwest::Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, 200);
    let (status, friends_now) = owner
        .send(
            &a,
            reqwest::Method::GET,
            &format!("/api/v1/friends?room={room}"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{friends_now}");
}

#[tokio::test]
async fn twenty_percent_faults_end_sent_failed_or_unknown_and_never_double() {
    let sandbox = Sandbox::start().await;
    let friends = sandbox.hundred_friends().await;
    let uuids: Vec<String> = friends.iter().map(|f| f.1.clone()).collect();
    sandbox
        .faults(json!({"latency_ms": 20, "error_rate": 0.2,
                       "kinds": ["http_500", "kakao_-7", "refuse", "timeout_after"], "seed": 8}))
        .await;
    let gachi = Gachi::start(&sandbox, &storage::testing::fresh_sqlite_url()).await;
    let owner = Owner::login(&sandbox, &gachi).await;
    let room = owner.room(&gachi).await;
    let share = owner.share(&gachi, &room, &uuids).await;
    let rs = owner.settled(&gachi, &share, Duration::from_secs(50)).await;
    let got = inboxes(&sandbox, &friends).await;
    let (mut sent, mut failed, mut unknown) = (0, 0, 0);
    for r in &rs {
        let uuid = r["uuid"].as_str().unwrap();
        let n = got[uuid];
        assert!(n <= 1, "{uuid} got {n} messages");
        match r["status"].as_str().unwrap() {
            "sent" => {
                sent += 1;
                assert_eq!(n, 1, "{r}");
            }
            "failed" => {
                failed += 1;
                assert!(!r["reason"].as_str().unwrap_or("").is_empty(), "{r}");
                assert_eq!(n, 0, "{r}");
            }
            "unknown" => {
                unknown += 1;
                // Only a lost answer (timeout_after) leaves a receiver unknown.
                assert_eq!(r["reason"], "answer_lost", "{r}");
            }
            other => panic!("{uuid} ended {other}: {r}"),
        }
    }
    eprintln!("faults test: {sent} sent, {failed} failed, {unknown} unknown");
    assert_eq!(sent + failed + unknown, FRIENDS);
}

/// The share fan-out benchmark of `docs/benchmarks.md` (not a timed test: ignored, run by hand
/// with `scripts/bench-fanout.sh`, release build): from `POST /shares` to all 100 friends
/// `sent`, with 100 ms sandbox latency on every send and on the image upload. Prints each run
/// and the median.
#[tokio::test]
#[ignore = "benchmark: run with scripts/bench-fanout.sh"]
async fn bench_share_fan_out_to_100_friends() {
    let sandbox = Sandbox::start().await;
    let friends = sandbox.hundred_friends().await;
    let uuids: Vec<String> = friends.iter().map(|f| f.1.clone()).collect();
    sandbox
        .faults(json!({"latency_ms": 100, "error_rate": 0.0}))
        .await;
    let gachi = Gachi::start(&sandbox, &storage::testing::fresh_sqlite_url()).await;
    let owner = Owner::login(&sandbox, &gachi).await;
    let room = owner.room(&gachi).await;
    let mut runs = Vec::new();
    for run in 0..7 {
        let started = std::time::Instant::now();
        let share = owner.share(&gachi, &room, &uuids).await;
        loop {
            let rs = owner.recipients(&gachi, &share).await;
            if count(&rs, "sent") == FRIENDS {
                break;
            }
            assert!(
                rs.iter()
                    .all(|r| r["status"] != "failed" && r["status"] != "unknown"),
                "{rs:?}"
            );
            assert!(started.elapsed() < Duration::from_secs(60), "too slow");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let took = started.elapsed();
        println!("fan-out run {run}: {} ms", took.as_millis());
        runs.push(took);
    }
    runs.sort();
    println!(
        "fan-out to {FRIENDS} friends, 100 ms latency: median {} ms, best {} ms, worst {} ms",
        runs[runs.len() / 2].as_millis(),
        runs[0].as_millis(),
        runs[runs.len() - 1].as_millis()
    );
}
