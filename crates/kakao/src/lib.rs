//! A typed client for Kakao's REST APIs (kauth and kapi), and the wire types it speaks.
//!
//! Base URLs are configurable so the same code talks to real Kakao or to the Gachi sandbox;
//! the sandbox serialises the very same [`wire`] types, so the two cannot drift apart. Errors
//! keep Kakao's own facts (KOE codes, kapi codes, `-402` scopes) and say what a caller should
//! do about them ([`ErrorKind`]). Nothing here logs or displays tokens, codes or secrets.
#![forbid(unsafe_code)]

mod client;
mod config;
mod error;
mod friends;
pub mod id_token;
mod image;
mod message;
mod pkce;
mod secret;
pub mod talk_calendar;
pub mod talk_calendar_recur;
pub mod wire;

pub use client::{AuthorizeRequest, CallObserver, KakaoClient, Prompt};
pub use config::{DEFAULT_API_BASE, DEFAULT_AUTH_BASE, KakaoConfig};
pub use error::{ErrorKind, KakaoError, kind_of_code};
pub use friends::{FriendsPage, MAX_FRIENDS_PAGE};
pub use image::{ImageAuth, MAX_IMAGE_BYTES};
pub use message::{CustomTemplate, MAX_RECEIVERS, ReceiverFailure, Receivers, ReceiversError, SendOutcome};
pub use pkce::{Pkce, random_token};
pub use secret::{AccessToken, RefreshToken, TokenSet};

/// Installs ring as the process-wide rustls provider (idempotent).
///
/// reqwest is built without a provider of its own so the whole build carries one crypto stack;
/// building a client before a provider is installed would panic, so the client calls this itself.
pub fn install_crypto_provider() {
    // An error only means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
