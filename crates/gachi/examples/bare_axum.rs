//! The yardstick for `docs/benchmarks.md`: bare axum handlers on the same machine and runtime
//! as Gachi. `/` answers a tiny JSON body; `/body` answers the bytes of BODY_FILE (the
//! benchmark passes the month view's JSON, so payload cost can be told from Gachi's cost);
//! `/gzip` answers those bytes gzipped as Gachi keeps them (`gachi::state::cache::gzip`), the
//! yardstick for the month view asked with `Accept-Encoding: gzip`.
//! Usage: `bare_axum 127.0.0.1:9100 [BODY_FILE]`.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:9100".into());
    let body = match args.next() {
        Some(path) => std::fs::read(path)?,
        None => b"{}".to_vec(),
    };
    let body = axum::body::Bytes::from(body);
    let gzipped = gachi::state::cache::gzip(&body);
    let app = axum::Router::new()
        .route(
            "/",
            axum::routing::get(|| async { axum::Json(serde_json::json!({"events": []})) }),
        )
        .route(
            "/body",
            axum::routing::get(move || {
                let body = body.clone();
                async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], body) }
            }),
        )
        .route(
            "/gzip",
            axum::routing::get(move || {
                let body = gzipped.clone();
                async move {
                    (
                        [
                            (axum::http::header::CONTENT_TYPE, "application/json"),
                            (axum::http::header::CONTENT_ENCODING, "gzip"),
                        ],
                        body,
                    )
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("bare axum on {addr}");
    axum::serve(listener, app).await
}
