//! The yardstick for `docs/benchmarks.md`: a bare axum handler answering a small JSON body,
//! on the same machine and runtime as Gachi. Usage: `bare_axum 127.0.0.1:9100`.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:9100".into());
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(|| async { axum::Json(serde_json::json!({"events": []})) }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("bare axum on {addr}");
    axum::serve(listener, app).await
}
