//! The router: `fn app(state) -> Router`, and `serve` on a bound listener with a shutdown
//! future (tests bind port 0).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{delete, get, post};
use tokio::net::TcpListener;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;

use crate::error::AppError;
use crate::state::AppState;
use crate::{
    api, csrf, error, event_pages, events_api, ics, login, openapi, ops, pages, security, test_clock, webhook,
};

/// Request bodies above this are refused (413): room names and events are small.
const BODY_LIMIT: usize = 64 * 1024;

pub fn app(state: AppState) -> Router {
    let per_minute = state.config.login_rate_per_minute.max(1);
    let governor = GovernorConfigBuilder::default()
        .per_millisecond(u64::from(60_000 / per_minute).max(1))
        .burst_size(per_minute)
        .finish()
        .map(Arc::new);
    let mut auth = Router::new()
        .route("/auth/kakao/login", get(login::start))
        .route("/auth/kakao/callback", get(login::callback));
    if let Some(config) = governor {
        auth = auth.layer(GovernorLayer::new(config));
    }

    let api = Router::new()
        .route("/api/v1/me", get(api::me))
        .route("/api/v1/rooms", get(api::list_rooms).post(api::create_room))
        .route(
            "/api/v1/rooms/{id}",
            get(api::get_room)
                .patch(api::update_room)
                .delete(api::delete_room),
        )
        .route("/api/v1/rooms/{id}/invites", post(api::create_invite))
        .route("/api/v1/rooms/{id}/members/{user_id}", delete(api::remove_member))
        .route("/api/v1/rooms/{id}/owner", post(api::transfer_owner))
        .route("/api/v1/invites/{code}/accept", post(api::accept_invite))
        .route(
            "/api/v1/rooms/{id}/events",
            get(events_api::list).post(events_api::create),
        )
        .route(
            "/api/v1/rooms/{id}/events/{eid}",
            get(events_api::get)
                .patch(events_api::update)
                .delete(events_api::delete),
        )
        .route("/api/v1/rooms/{id}/feed/rotate", post(events_api::rotate_feed))
        .route("/feeds/{file}", get(ics::feed))
        .route("/api/openapi.json", get(openapi::json))
        .route("/api", get(openapi::page));

    let pages = Router::new()
        .route("/", get(pages::home))
        .route("/rooms", post(pages::create_room))
        .route("/rooms/{id}", get(pages::room))
        .route("/rooms/{id}/rename", post(pages::rename))
        .route("/rooms/{id}/delete", post(pages::delete))
        .route("/rooms/{id}/invites", post(pages::new_invite))
        .route("/rooms/{id}/members/{user_id}/remove", post(pages::remove_member))
        .route("/rooms/{id}/leave", post(pages::leave))
        .route("/rooms/{id}/transfer", post(pages::transfer))
        .route("/i/{code}", get(pages::invite))
        .route("/i/{code}/accept", post(pages::accept))
        .route("/i/{code}/qr.svg", get(pages::invite_qr))
        .route("/join", get(pages::join))
        .route("/lang/{lang}", get(pages::set_lang))
        .route("/rooms/{id}/events", post(event_pages::create))
        .route("/rooms/{id}/events/new", get(event_pages::new_form))
        .route(
            "/rooms/{id}/events/{eid}",
            get(event_pages::show).post(event_pages::update),
        )
        .route("/rooms/{id}/events/{eid}/delete", post(event_pages::delete))
        .route("/rooms/{id}/feed/rotate", post(event_pages::rotate_feed))
        .route("/auth/logout", post(login::logout));

    // --- sharing (issue 7) ---
    let sharing = Router::new()
        .route("/api/v1/rooms/{id}/image.png", get(crate::images::room_image))
        .route(
            "/api/v1/rooms/{id}/events/{eid}/image.png",
            get(crate::images::event_image),
        )
        .route("/api/v1/rooms/{id}/shares", post(crate::shares::create_api))
        .route("/api/v1/shares/{id}", get(crate::shares::get_api))
        .route("/api/v1/shares/{id}/resend", post(crate::shares::resend_api))
        .route("/api/v1/shares/{id}/cancel", post(crate::shares::cancel_api))
        .route("/api/v1/shares/{id}/link", delete(crate::shares::revoke_link_api))
        .route("/api/v1/friends", get(crate::friends::api))
        .route(
            "/rooms/{id}/share",
            get(crate::share_pages::page).post(crate::share_pages::submit),
        )
        .route("/static/share.js", get(crate::share_pages::script))
        .route("/s/{token}", get(crate::public_share::page))
        .route("/s/{token}/image.png", get(crate::public_share::image))
        .route("/s/{token}/join", get(crate::public_share::join));
    // --- end sharing ---

    // --- polls (issue 10) ---
    let polls = Router::new()
        .route(
            "/api/v1/rooms/{id}/polls",
            get(crate::polls_api::list).post(crate::polls_api::create),
        )
        .route(
            "/api/v1/rooms/{id}/polls/{pid}",
            get(crate::polls_api::read).delete(crate::polls_api::remove),
        )
        .route(
            "/api/v1/rooms/{id}/polls/{pid}/answers",
            axum::routing::put(crate::polls_api::answers),
        )
        .route(
            "/api/v1/rooms/{id}/polls/{pid}/candidates",
            post(crate::polls_api::propose),
        )
        .route(
            "/api/v1/rooms/{id}/polls/{pid}/confirm",
            post(crate::polls_api::confirm),
        )
        .route(
            "/rooms/{id}/polls",
            get(crate::poll_pages::list).post(crate::poll_pages::create),
        )
        .route("/rooms/{id}/polls/new", get(crate::poll_pages::new_form))
        .route("/rooms/{id}/polls/{pid}", get(crate::poll_pages::show))
        .route(
            "/rooms/{id}/polls/{pid}/answers",
            post(crate::poll_pages::answers),
        )
        .route(
            "/rooms/{id}/polls/{pid}/candidates",
            post(crate::poll_pages::propose),
        )
        .route(
            "/rooms/{id}/polls/{pid}/confirm",
            post(crate::poll_pages::confirm),
        )
        .route("/rooms/{id}/polls/{pid}/delete", post(crate::poll_pages::delete))
        .route("/static/polls.js", get(crate::poll_pages::script))
        .route(
            "/rooms/{id}/polls/{pid}/memo",
            get(crate::poll_memos::finish_page).post(crate::poll_memos::set_page),
        )
        .route(
            "/api/v1/rooms/{id}/polls/{pid}/memo",
            axum::routing::put(crate::poll_memos::set_api),
        );
    // --- end polls ---

    // --- account (issue 11) ---
    let account = Router::new()
        .route("/account", get(crate::account::page))
        .route("/account/consents/revoke", post(crate::account::revoke_page))
        .route(
            "/account/logout-everywhere",
            post(crate::account::logout_everywhere_page),
        )
        .route("/account/export.json", get(crate::account::export_json_page))
        .route("/account/export.ics", get(crate::account::export_ics_page))
        .route("/account/delete", post(crate::account::delete_page))
        .route(
            "/rooms/{id}/events/{eid}/talk-calendar",
            get(crate::talk_calendar::resume_page).post(crate::talk_calendar::add_page),
        )
        .route("/api/v1/account", delete(crate::account_api::delete))
        .route("/api/v1/account/consents", get(crate::account_api::consents))
        .route(
            "/api/v1/account/consents/revoke",
            post(crate::account_api::revoke),
        )
        .route(
            "/api/v1/account/logout-everywhere",
            post(crate::account_api::logout_everywhere),
        )
        .route("/api/v1/account/export", get(crate::account_api::export))
        .route(
            "/api/v1/rooms/{id}/events/{eid}/talk-calendar",
            post(crate::talk_calendar::add_api).delete(crate::talk_calendar::remove_api),
        );
    // --- end account ---

    let mut router = Router::new()
        .merge(auth)
        .merge(api)
        .merge(pages)
        .merge(account)
        .merge(polls)
        .merge(sharing)
        .route(
            "/webhooks/kakao/unlink",
            get(webhook::unlink).post(webhook::unlink),
        )
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics));
    if state.config.test_clock {
        router = router.route("/_test/clock", get(test_clock::get).post(test_clock::post));
    }
    let mut router = router
        .fallback(|| async { AppError::not_found() })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(from_fn_with_state(state.clone(), csrf::check))
        .layer(from_fn(error::render_errors))
        .layer(from_fn(security::headers))
        .layer(from_fn_with_state(state.clone(), ops::count))
        .with_state(state.clone());
    // The sandbox keeps its own pages and rules; it exists only without real Kakao keys.
    if let Some(sandbox) = &state.sandbox {
        router = router.nest("/_kakao", sandbox.router());
    }
    router
}

/// Serves `state` on `listener` until `shutdown` resolves (then finishes in-flight requests).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Some(sandbox) = &state.sandbox {
        sandbox.spawn_sweeper();
    }
    crate::outbox::spawn(state.clone());
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
