//! `gachi doctor`: checks a deployment's Kakao setup from the outside and says how to fix what
//! is wrong.
//!
//! Operators get stuck for weeks on Kakao's console (KOE006, KOE010, a wrong key, consent items
//! that are not configured). Most of it can be proved without a user: a token request with a
//! bogus code must fail with KOE320 (key and secret accepted), an authorize request must not
//! show Kakao's error page (redirect URI registered, consent items configured), an admin-key
//! call must not answer `-401`. [`run`] does those probes and returns a [`Report`]; the binary
//! prints it and exits non-zero when a check failed. What Kakao does not let anyone read from
//! outside (OIDC on, the kinds of consent items, JavaScript domains, the unlink webhook URL) is
//! read from the console when `KAKAO_AUTH_BASE` is a Kakao sandbox (its control API), and
//! otherwise stated as something to verify by hand.

mod authorize;
mod checks;
mod kapi;
mod kauth;
mod names;
mod probe;
mod settings;

use std::fmt;

use crate::Config;

pub use kauth::clock_check;

/// How a check came out. Only [`Status::Fail`] makes `gachi doctor` exit non-zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// Nothing wrong was found, but something cannot be seen from outside: verify it by hand.
    Info,
    /// Works, but is risky or will bite later.
    Warn,
    /// Not checked, because an earlier failure makes the answer meaningless.
    Skip,
    Fail,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::Ok => "[ OK ]",
            Status::Info => "[INFO]",
            Status::Warn => "[WARN]",
            Status::Skip => "[SKIP]",
            Status::Fail => "[FAIL]",
        }
    }
}

/// One line of the checklist. `name`, `detail` and `fix` are Korean first, then English (the
/// two texts of `detail` and `fix` are separate lines).
#[derive(Clone, Debug)]
pub struct Check {
    /// Stable identifier (`rest_api_key`, `redirect_uri`, …) for scripts and tests.
    pub id: &'static str,
    pub name: &'static str,
    pub status: Status,
    pub detail: String,
    /// What to do about it; present for every `Fail` and `Warn`.
    pub fix: Option<String>,
}

/// The whole checklist.
#[derive(Clone, Debug)]
pub struct Report {
    /// No Kakao key configured: Gachi runs against its built-in sandbox.
    pub sandbox_mode: bool,
    pub checks: Vec<Check>,
}

impl Report {
    pub fn has_failures(&self) -> bool {
        self.checks.iter().any(|c| c.status == Status::Fail)
    }

    /// The check with this id, if it ran.
    pub fn check(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }

    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.status == Status::Fail)
    }

    fn count(&self, status: Status) -> usize {
        self.checks.iter().filter(|c| c.status == status).count()
    }
}

/// Runs every check against the Kakao that `config` points at.
///
/// Without a Kakao key there is nothing to check at Kakao: Gachi mounts its own sandbox, which
/// it configures itself (redirect URI, webhook, JavaScript domain), so the report says so and
/// passes.
pub async fn run(config: &Config) -> Report {
    kakao::install_crypto_provider();
    if config.sandbox_mode() {
        return Report {
            sandbox_mode: true,
            checks: checks::sandbox_mode(config),
        };
    }
    Report {
        sandbox_mode: false,
        checks: checks::real(config).await,
    }
}

const INDENT: &str = "       ";

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "gachi doctor — 카카오 설정 점검 / Kakao setup check")?;
        writeln!(f)?;
        for check in &self.checks {
            writeln!(f, "{} {}", check.status.label(), check.name)?;
            for line in check.detail.lines() {
                writeln!(f, "{INDENT}{line}")?;
            }
            if let Some(fix) = &check.fix {
                writeln!(f, "{INDENT}해결 / Fix:")?;
                for line in fix.lines() {
                    writeln!(f, "{INDENT}  {line}")?;
                }
            }
        }
        writeln!(f)?;
        let (failed, warned) = (self.count(Status::Fail), self.count(Status::Warn));
        if failed > 0 {
            writeln!(
                f,
                "결과: 실패 {failed}, 경고 {warned}. [FAIL] 항목을 고친 뒤 `gachi doctor`를 다시 실행하세요."
            )?;
            writeln!(
                f,
                "Result: {failed} failed, {warned} warning(s). Fix the [FAIL] items and run `gachi doctor` again."
            )
        } else if warned > 0 {
            writeln!(f, "결과: 통과 (경고 {warned}). [WARN] 항목도 살펴보세요.")?;
            writeln!(
                f,
                "Result: passed with {warned} warning(s); have a look at the [WARN] items."
            )
        } else {
            writeln!(f, "결과: 모두 통과.")?;
            writeln!(f, "Result: all checks passed.")
        }
    }
}
