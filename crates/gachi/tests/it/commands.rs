//! `gachi sandbox` and `gachi serve` start, print where they listen, and serve their pages;
//! the sandbox's loopback rule holds.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A child process killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `gachi args…` and returns it with the first stdout line containing `marker`.
fn start(args: &[&str], marker: &str) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gachi"))
        .args(args)
        .env_remove("KAKAO_REST_API_KEY")
        .env("GACHI_DATABASE_URL", storage::testing::fresh_sqlite_url())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let line = lines
        .by_ref()
        .map(|l| l.unwrap())
        .find(|l| l.contains(marker))
        .expect("the command printed where it listens");
    // Keep reading so the child never writes into a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (running, line)
}

fn client() -> reqwest::Client {
    kakao::install_crypto_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn gachi_sandbox_serves_its_login_page_and_prints_its_keys() {
    let (_child, line) = start(&["sandbox", "--bind", "127.0.0.1:0"], "listening on");
    let addr = line.rsplit(' ').next().unwrap().to_owned();
    let base = format!("http://{addr}");
    let http = client();

    let app: serde_json::Value = http
        .get(format!("{base}/_admin/app"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = app["rest_api_key"].as_str().unwrap();
    let redirect = app["redirect_uris"][0].as_str().unwrap();
    let page = http
        .get(format!(
            "{base}/oauth/authorize?client_id={key}&redirect_uri={redirect}&response_type=code&state=s"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("카카오계정으로 로그인"), "{html}");
    assert!(html.contains("김민지"), "demo users are seeded");
    assert!(html.contains("data-sandbox-banner"));

    let discovery: serde_json::Value = http
        .get(format!("{base}/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(discovery["issuer"], base);
}

#[tokio::test]
async fn gachi_serve_mounts_the_sandbox_under_kakao() {
    let (_child, line) = start(&["serve", "--bind", "127.0.0.1:0"], "Gachi on");
    let public = line.split_whitespace().nth(2).unwrap().to_owned();
    let http = client();
    let home = http.get(&public).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("같이"));
    assert!(home.contains("샌드박스"), "sandbox mode says so on the page");
    let discovery: serde_json::Value = http
        .get(format!("{public}/_kakao/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(discovery["issuer"], format!("{public}/_kakao"));
    let app: serde_json::Value = http
        .get(format!("{public}/_kakao/_admin/app"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let uris: Vec<&str> = app["redirect_uris"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect();
    assert!(
        uris.contains(&format!("{public}/auth/kakao/callback").as_str()),
        "{uris:?}"
    );
}

#[test]
fn the_sandbox_refuses_non_loopback_addresses_unless_asked() {
    for args in [
        ["serve", "--bind", "0.0.0.0:0"],
        ["sandbox", "--bind", "0.0.0.0:0"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_gachi"))
            .args(args)
            .env_remove("KAKAO_REST_API_KEY")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} must refuse");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("refusing to bind 0.0.0.0"), "{err}");
        assert!(err.contains("loopback"), "says why: {err}");
    }
}

#[test]
fn gachi_migrate_creates_an_up_to_date_database() {
    let url = storage::testing::fresh_sqlite_url();
    for _ in 0..2 {
        let out = Command::new(env!("CARGO_BIN_EXE_gachi"))
            .args(["migrate", "--database-url", &url])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("up to date"));
    }
    let path = url.trim_start_matches("sqlite://");
    assert!(std::path::Path::new(path).exists());
}
