//! Recurring Talk Calendar events: how one instance of a series is addressed, and the update
//! and delete calls that take a `recur_update_type` (kakao-platform.md §13).
//!
//! What Kakao's reference leaves out, third-party write-ups fill in (doraemin.tistory.com/22,
//! /23 and /24, tried against kapi):
//! - create answers one `event_id`, but the events list shows each instance of a series with an
//!   id of its own, `{id}_{yyyyMMddTHHmmssZ}` (the instance's UTC start), and `is_recur_event`;
//! - update and delete of a recurring event need such an instance id (the id create answered
//!   is refused) and a `recur_update_type`: `THIS` (that instance), `THIS_AND_FOLLOWING` (that
//!   one and the later ones) or `ALL` (the whole series, from any instance);
//! - their answer to a recurring change shows nothing, where a single event's shows its id.
//!
//! So these calls accept an empty answer, and [`instance_id`] builds the address.

use jiff::Timestamp;

use crate::client::{KakaoClient, send_raw, unexpected};
use crate::error::KakaoError;
use crate::secret::AccessToken;
use crate::talk_calendar::{CalendarEvent, EventIdResponse};
use crate::wire::KapiErrorBody;

/// `recur_update_type`: which instances of a series an update or a delete reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecurUpdate {
    This,
    ThisAndFollowing,
    All,
}

impl RecurUpdate {
    pub fn as_str(self) -> &'static str {
        match self {
            RecurUpdate::This => "THIS",
            RecurUpdate::ThisAndFollowing => "THIS_AND_FOLLOWING",
            RecurUpdate::All => "ALL",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "THIS" => Some(RecurUpdate::This),
            "THIS_AND_FOLLOWING" => Some(RecurUpdate::ThisAndFollowing),
            "ALL" => Some(RecurUpdate::All),
            _ => None,
        }
    }
}

const INSTANCE_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// The id of the instance of series `event_id` that starts (originally) at `start`.
pub fn instance_id(event_id: &str, start: Timestamp) -> String {
    format!("{event_id}_{}", start.strftime(INSTANCE_FORMAT))
}

/// An instance id split into the series' id and the instance's original start; `None` for an
/// id without the `_yyyyMMddTHHmmssZ` tail (a single event's, or a series' own).
pub fn parse_instance_id(id: &str) -> Option<(&str, Timestamp)> {
    let (series, tail) = id.rsplit_once('_')?;
    if series.is_empty() || tail.len() != 16 || !tail.ends_with('Z') {
        return None;
    }
    let start = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%S", &tail[..15])
        .ok()?
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()?
        .timestamp();
    Some((series, start))
}

impl KakaoClient {
    /// `POST /v2/api/calendar/update/event/host` on one instance of a series (`instance` from
    /// [`instance_id`]) with a `recur_update_type`. Fields `event` carries replace the old ones;
    /// an empty `rrule` with [`RecurUpdate::All`] makes the series a single event.
    pub async fn update_talk_calendar_instance(
        &self,
        token: &AccessToken,
        instance: &str,
        scope: RecurUpdate,
        event: &CalendarEvent,
    ) -> Result<(), KakaoError> {
        let json =
            serde_json::to_string(event).map_err(|_| KakaoError::Config("the event does not serialise"))?;
        let form = [
            ("event_id", instance.to_owned()),
            ("recur_update_type", scope.as_str().to_owned()),
            ("event", json),
        ];
        let req = self
            .http_client()
            .post(self.api("v2/api/calendar/update/event/host")?)
            .bearer_auth(token.expose())
            .form(&form);
        self.observed(req, |_| None, kapi_maybe_empty).await
    }

    /// `DELETE /v2/api/calendar/delete/event` of one instance of a series, with a
    /// `recur_update_type`.
    pub async fn delete_talk_calendar_instance(
        &self,
        token: &AccessToken,
        instance: &str,
        scope: RecurUpdate,
    ) -> Result<(), KakaoError> {
        let req = self
            .http_client()
            .delete(self.api("v2/api/calendar/delete/event")?)
            .bearer_auth(token.expose())
            .query(&[("event_id", instance), ("recur_update_type", scope.as_str())]);
        self.observed(req, |_| None, kapi_maybe_empty).await
    }
}

/// A kapi call whose success may come with no body (a recurring change) or with `{event_id}`.
async fn kapi_maybe_empty(req: reqwest::RequestBuilder) -> Result<(), KakaoError> {
    let (status, body) = send_raw(req).await?;
    if (200..300).contains(&status) {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        return serde_json::from_slice::<EventIdResponse>(&body)
            .map(|_| ())
            .map_err(|e| KakaoError::Unexpected {
                status,
                detail: format!("body does not match the expected shape: {e}"),
            });
    }
    match serde_json::from_slice::<KapiErrorBody>(&body) {
        Ok(err) => Err(KakaoError::from_kapi(status, err)),
        Err(_) => Err(unexpected(status, &body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_ids_carry_the_utc_start() {
        let start: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
        let id = instance_id("123_000007", start);
        assert_eq!(id, "123_000007_20261203T100000Z");
        assert_eq!(parse_instance_id(&id), Some(("123_000007", start)));
        assert_eq!(parse_instance_id("123_000007"), None);
        assert_eq!(parse_instance_id("66d0ab2cb0c1f80cc89c4107"), None);
        assert_eq!(parse_instance_id("_20261203T100000Z"), None);
        assert_eq!(parse_instance_id("x_20261303T100000Z"), None);
    }
}
