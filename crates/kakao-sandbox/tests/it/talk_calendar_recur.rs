//! Recurring Talk Calendar events (§13; `talk_calendar_recur`): instances listed under
//! `{id}_{yyyyMMddTHHmmssZ}`, the series reachable only through them, and update and delete
//! with `recur_update_type` — `THIS` moves or cancels one instance, `THIS_AND_FOLLOWING` splits
//! the series, `ALL` changes it (and an empty `rrule` makes it a single event again).

use kakao::talk_calendar::{CalendarEvent, EventTime, EventsQuery, EventsRange};
use kakao::talk_calendar_recur::{RecurUpdate, instance_id, parse_instance_id};
use kakao::{AccessToken, KakaoClient};
use serde_json::Value;

use crate::common::*;

async fn calendar_user(env: &Env) -> (AccessToken, i64) {
    let (me, _) = env.new_user("반복주인").await;
    let login = env.login(me, &["openid", "talk_calendar"]).await;
    (login.access(), me)
}

/// 스터디: Thursdays 19:00–21:00 in Seoul, from 2026-12-03, `rule`.
fn study(rule: &str) -> CalendarEvent {
    CalendarEvent {
        title: Some("스터디".into()),
        time: Some(EventTime::timed(
            "2026-12-03T10:00:00Z".parse().unwrap(),
            "2026-12-03T12:00:00Z".parse().unwrap(),
            "Asia/Seoul",
        )),
        rrule: Some(rule.into()),
        description: Some("같이".into()),
        ..Default::default()
    }
}

fn at(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

/// `(id, start_at, title)` of every instance listed in December 2026.
async fn december(client: &KakaoClient, token: &AccessToken) -> Vec<(String, String, String)> {
    let list = client
        .talk_calendar_events(
            token,
            &EventsQuery {
                calendar_id: None,
                range: EventsRange::Between(at("2026-12-01T00:00:00Z"), at("2027-01-01T00:00:00Z")),
                time_zone: None,
                limit: None,
            },
        )
        .await
        .unwrap();
    assert!(
        list.events
            .iter()
            .all(|e| e.is_recur_event == parse_instance_id(&e.id).is_some()),
        "instances, and only they, are recurring: {list:?}"
    );
    list.events
        .into_iter()
        .map(|e| (e.id, e.time.start_at, e.title))
        .collect()
}

fn starts(listed: &[(String, String, String)]) -> Vec<&str> {
    listed.iter().map(|(_, s, _)| s.as_str()).collect()
}

#[tokio::test]
async fn instances_are_listed_and_changed_one_by_one() {
    let env = start().await;
    let (token, me) = calendar_user(&env).await;
    let client = &env.client;
    let id = client
        .create_talk_calendar_event(&token, None, &study("FREQ=WEEKLY;BYDAY=TH"))
        .await
        .unwrap();
    let listed = december(client, &token).await;
    assert_eq!(
        starts(&listed),
        [
            "2026-12-03T10:00:00Z",
            "2026-12-10T10:00:00Z",
            "2026-12-17T10:00:00Z",
            "2026-12-24T10:00:00Z",
            "2026-12-31T10:00:00Z"
        ]
    );
    let second = instance_id(&id, at("2026-12-10T10:00:00Z"));
    assert_eq!(listed[1].0, second, "instance ids carry the UTC start");

    // The id create answered does not reach the series.
    let whole = client.talk_calendar_event(&token, &id).await.unwrap_err();
    assert_eq!(whole.api_code(), Some(-2));
    let refused = client
        .update_talk_calendar_event(&token, &id, &CalendarEvent::default())
        .await
        .unwrap_err();
    assert_eq!(refused.api_code(), Some(-2));
    let detail = client.talk_calendar_event(&token, &second).await.unwrap();
    assert_eq!(
        (
            detail.id.as_str(),
            detail.time.start_at.as_str(),
            detail.rrule.as_deref()
        ),
        (
            second.as_str(),
            "2026-12-10T10:00:00Z",
            Some("FREQ=WEEKLY;BYDAY=TH")
        )
    );

    // recur_update_type is required on an instance.
    let form = [("event_id", second.as_str()), ("event", "{\"title\":\"x\"}")];
    let resp = env
        .http
        .post(format!("{}/v2/api/calendar/update/event/host", env.base))
        .bearer_auth(token.expose())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], -2);

    // THIS moves the second to Friday and keeps its id; the answer has no body.
    let moved = CalendarEvent {
        title: Some("스터디 (금)".into()),
        time: Some(EventTime::timed(
            at("2026-12-11T10:00:00Z"),
            at("2026-12-11T12:00:00Z"),
            "Asia/Seoul",
        )),
        ..Default::default()
    };
    client
        .update_talk_calendar_instance(&token, &second, RecurUpdate::This, &moved)
        .await
        .unwrap();
    // THIS cancels the third.
    let third = instance_id(&id, at("2026-12-17T10:00:00Z"));
    client
        .delete_talk_calendar_instance(&token, &third, RecurUpdate::This)
        .await
        .unwrap();
    let again = client
        .delete_talk_calendar_instance(&token, &third, RecurUpdate::This)
        .await
        .unwrap_err();
    assert_eq!(again.api_code(), Some(-2), "a cancelled instance is gone");
    let listed = december(client, &token).await;
    assert_eq!(
        starts(&listed),
        [
            "2026-12-03T10:00:00Z",
            "2026-12-11T10:00:00Z",
            "2026-12-24T10:00:00Z",
            "2026-12-31T10:00:00Z"
        ]
    );
    assert_eq!(
        listed[1],
        (
            second.clone(),
            "2026-12-11T10:00:00Z".into(),
            "스터디 (금)".into()
        )
    );

    // A start that is not the rule's is not an instance.
    let stray = instance_id(&id, at("2026-12-12T10:00:00Z"));
    let err = client
        .delete_talk_calendar_instance(&token, &stray, RecurUpdate::This)
        .await
        .unwrap_err();
    assert_eq!(err.api_code(), Some(-2));

    // The control API shows the series with its instance changes.
    let admin = env.admin_get(&format!("/_admin/calendar/{me}")).await;
    let instances = &admin["events"][0]["instances"];
    assert_eq!(instances["20261217T100000Z"]["state"], "cancelled", "{admin}");
    assert_eq!(instances["20261210T100000Z"]["state"], "changed", "{admin}");
}

#[tokio::test]
async fn this_and_following_splits_and_all_changes_the_series() {
    let env = start().await;
    let (token, me) = calendar_user(&env).await;
    let client = &env.client;
    let id = client
        .create_talk_calendar_event(&token, None, &study("FREQ=WEEKLY;BYDAY=TH"))
        .await
        .unwrap();
    let fourth = instance_id(&id, at("2026-12-24T10:00:00Z"));
    let later = CalendarEvent {
        title: Some("스터디 (저녁 8시)".into()),
        time: Some(EventTime::timed(
            at("2026-12-24T11:00:00Z"),
            at("2026-12-24T13:00:00Z"),
            "Asia/Seoul",
        )),
        ..Default::default()
    };
    client
        .update_talk_calendar_instance(&token, &fourth, RecurUpdate::ThisAndFollowing, &later)
        .await
        .unwrap();
    let listed = december(client, &token).await;
    assert_eq!(
        starts(&listed),
        [
            "2026-12-03T10:00:00Z",
            "2026-12-10T10:00:00Z",
            "2026-12-17T10:00:00Z",
            "2026-12-24T11:00:00Z",
            "2026-12-31T11:00:00Z"
        ]
    );
    let admin = env.admin_get(&format!("/_admin/calendar/{me}")).await;
    let events = admin["events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "{admin}");
    assert_eq!(events[0]["rrule"], "FREQ=WEEKLY;BYDAY=TH;UNTIL=20261224T095959Z");
    assert_eq!(events[1]["rrule"], "FREQ=WEEKLY;BYDAY=TH");
    assert_ne!(events[1]["id"], id.as_str(), "the rest is a new series");

    // ALL from any instance changes the old series itself: an hour later, every week.
    let first = instance_id(&id, at("2026-12-03T10:00:00Z"));
    let all = CalendarEvent {
        time: Some(EventTime::timed(
            at("2026-12-03T09:00:00Z"),
            at("2026-12-03T11:00:00Z"),
            "Asia/Seoul",
        )),
        ..Default::default()
    };
    client
        .update_talk_calendar_instance(
            &token,
            &instance_id(&id, at("2026-12-17T10:00:00Z")),
            RecurUpdate::All,
            &all,
        )
        .await
        .unwrap();
    assert_eq!(
        &starts(&december(client, &token).await)[..3],
        [
            "2026-12-03T09:00:00Z",
            "2026-12-10T09:00:00Z",
            "2026-12-17T09:00:00Z"
        ]
    );
    let gone = client.talk_calendar_event(&token, &first).await.unwrap_err();
    assert_eq!(gone.api_code(), Some(-2), "instance ids follow the new start");

    // An empty rule makes the series a single event under the id create answered.
    let single = CalendarEvent {
        rrule: Some(String::new()),
        ..Default::default()
    };
    let first = instance_id(&id, at("2026-12-03T09:00:00Z"));
    client
        .update_talk_calendar_instance(&token, &first, RecurUpdate::All, &single)
        .await
        .unwrap();
    let detail = client.talk_calendar_event(&token, &id).await.unwrap();
    assert_eq!(detail.rrule, None);
    assert_eq!(detail.time.start_at, "2026-12-03T09:00:00Z");

    // THIS_AND_FOLLOWING delete ends the other series; ALL delete of the first instance
    // removes a series whole.
    let next_id = events[1]["id"].as_str().unwrap();
    client
        .delete_talk_calendar_instance(
            &token,
            &instance_id(next_id, at("2026-12-31T11:00:00Z")),
            RecurUpdate::ThisAndFollowing,
        )
        .await
        .unwrap();
    let listed = december(client, &token).await;
    assert_eq!(starts(&listed), ["2026-12-03T09:00:00Z", "2026-12-24T11:00:00Z"]);
    client
        .delete_talk_calendar_instance(
            &token,
            &instance_id(next_id, at("2026-12-24T11:00:00Z")),
            RecurUpdate::All,
        )
        .await
        .unwrap();
    client.delete_talk_calendar_event(&token, &id).await.unwrap();
    assert!(december(client, &token).await.is_empty());
}
