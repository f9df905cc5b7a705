//! One message catalogue, Korean first and English second, shared by pages, errors and (later)
//! images and Kakao cards. Keys are stable; error keys are the API's `error` codes.

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
        if let Some(lang) = crate::web::cookie(headers, "lang").and_then(|c| Lang::parse(&c)) {
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
        _ => ("", ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages() {
        for key in KEYS {
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
