//! The `gachi` binary as a user runs it: real processes on ephemeral ports.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod commands;
