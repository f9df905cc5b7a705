//! The Kakao client against the sandbox over real HTTP: login, tokens, errors, user APIs,
//! unlink and friends. One test binary for the crate (DESIGN.md's build budget).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod errors;
mod friends;
mod login;
mod tokens;
mod unlink;
mod users;
