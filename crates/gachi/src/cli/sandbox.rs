//! `gachi sandbox`: the Kakao sandbox as its own server, for Gachi's tests (it outlives the
//! Gachi processes they kill) and for any other app that wants Kakao Login without Kakao.

use std::net::SocketAddr;

use clap::Args;
use domain::clock::Clock;
use kakao_sandbox::Sandbox;

use crate::cli::net::{bind_guarded, http_url, shutdown_signal};

#[derive(Args, Debug)]
pub struct SandboxArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "GACHI_SANDBOX_BIND", default_value = "127.0.0.1:9000")]
    bind: SocketAddr,
    /// The root URL clients use to reach the sandbox (the OIDC issuer). Defaults to http://{bind};
    /// port 0 in it stands for the bound port (e.g. `http://localhost:0`).
    #[arg(long, env = "GACHI_SANDBOX_PUBLIC_URL")]
    public_url: Option<String>,
    /// Allow a non-loopback bind address. Anyone who can reach the sandbox can log in as anyone.
    #[arg(long)]
    allow_remote: bool,
}

pub async fn run(args: SandboxArgs) -> anyhow::Result<()> {
    let listener = bind_guarded(args.bind, args.allow_remote, "--allow-remote").await?;
    let addr = listener.local_addr()?;
    let base = match args.public_url {
        None => http_url(addr),
        Some(public) => {
            let mut url =
                url::Url::parse(&public).map_err(|_| anyhow::anyhow!("--public-url is not a URL"))?;
            if url.port() == Some(0) {
                let _ = url.set_port(Some(addr.port()));
            }
            url.as_str().trim_end_matches('/').to_owned()
        }
    };
    let sandbox = Sandbox::demo(&base, Clock::new())?;
    sandbox.spawn_sweeper();
    let app = sandbox.app();
    println!("Kakao sandbox listening on {addr}");
    println!("  kauth / kapi base:  {base}   (KAKAO_AUTH_BASE / KAKAO_API_BASE)");
    println!("  OIDC discovery:     {base}/.well-known/openid-configuration");
    println!("  REST API key:       {}", app.rest_api_key);
    println!("  client secret:      {}", app.client_secret);
    println!("  admin key:          {}", app.admin_key);
    println!("  JavaScript key:     {}", app.javascript_key);
    println!(
        "  redirect URIs:      {}  (change with PUT {base}/_admin/app)",
        app.redirect_uris.join(", ")
    );
    println!("  pages:              {base}/   control API: {base}/_admin/app");
    axum::serve(listener, sandbox.router())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}
