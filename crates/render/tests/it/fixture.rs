//! The fixed schedule every golden image and fit test draws: long titles, overlapping events, a
//! holiday (기독탄신일), an all-day span across days, emoji, and a `<script>` title.

use domain::event::{Event, EventTime};
use jiff::civil::{Date, date};
use render::{ImageRequest, Lang, Size, View};

pub const ROOM: &str = "🎄 연말 모임방 (대학 동기들)";
pub const CARD_EVENT: &str = "0193f1a0-0000-7000-8000-000000000003";

pub fn today() -> Date {
    date(2026, 12, 22)
}

fn timed(id: &str, title: &str, start: &str, end: &str) -> Event {
    Event {
        id: id.to_owned(),
        title: title.to_owned(),
        when: EventTime::Timed {
            starts_at: start.parse().unwrap(),
            ends_at: end.parse().unwrap(),
        },
        time_zone: "Asia/Seoul".to_owned(),
        location: None,
        memo: None,
        created_by: "user-1".to_owned(),
        sequence: 0,
    }
}

fn all_day(id: &str, title: &str, start: Date, end: Date) -> Event {
    Event {
        when: EventTime::AllDay {
            start_date: start,
            end_date: end,
        },
        ..timed(id, title, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")
    }
}

pub fn events() -> Vec<Event> {
    let id = |n: u32| format!("0193f1a0-0000-7000-8000-{n:012}");
    let mut party = timed(
        &id(3),
        "🎉 연말 송년회: 다 같이 모여서 맛있는 저녁 먹고 2차 노래방까지 가는 아주 긴 제목의 모임",
        "2026-12-24T19:00:00+09:00",
        "2026-12-24T21:00:00+09:00",
    );
    party.location = Some("서울 마포구 양화로 160, 홍대입구역 9번 출구 앞 '같이 식당' 2층 단체석".to_owned());
    party.memo =
        Some("회비는 3만 원이에요. 늦으면 단톡방에 꼭 말해 주세요! 🙏 선물 교환도 있어요.".to_owned());
    vec![
        timed(
            &id(1),
            "팀 회의",
            "2026-12-21T10:00:00+09:00",
            "2026-12-21T11:30:00+09:00",
        ),
        timed(
            &id(2),
            "점심 약속 🍜 민지랑",
            "2026-12-21T11:00:00+09:00",
            "2026-12-21T13:00:00+09:00",
        ),
        party,
        timed(
            &id(4),
            "<script>alert('x')</script>",
            "2026-12-23T15:00:00+09:00",
            "2026-12-23T16:30:00+09:00",
        ),
        all_day(
            &id(5),
            "제주도 가족 여행 ✈️",
            date(2026, 12, 24),
            date(2026, 12, 26),
        ),
        timed(
            &id(6),
            "크리스마스 예배",
            "2026-12-25T11:00:00+09:00",
            "2026-12-25T12:00:00+09:00",
        ),
        timed(
            &id(7),
            "알고리즘 스터디",
            "2026-12-22T14:00:00+09:00",
            "2026-12-22T16:00:00+09:00",
        ),
        timed(
            &id(8),
            "병원 예약",
            "2026-12-22T14:30:00+09:00",
            "2026-12-22T15:30:00+09:00",
        ),
        timed(
            &id(9),
            "택배 수령",
            "2026-12-22T15:00:00+09:00",
            "2026-12-22T17:00:00+09:00",
        ),
        timed(
            &id(10),
            "Coffee with Min-ji & Tom",
            "2026-12-22T09:00:00+09:00",
            "2026-12-22T10:00:00+09:00",
        ),
        timed(
            &id(11),
            "새벽 배포 🚀",
            "2026-12-26T23:00:00+09:00",
            "2026-12-27T01:00:00+09:00",
        ),
        all_day(
            &id(12),
            "기말 프로젝트 마감 주간",
            date(2026, 12, 14),
            date(2026, 12, 18),
        ),
        timed(
            &id(13),
            "동아리 정기 모임",
            "2026-12-05T18:00:00+09:00",
            "2026-12-05T20:00:00+09:00",
        ),
        timed(
            &id(14),
            "영화 보기",
            "2026-12-12T14:00:00+09:00",
            "2026-12-12T16:30:00+09:00",
        ),
        timed(
            &id(15),
            "제야의 종 보러 가기 🔔",
            "2026-12-31T23:00:00+09:00",
            "2027-01-01T01:00:00+09:00",
        ),
        timed(
            &id(16),
            "저녁 운동",
            "2026-12-22T19:00:00+09:00",
            "2026-12-22T20:00:00+09:00",
        ),
        timed(
            &id(17),
            "치과",
            "2026-12-09T10:00:00+09:00",
            "2026-12-09T11:00:00+09:00",
        ),
    ]
}

pub fn request(view: View, size: Size, locale: Lang) -> ImageRequest {
    ImageRequest {
        view,
        room_name: ROOM.to_owned(),
        events: events(),
        time_zone: "Asia/Seoul".to_owned(),
        today: today(),
        locale,
        size,
        rsvp: None,
        row_rsvp: Vec::new(),
    }
}

/// The four golden cases: (file stem, request).
pub fn cases() -> Vec<(&'static str, ImageRequest)> {
    let card = View::Card {
        event_id: CARD_EVENT.to_owned(),
    };
    vec![
        ("card_1080x1350", request(card.clone(), Size::PORTRAIT, Lang::Ko)),
        ("card_800x400", request(card, Size::FEED, Lang::Ko)),
        (
            "week_1080x1350",
            request(
                View::Week {
                    date: date(2026, 12, 24),
                },
                Size::PORTRAIT,
                Lang::Ko,
            ),
        ),
        (
            "month_1080x1350",
            request(
                View::Month {
                    date: date(2026, 12, 1),
                },
                Size::PORTRAIT,
                Lang::Ko,
            ),
        ),
    ]
}

/// Extra cases the fit test also checks (English labels, other layouts at the feed size).
pub fn extra_cases() -> Vec<ImageRequest> {
    let card = View::Card {
        event_id: CARD_EVENT.to_owned(),
    };
    let mut list = Vec::new();
    for locale in [Lang::Ko, Lang::En] {
        for size in [Size::PORTRAIT, Size::FEED] {
            list.push(request(card.clone(), size, locale));
            list.push(request(
                View::Week {
                    date: date(2026, 12, 24),
                },
                size,
                locale,
            ));
            list.push(request(
                View::Month {
                    date: date(2026, 12, 1),
                },
                size,
                locale,
            ));
        }
        for n in [1, 5, 9, 12] {
            list.push(request(
                View::Card {
                    event_id: format!("0193f1a0-0000-7000-8000-{n:012}"),
                },
                Size::PORTRAIT,
                locale,
            ));
        }
    }
    list
}

/// A full week (12/20–26) on top of the fixture: 28 more events with titles of 60+ characters,
/// several a day, so the agenda has to choose.
pub fn busy_events() -> Vec<Event> {
    let mut list = events();
    let long = "대학 동기 연말 모임 준비 회의: 장소 정하기, 회비 걷기, 선물 교환 규칙 정하기, 2차 장소까지 전부 정하는 자리";
    assert!(long.chars().count() >= 60);
    for n in 0..28u32 {
        let day = 20 + n % 7;
        let hour = 8 + (n / 7) * 3;
        list.push(timed(
            &format!("0193f1a0-0000-7000-8001-{n:012}"),
            &format!("{n}번째 {long}"),
            &format!("2026-12-{day}T{hour:02}:00:00+09:00"),
            &format!("2026-12-{day}T{:02}:30:00+09:00", hour + 1),
        ));
    }
    list
}

/// Everything that can go into a KakaoTalk bubble: the event card and the week and month
/// agendas, in both languages, on the fixture and on a full week. (file stem, request).
pub fn bubble_cases() -> Vec<(String, ImageRequest)> {
    let mut list = Vec::new();
    for locale in [Lang::Ko, Lang::En] {
        for (busy, events) in [("", events()), ("_busy", busy_events())] {
            let with = |view: View, size: Size| ImageRequest {
                events: events.clone(),
                ..request(view, size, locale)
            };
            let code = locale.code();
            list.push((
                format!("card_{code}{busy}"),
                with(
                    View::Card {
                        event_id: CARD_EVENT.to_owned(),
                    },
                    Size::PORTRAIT,
                ),
            ));
            list.push((
                format!("week_agenda_{code}{busy}"),
                with(
                    View::WeekAgenda {
                        date: date(2026, 12, 24),
                    },
                    Size::BUBBLE,
                ),
            ));
            list.push((
                format!("month_agenda_{code}{busy}"),
                with(
                    View::MonthAgenda {
                        date: date(2026, 12, 1),
                    },
                    Size::BUBBLE,
                ),
            ));
        }
        // A week with nothing in it still says so legibly.
        list.push((
            format!("week_agenda_{}_empty", locale.code()),
            request(
                View::WeekAgenda {
                    date: date(2027, 3, 10),
                },
                Size::BUBBLE,
                locale,
            ),
        ));
    }
    list
}
