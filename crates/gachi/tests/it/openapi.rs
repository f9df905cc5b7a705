//! The OpenAPI document matches the router: every `/api/v1` route of the feature routers is
//! documented,
//! and every documented route exists (a logged-out call answers `login_required`, not 404/405).

use crate::common::*;

fn routes_in_app() -> Vec<(String, String)> {
    let source = [
        include_str!("../../src/web/mod.rs"),
        include_str!("../../src/auth/mod.rs"),
        include_str!("../../src/rooms/mod.rs"),
        include_str!("../../src/events/mod.rs"),
        include_str!("../../src/polls/mod.rs"),
        include_str!("../../src/sharing/mod.rs"),
        include_str!("../../src/account/mod.rs"),
        include_str!("../../src/reminders/mod.rs"),
    ]
    .concat();
    let mut found = Vec::new();
    for chunk in source.split(".route(").skip(1) {
        let Some(start) = chunk.find('"') else { continue };
        let rest = &chunk[start + 1..];
        let Some(end) = rest.find('"') else { continue };
        let path = &rest[..end];
        if !path.starts_with("/api/v1") {
            continue;
        }
        // The handlers run until the statement or the builder chain moves on.
        let tail = &rest[end..];
        let stop = [";", ".layer(", ".merge(", ".fallback(", ".with_state("]
            .iter()
            .filter_map(|m| tail.find(m))
            .min()
            .unwrap_or(tail.len());
        let handlers = &tail[..stop];
        for method in ["get", "post", "patch", "delete", "put"] {
            if handlers.contains(&format!("{method}(")) {
                found.push((method.to_owned(), path.to_owned()));
            }
        }
    }
    found
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_route_answers() {
    let app = TestApp::start().await;
    let doc: serde_json::Value = app
        .http
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let routes = routes_in_app();
    assert!(routes.len() >= 16, "{routes:?}");
    for (method, path) in &routes {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} is not in the OpenAPI document"
        );
    }
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            let concrete = path
                .replace("{id}", "r1")
                .replace("{eid}", "e1")
                .replace("{code}", "C0DE2345")
                .replace("{user_id}", "u1");
            let resp = app
                .http
                .request(method.to_uppercase().parse().unwrap(), app.url(&concrete))
                .header("origin", &app.base)
                .json(&serde_json::json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(
                resp.status(),
                401,
                "{method} {path} should exist and need a login"
            );
            let body: serde_json::Value = resp.json().await.unwrap();
            assert_eq!(body["error"], "login_required");
            assert!(
                routes.contains(&(method.clone(), path.clone())),
                "{method} {path} is documented but not routed"
            );
        }
    }
    let page = app
        .http
        .get(app.url("/api"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("/api/v1/rooms/{id}/events"));
}
