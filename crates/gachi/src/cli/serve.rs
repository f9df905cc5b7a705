//! `gachi serve`: the web app, with the Kakao sandbox built in when no Kakao keys are set.

use anyhow::Context;
use gachi::{AppState, Config};

use crate::cli::net::{bind_guarded, shutdown_signal};

pub async fn run(config: Config) -> anyhow::Result<()> {
    let sandbox_mode = config.sandbox_mode();
    let listener = bind_guarded(config.bind, !sandbox_mode || config.sandbox, "--sandbox").await?;
    let addr = listener.local_addr()?;
    let state = AppState::build(config, addr).await?;
    match &state.sandbox {
        Some(_) => println!(
            "Gachi on {} with the built-in Kakao sandbox at {}/_kakao/",
            state.public_url, state.public_url
        ),
        None => println!("Gachi on {} (real Kakao)", state.public_url),
    }
    gachi::serve(listener, state, shutdown_signal())
        .await
        .context("server error")
}
