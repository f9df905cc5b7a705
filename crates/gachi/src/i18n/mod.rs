//! One message catalogue, Korean first and English second, shared by pages, errors and (later)
//! images and Kakao cards. Keys are stable; error keys are the API's `error` codes.

pub mod account;
pub mod polls;
pub mod share;

use axum::http::{HeaderMap, header};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ko,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "ko" => Some(Lang::Ko),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The `lang` cookie (the page's toggle) wins; otherwise the first of Accept-Language that
    /// we speak; otherwise Korean.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        if let Some(lang) = crate::web::http::cookie(headers, "lang").and_then(|c| Lang::parse(&c)) {
            return lang;
        }
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        for part in accept.split(',') {
            let tag = part.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            if tag.starts_with("ko") {
                return Lang::Ko;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::Ko
    }

    /// The text for `key` in this language (the key itself if the catalogue lacks it, which a
    /// test forbids for every key the code uses).
    pub fn t(self, key: &str) -> &'static str {
        let (ko, en) = text(key);
        match self {
            Lang::Ko => ko,
            Lang::En => en,
        }
    }
}

/// Every key the code uses, for the catalogue test.
pub const KEYS: &[&str] = &[
    "app.tagline",
    "nav.logout",
    "nav.login",
    "nav.lang",
    "sandbox.banner",
    "home.rooms",
    "home.empty",
    "home.create",
    "home.join",
    "home.join.code",
    "room.name",
    "room.description",
    "room.create",
    "room.members",
    "room.owner",
    "room.member",
    "room.rename",
    "room.delete",
    "room.delete.confirm",
    "room.invite",
    "room.invite.code",
    "room.invite.link",
    "room.invite.qr",
    "room.leave",
    "room.remove",
    "room.transfer",
    "room.save",
    "invite.title",
    "invite.join",
    "invite.login",
    "login.cancelled",
    "login.again",
    "error.title",
    "error.home",
    "login_required",
    "not_found",
    "forbidden",
    "csrf_failed",
    "bad_json",
    "bad_query",
    "validation",
    "name_required",
    "name_too_long",
    "description_too_long",
    "invite_not_found",
    "owner_must_transfer",
    "not_a_member",
    "rate_limited",
    "login_failed",
    "internal",
    "unauthorized",
    "payload_too_large",
    "method_not_allowed",
    "unsupported_media_type",
    "title_required",
    "title_too_long",
    "unknown_time_zone",
    "location_too_long",
    "memo_too_long",
    "date_required",
    "date_invalid",
    "time_required",
    "time_invalid",
    "end_before_start",
    "span_too_long",
    "range_invalid",
    "cal.month",
    "cal.week",
    "cal.list",
    "cal.today",
    "cal.prev",
    "cal.next",
    "cal.more",
    "cal.none",
    "cal.all_day",
    "cal.holidays_unknown",
    "cal.add",
    "event.title",
    "event.all_day",
    "event.date",
    "event.start",
    "event.end",
    "event.end_date",
    "event.location",
    "event.memo",
    "event.time_zone",
    "event.save",
    "event.delete",
    "event.edit",
    "event.ics",
    "event.new",
    "event.back",
    "feed.title",
    "feed.help",
    "feed.rotate",
    "wd.0",
    "wd.1",
    "wd.2",
    "wd.3",
    "wd.4",
    "wd.5",
    "wd.6",
];

fn text(key: &str) -> (&'static str, &'static str) {
    match key {
        "app.tagline" => (
            "친구들과 함께 일정을 만들고 카카오톡으로 공유하세요.",
            "Make a schedule with friends and share it on KakaoTalk.",
        ),
        "nav.logout" => ("로그아웃", "Log out"),
        "nav.login" => ("카카오로 시작하기", "Continue with Kakao"),
        "nav.lang" => ("English", "한국어"),
        "sandbox.banner" => (
            "Kakao 샌드박스 모드 — 실제 카카오가 아닙니다. 누구나 누구로든 로그인할 수 있어요.",
            "Kakao sandbox mode — not real Kakao. Anyone can log in as anyone.",
        ),
        "home.rooms" => ("내 공유방", "My rooms"),
        "home.empty" => (
            "아직 공유방이 없어요. 하나 만들어 친구를 초대해 보세요.",
            "No rooms yet. Create one and invite your friends.",
        ),
        "home.create" => ("새 공유방 만들기", "Create a room"),
        "home.join" => ("초대 코드로 참여", "Join with a code"),
        "home.join.code" => ("초대 코드", "Invite code"),
        "room.name" => ("방 이름", "Room name"),
        "room.description" => ("설명", "Description"),
        "room.create" => ("만들기", "Create"),
        "room.members" => ("멤버", "Members"),
        "room.owner" => ("방장", "Owner"),
        "room.member" => ("멤버", "Member"),
        "room.rename" => ("이름 바꾸기", "Rename"),
        "room.delete" => ("공유방 삭제", "Delete room"),
        "room.delete.confirm" => (
            "정말 삭제할까요? 되돌릴 수 없어요.",
            "Delete this room? This cannot be undone.",
        ),
        "room.invite" => ("초대하기", "Invite"),
        "room.invite.code" => ("초대 코드", "Invite code"),
        "room.invite.link" => ("초대 링크", "Invite link"),
        "room.invite.qr" => ("QR 코드", "QR code"),
        "room.leave" => ("방 나가기", "Leave room"),
        "room.remove" => ("내보내기", "Remove"),
        "room.transfer" => ("방장 넘기기", "Make owner"),
        "room.save" => ("저장", "Save"),
        "invite.title" => ("공유방 초대", "Room invitation"),
        "invite.join" => ("참여하기", "Join"),
        "invite.login" => ("카카오로 로그인하고 참여하기", "Log in with Kakao to join"),
        "login.cancelled" => ("카카오 로그인을 취소했어요.", "You cancelled the Kakao login."),
        "login.again" => ("다시 로그인", "Log in again"),
        "error.title" => ("문제가 생겼어요", "Something went wrong"),
        "error.home" => ("처음으로", "Home"),
        "login_required" => ("로그인이 필요해요.", "Please log in."),
        "not_found" => ("찾을 수 없어요.", "Not found."),
        "forbidden" => ("이 작업을 할 권한이 없어요.", "You are not allowed to do that."),
        "csrf_failed" => (
            "요청을 확인할 수 없어요. 페이지를 새로고침한 뒤 다시 시도하세요.",
            "This request could not be verified. Reload the page and try again.",
        ),
        "bad_json" => (
            "요청 본문이 올바른 JSON이 아니에요.",
            "The request body is not valid JSON.",
        ),
        "bad_query" => (
            "주소의 조건(쿼리)이 올바르지 않아요.",
            "The address's query parameters are not valid.",
        ),
        "validation" => ("입력한 내용을 확인해 주세요.", "Please check what you entered."),
        "name_required" => ("이름을 입력해 주세요.", "Please enter a name."),
        "name_too_long" => (
            "이름은 60자까지 쓸 수 있어요.",
            "Names can be at most 60 characters.",
        ),
        "description_too_long" => (
            "설명은 500자까지 쓸 수 있어요.",
            "Descriptions can be at most 500 characters.",
        ),
        "invite_not_found" => (
            "초대 코드를 찾을 수 없어요. 코드를 다시 확인해 주세요.",
            "That invite code was not found. Please check it.",
        ),
        "owner_must_transfer" => (
            "방장은 먼저 다른 멤버에게 방장을 넘겨야 나갈 수 있어요.",
            "The owner must hand the room to another member before leaving.",
        ),
        "not_a_member" => (
            "그 사용자는 이 방의 멤버가 아니에요.",
            "That user is not a member of this room.",
        ),
        "rate_limited" => (
            "요청이 너무 많아요. 잠시 후 다시 시도하세요.",
            "Too many requests. Try again in a moment.",
        ),
        "login_failed" => (
            "카카오 로그인을 완료하지 못했어요. 다시 시도해 주세요.",
            "The Kakao login could not be completed. Please try again.",
        ),
        "internal" => (
            "서버에 문제가 생겼어요. 잠시 후 다시 시도하세요.",
            "Something went wrong on our side. Try again later.",
        ),
        "unauthorized" => ("인증 정보가 올바르지 않아요.", "The credentials are not valid."),
        "payload_too_large" => ("요청이 너무 커요.", "The request is too large."),
        "method_not_allowed" => (
            "허용되지 않는 요청 방식이에요.",
            "That method is not allowed here.",
        ),
        "unsupported_media_type" => (
            "요청 형식을 지원하지 않아요.",
            "That content type is not supported.",
        ),
        "title_required" => ("제목을 입력해 주세요.", "Please enter a title."),
        "title_too_long" => (
            "제목은 100자까지 쓸 수 있어요.",
            "Titles can be at most 100 characters.",
        ),
        "unknown_time_zone" => (
            "알 수 없는 시간대예요. 예: Asia/Seoul",
            "Unknown time zone. Example: Asia/Seoul",
        ),
        "location_too_long" => (
            "장소는 200자까지 쓸 수 있어요.",
            "Places can be at most 200 characters.",
        ),
        "memo_too_long" => (
            "메모는 2000자까지 쓸 수 있어요.",
            "Memos can be at most 2000 characters.",
        ),
        "date_required" => ("날짜를 입력해 주세요.", "Please enter a date."),
        "date_invalid" => (
            "날짜는 YYYY-MM-DD 형식으로 써 주세요.",
            "Write dates as YYYY-MM-DD.",
        ),
        "time_required" => ("시간을 입력해 주세요.", "Please enter a time."),
        "time_invalid" => (
            "시간은 시간대가 붙은 RFC 3339 형식이어야 해요. 예: 2026-12-24T19:00:00+09:00",
            "Times must be RFC 3339 with an offset, e.g. 2026-12-24T19:00:00+09:00.",
        ),
        "end_before_start" => (
            "끝이 시작보다 앞설 수 없어요.",
            "The end cannot be before the start.",
        ),
        "span_too_long" => (
            "일정은 1년을 넘을 수 없어요.",
            "An event cannot be longer than a year.",
        ),
        "range_invalid" => (
            "기간이 올바르지 않아요 (to는 from 뒤, 최대 1년).",
            "Invalid range (to after from, at most a year).",
        ),
        "cal.month" => ("월", "Month"),
        "cal.week" => ("주", "Week"),
        "cal.list" => ("목록", "List"),
        "cal.today" => ("오늘", "Today"),
        "cal.prev" => ("이전", "Previous"),
        "cal.next" => ("다음", "Next"),
        "cal.more" => ("개 더", " more"),
        "cal.none" => ("이 기간에는 일정이 없어요.", "No events in this period."),
        "cal.all_day" => ("종일", "All day"),
        "cal.holidays_unknown" => (
            "이 기간의 공휴일 정보는 없어요.",
            "Public holidays are not known for this period.",
        ),
        "cal.add" => ("일정 추가", "Add event"),
        "event.title" => ("제목", "Title"),
        "event.all_day" => ("종일", "All day"),
        "event.date" => ("날짜", "Date"),
        "event.start" => ("시작 시간", "Start time"),
        "event.end" => ("끝 시간", "End time"),
        "event.end_date" => ("끝 날짜", "End date"),
        "event.location" => ("장소", "Place"),
        "event.memo" => ("메모", "Memo"),
        "event.time_zone" => ("시간대", "Time zone"),
        "event.save" => ("저장", "Save"),
        "event.delete" => ("일정 삭제", "Delete event"),
        "event.edit" => ("일정 수정", "Edit event"),
        "event.ics" => ("캘린더에 추가 (.ics)", "Add to calendar (.ics)"),
        "event.new" => ("새 일정", "New event"),
        "event.back" => ("공유방으로", "Back to the room"),
        "feed.title" => ("캘린더 구독", "Calendar subscription"),
        "feed.help" => (
            "이 주소를 구글·애플 캘린더에 구독으로 추가하면 일정이 자동으로 들어가요. 주소를 아는 사람은 누구나 볼 수 있어요.",
            "Subscribe to this address in Google or Apple Calendar. Anyone with the address can read it.",
        ),
        "feed.rotate" => ("구독 주소 바꾸기", "Change the address"),
        "wd.0" => ("일", "Sun"),
        "wd.1" => ("월", "Mon"),
        "wd.2" => ("화", "Tue"),
        "wd.3" => ("수", "Wed"),
        "wd.4" => ("목", "Thu"),
        "wd.5" => ("금", "Fri"),
        "wd.6" => ("토", "Sat"),
        other => crate::i18n::share::text(other)
            .or_else(|| crate::i18n::polls::text(other))
            .or_else(|| crate::i18n::account::text(other))
            .unwrap_or(("", "")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages() {
        for key in KEYS
            .iter()
            .chain(crate::i18n::share::KEYS)
            .chain(crate::i18n::polls::KEYS)
            .chain(crate::i18n::account::KEYS)
        {
            assert!(!Lang::Ko.t(key).is_empty(), "{key} lacks Korean");
            assert!(!Lang::En.t(key).is_empty(), "{key} lacks English");
        }
    }

    #[test]
    fn accept_language_and_cookie() {
        let mut h = HeaderMap::new();
        assert_eq!(Lang::from_headers(&h), Lang::Ko);
        h.insert(
            header::ACCEPT_LANGUAGE,
            "en-US,en;q=0.9,ko;q=0.8".parse().unwrap(),
        );
        assert_eq!(Lang::from_headers(&h), Lang::En);
        h.insert(header::COOKIE, "lang=ko".parse().unwrap());
        assert_eq!(Lang::from_headers(&h), Lang::Ko);
    }
}
