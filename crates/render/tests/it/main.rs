//! The render crate's integration tests, in one binary: golden images, text fit, glyph coverage,
//! markup safety and the cache.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bubble;
mod cache;
mod card_rsvp;
mod fit;
mod fixture;
mod glyphs;
mod golden;
mod markup;
