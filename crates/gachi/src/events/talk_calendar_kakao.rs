//! What the "add to my Talk Calendar" button and the Talk Calendar worker both need from Kakao,
//! kept apart from the HTTP handlers so the worker does not depend on them: the event as Kakao
//! takes it, calls made with the member's token, and Kakao's refusals in the catalogue's terms.
//!
//! Kakao's limits are met before sending: title and place cut to 50 characters, times widened
//! to 5-minute steps in UTC, all-day events from 00:00Z of the first day to 00:00Z of the day
//! after the last (kakao-platform.md §13).

use jiff::Timestamp;
use kakao::talk_calendar::{
    CalendarEvent, EventLocation, EventTime, MAX_DESCRIPTION_CHARS, MAX_LOCATION_NAME_CHARS, MAX_TITLE_CHARS,
    MINUTE_STEP,
};
use kakao::{AccessToken, ErrorKind, KakaoError};
use storage::EventRow;

use crate::auth::tokens::{TokenError, access_token};
use crate::state::AppState;

pub const TALK_CALENDAR: &str = "talk_calendar";

/// Why a push to Kakao did not work, as the catalogue names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushError {
    /// `-402`, or no usable tokens: the member must agree (again) to these scopes.
    Consent(Vec<String>),
    /// `-501`: the member has no KakaoTalk.
    NotTalkUser,
    /// `-5`/`-3`: the app may not use Talk Calendar for this member.
    NoPermission,
    /// `-2`: Kakao refused the event.
    Invalid,
    /// Kakao could not be reached or failed.
    Unavailable,
}

impl PushError {
    /// The short code used in `?tc=` and in `last_error`.
    pub fn code(&self) -> &'static str {
        match self {
            PushError::Consent(_) => "consent",
            PushError::NotTalkUser => "not_talk_user",
            PushError::NoPermission => "no_permission",
            PushError::Invalid => "invalid",
            PushError::Unavailable => "unavailable",
        }
    }

    pub fn from_kakao(err: &KakaoError) -> Self {
        match (err.kind(), err.api_code()) {
            (ErrorKind::NeedsConsent(scopes), _) => PushError::Consent(if scopes.is_empty() {
                vec![TALK_CALENDAR.into()]
            } else {
                scopes
            }),
            (ErrorKind::NeedsLogin, _) => PushError::Consent(vec![TALK_CALENDAR.into()]),
            (_, Some(-501)) => PushError::NotTalkUser,
            (_, Some(-5 | -3)) => PushError::NoPermission,
            (_, Some(-2)) => PushError::Invalid,
            _ => PushError::Unavailable,
        }
    }
}

/// Why a call made with the member's token failed, before it is put in the catalogue's terms:
/// the worker needs Kakao's own error to tell a passing failure from a lasting one.
#[derive(Debug)]
pub enum CallError {
    /// No tokens, or the refresh was refused: the member must log in (and agree) again.
    NeedsLogin,
    /// No usable token right now (Kakao or the database failed during a refresh).
    Token(TokenError),
    Kakao(KakaoError),
}

impl CallError {
    pub fn push_error(&self) -> PushError {
        match self {
            CallError::NeedsLogin => PushError::Consent(vec![TALK_CALENDAR.into()]),
            CallError::Token(_) => PushError::Unavailable,
            CallError::Kakao(e) => PushError::from_kakao(e),
        }
    }

    fn log(&self) {
        match self {
            CallError::NeedsLogin => {}
            CallError::Token(e) => tracing::warn!(error = %e, "no Kakao token for Talk Calendar"),
            CallError::Kakao(e) => tracing::info!(error = %e, "Talk Calendar call failed"),
        }
    }
}

/// Runs `call` with the user's access token, refreshing it once after a `-401`.
pub async fn call_with_token<T, F, Fut>(state: &AppState, user_id: &str, call: F) -> Result<T, CallError>
where
    F: Fn(AccessToken) -> Fut,
    Fut: std::future::Future<Output = Result<T, KakaoError>>,
{
    let mut force = false;
    loop {
        let token = match access_token(state, user_id, force).await {
            Ok(t) => t,
            Err(TokenError::NeedsLogin) => return Err(CallError::NeedsLogin),
            Err(e) => return Err(CallError::Token(e)),
        };
        match call(token).await {
            Ok(v) => return Ok(v),
            Err(e) if e.kind() == ErrorKind::TokenExpired && !force => force = true,
            Err(e) => return Err(CallError::Kakao(e)),
        }
    }
}

/// [`call_with_token`], with the failure in the catalogue's terms.
pub async fn with_token<T, F, Fut>(state: &AppState, user_id: &str, call: F) -> Result<T, PushError>
where
    F: Fn(AccessToken) -> Fut,
    Fut: std::future::Future<Output = Result<T, KakaoError>>,
{
    call_with_token(state, user_id, call).await.map_err(|e| {
        e.log();
        e.push_error()
    })
}

fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The event as Kakao's Talk Calendar takes it; `event_url` leads back to Gachi.
pub fn to_kakao(row: &EventRow, event_url: &str) -> Option<CalendarEvent> {
    let time = if row.all_day != 0 {
        let first = row.start_date.as_deref()?.parse().ok()?;
        let last = row.end_date.as_deref()?.parse().ok()?;
        EventTime::all_day(first, last, &row.time_zone)
    } else {
        let step = MINUTE_STEP * 60;
        let start = Timestamp::from_millisecond(row.starts_at?).ok()?.as_second();
        let end = Timestamp::from_millisecond(row.ends_at?).ok()?.as_second();
        let start = start - start.rem_euclid(step);
        let end = (end + (step - end.rem_euclid(step)) % step).max(start + step);
        EventTime::timed(
            Timestamp::from_second(start).ok()?,
            Timestamp::from_second(end).ok()?,
            &row.time_zone,
        )
    };
    let link = format!("\n\n{event_url}");
    let room_for_memo = MAX_DESCRIPTION_CHARS.saturating_sub(link.chars().count());
    let description = format!("{}{link}", cut(row.memo.trim(), room_for_memo));
    Some(CalendarEvent {
        title: Some(cut(&row.title, MAX_TITLE_CHARS)),
        time: Some(time),
        // Talk Calendar repeats the copy itself; a single occurrence changed or cancelled in
        // Gachi stays as the rule makes it there (Kakao's API has no exceptions).
        rrule: row.rrule.clone(),
        description: Some(description.trim_start().to_owned()),
        location: Some(EventLocation {
            name: Some(cut(&row.location, MAX_LOCATION_NAME_CHARS)),
            ..Default::default()
        }),
        ..Default::default()
    })
}

/// The event's page in Gachi (relative).
pub fn event_path(room_id: &str, event_id: &str) -> String {
    format!("/rooms/{room_id}/events/{event_id}")
}

/// The event as Kakao takes it, linking back to its page under the public URL.
pub fn calendar_event(state: &AppState, row: &EventRow) -> Option<CalendarEvent> {
    let url = format!("{}{}", state.public_url, event_path(&row.room_id, &row.id));
    to_kakao(row, &url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(all_day: bool) -> EventRow {
        EventRow {
            id: "e1".into(),
            room_id: "r1".into(),
            title: "가".repeat(60),
            all_day: i64::from(all_day),
            starts_at: Some(1_798_106_580_000), // 2026-12-24T10:03:00Z
            ends_at: Some(1_798_113_720_000),   // 2026-12-24T12:02:00Z
            start_date: Some("2026-12-24".into()),
            end_date: Some("2026-12-25".into()),
            time_zone: "Asia/Seoul".into(),
            location: "나".repeat(60),
            memo: "메모".into(),
            created_by: "u1".into(),
            sequence: 0,
            span_start: 0,
            span_end: 0,
            created_at: 0,
            updated_at: 0,
            deleted_at: None,
            rrule: None,
            occurrence: None,
        }
    }

    #[test]
    fn events_are_fitted_to_kakaos_limits() {
        let e = to_kakao(&row(false), "https://gachi.example/rooms/r1/events/e1").unwrap();
        assert_eq!(e.title.unwrap().chars().count(), 50);
        assert_eq!(e.location.unwrap().name.unwrap().chars().count(), 50);
        let time = e.time.unwrap();
        assert_eq!(
            time.start_at, "2026-12-24T10:00:00Z",
            "start floored to 5 minutes"
        );
        assert_eq!(time.end_at, "2026-12-24T12:05:00Z", "end raised to 5 minutes");
        assert!(e.description.unwrap().ends_with("/rooms/r1/events/e1"));
    }

    #[test]
    fn a_series_takes_its_rule_along() {
        let mut series = row(false);
        assert_eq!(to_kakao(&series, "u").unwrap().rrule, None);
        series.rrule = Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH".into());
        assert_eq!(
            to_kakao(&series, "u").unwrap().rrule.as_deref(),
            Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH")
        );
    }

    #[test]
    fn all_day_runs_to_the_day_after_the_last() {
        let time = to_kakao(&row(true), "u").unwrap().time.unwrap();
        assert_eq!(time.start_at, "2026-12-24T00:00:00Z");
        assert_eq!(time.end_at, "2026-12-26T00:00:00Z");
        assert!(time.all_day);
    }
}
