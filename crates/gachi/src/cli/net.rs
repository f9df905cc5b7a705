//! Binding, the loopback rule, and graceful shutdown shared by the commands.

use std::net::SocketAddr;

use anyhow::Context;
use tokio::net::TcpListener;

/// Binds `addr`, refusing a non-loopback address unless `allow_remote`: the Kakao sandbox lets
/// anyone log in as anyone, so it must never face a network by accident.
pub async fn bind_guarded(addr: SocketAddr, allow_remote: bool, flag: &str) -> anyhow::Result<TcpListener> {
    if !addr.ip().is_loopback() && !allow_remote {
        anyhow::bail!(
            "refusing to bind {addr}: the built-in Kakao sandbox lets anyone log in as anyone, so it only \
             listens on loopback (127.0.0.1 or ::1). Pass {flag} if you really mean to expose it."
        );
    }
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("could not bind {addr}"))
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// `http://{addr}` for a bound listener, written the way a browser would reach it.
pub fn http_url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}
