//! `gachi`: the one binary. `serve` runs the web app (with the Kakao sandbox built in when no
//! Kakao keys are configured); `sandbox` runs the Kakao sandbox alone, for any app to test against.
#![forbid(unsafe_code)]

mod cli;

/// See the workspace's Cargo.toml: the allocator is the server's, not the library's, so tests
/// and the benchmark's bare handler keep the system one.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "gachi",
    version,
    about = "같이 — make a schedule together and share it on KakaoTalk"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run Gachi (SQLite and the built-in Kakao sandbox by default).
    Serve(Box<gachi::Config>),
    /// Run the Kakao sandbox alone (a stand-in for kauth.kakao.com and kapi.kakao.com).
    Sandbox(cli::sandbox::SandboxArgs),
    /// Create the database if needed and bring its schema up to date, then exit.
    Migrate {
        /// `sqlite://FILE` or `postgres://…`.
        #[arg(long, env = "GACHI_DATABASE_URL", default_value = "sqlite://gachi.db")]
        database_url: String,
    },
    /// Check this deployment's Kakao setup and say how to fix what is wrong (exit code 1 if anything is).
    Doctor(Box<gachi::Config>),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    kakao::install_crypto_provider();
    match Cli::parse().command {
        Command::Serve(config) => cli::serve::run(*config).await,
        Command::Sandbox(args) => cli::sandbox::run(args).await,
        Command::Migrate { database_url } => {
            storage::Db::connect(&database_url).await?.migrate().await?;
            println!("database schema is up to date");
            Ok(())
        }
        Command::Doctor(config) => {
            let report = gachi::doctor::run(&config).await;
            print!("{report}");
            if report.has_failures() {
                std::process::exit(1);
            }
            Ok(())
        }
    }
}
