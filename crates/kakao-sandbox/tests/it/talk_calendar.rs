//! Talk Calendar (§13, §14.12): the client's methods against the sandbox over real HTTP —
//! calendars, create/read/update/delete, the list with its range rules and paging — and
//! Kakao's refusals: `-2` for bad event JSON, `-402` without `talk_calendar` (pinned as
//! literal JSON), `-501` for a user without KakaoTalk, `-5` for a non-member without permission.

use kakao::talk_calendar::{CalendarEvent, EventLocation, EventTime, EventsQuery, EventsRange, PRIMARY};
use kakao::{AccessToken, ErrorKind};
use serde_json::{Value, json};

use crate::common::*;

/// A fresh member who agreed to `talk_calendar`: (token, user id).
async fn calendar_user(env: &Env) -> (AccessToken, i64) {
    let (me, _) = env.new_user("달력주인").await;
    let login = env.login(me, &["openid", "talk_calendar"]).await;
    (login.access(), me)
}

fn dinner() -> CalendarEvent {
    CalendarEvent {
        title: Some("송년회".into()),
        time: Some(EventTime::timed(
            "2026-12-24T10:00:00Z".parse().unwrap(),
            "2026-12-24T12:00:00Z".parse().unwrap(),
            "Asia/Seoul",
        )),
        description: Some("같이에서 만든 일정".into()),
        location: Some(EventLocation {
            name: Some("홍대".into()),
            ..Default::default()
        }),
        reminders: Some(vec![30]),
        color: Some("LAVENDER".into()),
        ..Default::default()
    }
}

async fn admin_events(env: &Env, user: i64) -> Vec<Value> {
    env.admin_get(&format!("/_admin/calendar/{user}")).await["events"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn events_are_created_read_listed_updated_and_deleted() {
    let env = start().await;
    let (token, me) = calendar_user(&env).await;

    let cals = env.client.talk_calendars(&token).await.unwrap();
    assert_eq!(cals.calendars[0].id, PRIMARY);

    let id = env
        .client
        .create_talk_calendar_event(&token, None, &dinner())
        .await
        .unwrap();
    let detail = env.client.talk_calendar_event(&token, &id).await.unwrap();
    assert_eq!(detail.title, "송년회");
    assert_eq!(detail.calendar_id, PRIMARY);
    assert_eq!(detail.time.start_at, "2026-12-24T10:00:00Z");
    assert_eq!(detail.location.unwrap().name.as_deref(), Some("홍대"));

    // An all-day event: 00:00Z of the first day to 00:00Z of the day after the last.
    let christmas = CalendarEvent {
        title: Some("크리스마스".into()),
        time: Some(EventTime::all_day(
            "2026-12-25".parse().unwrap(),
            "2026-12-25".parse().unwrap(),
            "Asia/Seoul",
        )),
        ..Default::default()
    };
    let all_day = env
        .client
        .create_talk_calendar_event(&token, Some(PRIMARY), &christmas)
        .await
        .unwrap();
    let events = admin_events(&env, me).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[1]["time"]["end_at"], "2026-12-26T00:00:00Z");
    assert_eq!(events[1]["time"]["all_day"], true);

    let list = env
        .client
        .talk_calendar_events(
            &token,
            &EventsQuery {
                calendar_id: None,
                range: EventsRange::Between(
                    "2026-12-01T00:00:00Z".parse().unwrap(),
                    "2026-12-31T00:00:00Z".parse().unwrap(),
                ),
                time_zone: None,
                limit: Some(100),
            },
        )
        .await
        .unwrap();
    let ids: Vec<&str> = list.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, [id.as_str(), all_day.as_str()]);
    assert!(!list.has_next);

    // Update as host: only the given fields change.
    let change = CalendarEvent {
        title: Some("송년회 (장소 변경)".into()),
        location: Some(EventLocation {
            name: Some("합정".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(
        env.client
            .update_talk_calendar_event(&token, &id, &change)
            .await
            .unwrap(),
        id
    );
    let detail = env.client.talk_calendar_event(&token, &id).await.unwrap();
    assert_eq!(detail.title, "송년회 (장소 변경)");
    assert_eq!(detail.time.start_at, "2026-12-24T10:00:00Z", "time kept");
    assert_eq!(detail.location.unwrap().name.as_deref(), Some("합정"));

    assert_eq!(
        env.client.delete_talk_calendar_event(&token, &id).await.unwrap(),
        id
    );
    let gone = env.client.talk_calendar_event(&token, &id).await.unwrap_err();
    assert_eq!(gone.api_code(), Some(-2));
    assert_eq!(admin_events(&env, me).await.len(), 1);
}

#[tokio::test]
async fn the_list_pages_and_keeps_to_kakaos_range_rules() {
    let env = start().await;
    let (token, _) = calendar_user(&env).await;
    for day in 1..=3 {
        let event = CalendarEvent {
            title: Some(format!("일정 {day}")),
            time: Some(EventTime::all_day(
                format!("2026-12-0{day}").parse().unwrap(),
                format!("2026-12-0{day}").parse().unwrap(),
                "Asia/Seoul",
            )),
            ..Default::default()
        };
        env.client
            .create_talk_calendar_event(&token, None, &event)
            .await
            .unwrap();
    }
    let raw = |query: &'static str| {
        let env = &env;
        let token = token.expose().to_owned();
        async move {
            let resp = env
                .http
                .get(format!("{}/v2/api/calendar/events?{query}", env.base))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            (resp.status().as_u16(), resp.json::<Value>().await.unwrap())
        }
    };
    // More than 31 days, a limit under 100, and neither range nor preset: -2.
    let (status, body) = raw("from=2026-12-01T00:00:00Z&to=2027-01-02T00:00:00Z").await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(-2)), "{body}");
    let (status, body) = raw("from=2026-12-01T00:00:00Z&to=2026-12-31T00:00:00Z&limit=10").await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(-2)), "{body}");
    let (status, body) = raw("limit=100").await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(-2)), "{body}");

    let (status, body) = raw("from=2026-12-01T00:00:00Z&to=2026-12-03T00:00:00Z&limit=100").await;
    assert_eq!(status, 200, "{body}");
    let titles: Vec<&str> = body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["일정 1", "일정 2"], "events meeting [from, to)");
    assert_eq!(body["has_next"], false);
    assert!(body.get("after_url").is_none());

    let preset = env
        .client
        .talk_calendar_events(
            &token,
            &EventsQuery {
                calendar_id: Some(PRIMARY.into()),
                range: EventsRange::Preset("TODAY".into()),
                time_zone: Some("Asia/Seoul".into()),
                limit: None,
            },
        )
        .await
        .unwrap();
    assert!(preset.events.is_empty(), "nothing today in 2026-12");

    // Past `limit` events the list pages: `has_next`, and `after_url` carries the token.
    for i in 0..100 {
        let event = CalendarEvent {
            title: Some(format!("반복 {i}")),
            time: Some(EventTime::all_day(
                "2026-12-10".parse().unwrap(),
                "2026-12-10".parse().unwrap(),
                "Asia/Seoul",
            )),
            ..Default::default()
        };
        env.client
            .create_talk_calendar_event(&token, None, &event)
            .await
            .unwrap();
    }
    let query = EventsQuery {
        calendar_id: None,
        range: EventsRange::Between(
            "2026-12-01T00:00:00Z".parse().unwrap(),
            "2026-12-31T00:00:00Z".parse().unwrap(),
        ),
        time_zone: None,
        limit: Some(100),
    };
    let first = env.client.talk_calendar_events(&token, &query).await.unwrap();
    assert_eq!(first.events.len(), 100);
    assert!(first.has_next);
    let next = EventsQuery::next_page(first.after_url.as_deref().unwrap()).unwrap();
    let second = env.client.talk_calendar_events(&token, &next).await.unwrap();
    assert_eq!(second.events.len(), 3);
    assert!(!second.has_next && second.after_url.is_none());
}

#[tokio::test]
async fn bad_event_json_is_minus_2_and_changes_nothing() {
    let env = start().await;
    let (token, me) = calendar_user(&env).await;
    let id = env
        .client
        .create_talk_calendar_event(&token, None, &dinner())
        .await
        .unwrap();
    let bad: Vec<(&str, CalendarEvent)> = vec![
        (
            "no title",
            CalendarEvent {
                title: None,
                ..dinner()
            },
        ),
        (
            "title over 50",
            CalendarEvent {
                title: Some("가".repeat(51)),
                ..dinner()
            },
        ),
        (
            "description over 5000",
            CalendarEvent {
                description: Some("a".repeat(5001)),
                ..dinner()
            },
        ),
        (
            "location name over 50",
            CalendarEvent {
                location: Some(EventLocation {
                    name: Some("나".repeat(51)),
                    ..Default::default()
                }),
                ..dinner()
            },
        ),
        (
            "end before start",
            CalendarEvent {
                time: Some(EventTime {
                    start_at: "2026-12-24T12:00:00Z".into(),
                    end_at: "2026-12-24T10:00:00Z".into(),
                    ..Default::default()
                }),
                ..dinner()
            },
        ),
        (
            "not UTC Z",
            CalendarEvent {
                time: Some(EventTime {
                    start_at: "2026-12-24T19:00:00+09:00".into(),
                    end_at: "2026-12-24T21:00:00+09:00".into(),
                    ..Default::default()
                }),
                ..dinner()
            },
        ),
        (
            "minutes off the 5-minute step",
            CalendarEvent {
                time: Some(EventTime {
                    start_at: "2026-12-24T10:03:00Z".into(),
                    end_at: "2026-12-24T12:00:00Z".into(),
                    ..Default::default()
                }),
                ..dinner()
            },
        ),
        (
            "three reminders",
            CalendarEvent {
                reminders: Some(vec![5, 10, 15]),
                ..dinner()
            },
        ),
        (
            "reminder off the step",
            CalendarEvent {
                reminders: Some(vec![7]),
                ..dinner()
            },
        ),
        (
            "YELLOW is no Kakao colour",
            CalendarEvent {
                color: Some("YELLOW".into()),
                ..dinner()
            },
        ),
    ];
    for (what, event) in &bad {
        let err = env
            .client
            .create_talk_calendar_event(&token, None, event)
            .await
            .unwrap_err();
        assert_eq!(err.api_code(), Some(-2), "{what}: {err}");
        assert_eq!(err.kind(), ErrorKind::Permanent, "{what}");
        if event.title.is_some() {
            let err = env
                .client
                .update_talk_calendar_event(&token, &id, event)
                .await
                .unwrap_err();
            assert_eq!(err.api_code(), Some(-2), "update, {what}: {err}");
        }
    }
    let events = admin_events(&env, me).await;
    assert_eq!(events.len(), 1, "nothing bad was stored");
    assert_eq!(events[0]["title"], "송년회", "and nothing was changed");

    // Not JSON at all, and no event parameter.
    let (status, body) = raw_post(
        &env,
        "/v2/api/calendar/create/event",
        token.expose(),
        &[("event", "{")],
    )
    .await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(-2)));
    let (status, body) = raw_post(&env, "/v2/api/calendar/create/event", token.expose(), &[]).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"msg": "The Parameter [event] cannot be null.", "code": -2})
    );
}

#[tokio::test]
async fn without_consent_talk_or_membership_kakao_refuses() {
    let env = start().await;
    // Agreed to nothing but the profile: -402, pinned as Kakao writes it.
    let (me, _) = env.new_user("동의안함").await;
    let login = env.login(me, &["openid", "profile_nickname"]).await;
    let event = serde_json::to_string(&dinner()).unwrap();
    let (status, body) = raw_post(
        &env,
        "/v2/api/calendar/create/event",
        login.access().expose(),
        &[("event", &event)],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        json!({
            "msg": "insufficient scopes.",
            "code": -402,
            "api_type": "TALK_CALENDAR",
            "required_scopes": ["talk_calendar"],
            "allowed_scopes": ["profile_image", "profile_nickname"]
        })
    );
    let err = env
        .client
        .create_talk_calendar_event(&login.access(), None, &dinner())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NeedsConsent(vec!["talk_calendar".into()]));

    // Agreed, then revoked: -402 again, and nothing was created.
    let (token, me) = calendar_user(&env).await;
    env.client
        .revoke_scopes(&token, &["talk_calendar"])
        .await
        .unwrap();
    let err = env
        .client
        .create_talk_calendar_event(&token, None, &dinner())
        .await
        .unwrap_err();
    assert_eq!(err.api_code(), Some(-402));
    assert!(admin_events(&env, me).await.is_empty());

    // No KakaoTalk: -501.
    let (token, me) = calendar_user(&env).await;
    let resp = env
        .http
        .patch(format!("{}/_admin/users/{me}", env.base))
        .json(&json!({"talk_user": false}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let err = env.client.talk_calendars(&token).await.unwrap_err();
    assert_eq!(err.api_code(), Some(-501));

    // Not an app member while the app lacks the Talk Calendar permission: -5; with it, fine.
    let (token, me) = calendar_user(&env).await;
    let resp = env
        .http
        .patch(format!("{}/_admin/users/{me}", env.base))
        .json(&json!({"member": false}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let err = env
        .client
        .create_talk_calendar_event(&token, None, &dinner())
        .await
        .unwrap_err();
    assert_eq!(err.api_code(), Some(-5));
    env.put_app(json!({"talk_calendar_permission": true})).await;
    env.client
        .create_talk_calendar_event(&token, None, &dinner())
        .await
        .unwrap();

    // The admin key cannot act in a user's calendar.
    let resp = env
        .http
        .get(format!(
            "{}/v2/api/calendar/calendars?target_id_type=user_id&target_id={me}",
            env.base
        ))
        .header("authorization", format!("KakaoAK {}", env.app.admin_key))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
}
