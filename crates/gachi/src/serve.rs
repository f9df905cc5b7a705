//! `gachi serve`: for now the landing page and, without Kakao keys, the built-in Kakao sandbox
//! under `/_kakao` with its demo users. Rooms, login and schedules arrive with the web
//! foundation (issue #5); the sandbox rules already hold: loopback only unless `--sandbox`,
//! and no sandbox route at all once real keys are configured.

use std::net::SocketAddr;

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use clap::Args;
use domain::clock::Clock;
use kakao_sandbox::Sandbox;

use crate::net::{bind_guarded, http_url, shutdown_signal};

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "GACHI_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// The URL people use to reach Gachi. Defaults to http://{bind}.
    #[arg(long, env = "GACHI_PUBLIC_URL")]
    public_url: Option<String>,
    /// Serve the built-in Kakao sandbox on a non-loopback address (anyone could log in as anyone).
    #[arg(long)]
    sandbox: bool,
    /// Kakao REST API key; without it Gachi runs against its built-in sandbox.
    #[arg(long, env = "KAKAO_REST_API_KEY", hide_env_values = true)]
    kakao_rest_api_key: Option<String>,
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let sandbox_mode = args.kakao_rest_api_key.as_deref().is_none_or(str::is_empty);
    let listener = bind_guarded(args.bind, !sandbox_mode || args.sandbox, "--sandbox").await?;
    let addr = listener.local_addr()?;
    let public = args.public_url.unwrap_or_else(|| http_url(addr));
    let mut router = Router::new()
        .route("/", get(move || landing(sandbox_mode)))
        .route("/healthz", get(|| async { "ok" }));
    if sandbox_mode {
        let sandbox = Sandbox::demo(&format!("{}/_kakao", public.trim_end_matches('/')), Clock::new())?;
        sandbox.update_app(|app| {
            let callback = format!("{}/auth/kakao/callback", public.trim_end_matches('/'));
            if !app.redirect_uris.contains(&callback) {
                app.redirect_uris.push(callback);
            }
        });
        sandbox.spawn_sweeper();
        router = router.nest("/_kakao", sandbox.router());
        println!("Gachi on {public} with the built-in Kakao sandbox at {public}/_kakao/");
    } else {
        println!("Gachi on {public} (real Kakao)");
    }
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

async fn landing(sandbox_mode: bool) -> Html<String> {
    let banner = if sandbox_mode {
        r#"<div style="background:#191919;color:#fee500;padding:8px;text-align:center">Kakao 샌드박스 모드 — 실제 카카오가 아닙니다 (sandbox mode: not real Kakao)</div>"#
    } else {
        ""
    };
    let sandbox_link = if sandbox_mode {
        r#"<p><a href="/_kakao/">Kakao 샌드박스 열기</a> — 데모 사용자, 앱 키, 제어 API</p>"#
    } else {
        ""
    };
    Html(format!(
        r#"<!doctype html><html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>같이 Gachi</title></head><body style="font-family:sans-serif;margin:0">{banner}<main style="max-width:480px;margin:32px auto;padding:0 16px"><h1>같이 (Gachi)</h1><p>친구들과 함께 일정을 만들고 카카오톡으로 공유하세요. 공유방과 일정 기능은 지금 만들고 있습니다.</p>{sandbox_link}</main></body></html>"#
    ))
}
