//! The catalogue's account and Talk Calendar texts (issue 11), kept apart like the sharing
//! texts. `i18n::Lang::t` falls back to this table.

/// Every account and Talk Calendar key the code uses, for the catalogue test.
pub const KEYS: &[&str] = &[
    "nav.account",
    "account.title",
    "account.consents",
    "account.consents.intro",
    "account.consent.agreed",
    "account.consent.not_agreed",
    "account.consent.revoke",
    "account.consent.required",
    "account.talk_calendar",
    "account.talk_calendar.none",
    "account.export",
    "account.export.intro",
    "account.export.json",
    "account.export.ics",
    "account.sessions",
    "account.sessions.intro",
    "account.logout_everywhere",
    "account.delete",
    "account.delete.intro",
    "account.delete.rooms",
    "account.delete.confirm",
    "account.delete.button",
    "account.notice.revoked",
    "account.confirm_required",
    "account.scopes_required",
    "scope_not_revocable",
    "scope_unknown",
    "kakao_login_required",
    "talk_calendar_not_talk_user",
    "talk_calendar_no_permission",
    "talk_calendar_invalid",
    "talk_calendar.add",
    "talk_calendar.explain",
    "talk_calendar.notice.added",
    "talk_calendar.notice.updated",
    "talk_calendar.notice.consent",
    "talk_calendar.notice.not_talk_user",
    "talk_calendar.notice.no_permission",
    "talk_calendar.notice.invalid",
    "talk_calendar.notice.unavailable",
];

pub fn text(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "nav.account" => ("내 계정", "My account"),
        "account.title" => ("내 계정", "My account"),
        "account.consents" => ("카카오 동의 항목", "Kakao consents"),
        "account.consents.intro" => (
            "카카오가 지금 알려 준 동의 상태예요. 필수가 아닌 항목은 여기서 철회할 수 있고, 필요할 때 다시 물어봐요.",
            "What Kakao reports right now. Items that are not required can be withdrawn here; Gachi asks again when it needs them.",
        ),
        "account.consent.agreed" => ("동의함", "Agreed"),
        "account.consent.not_agreed" => ("동의 안 함", "Not agreed"),
        "account.consent.revoke" => ("동의 철회", "Withdraw"),
        "account.consent.required" => ("필수", "Required"),
        "account.talk_calendar" => ("내 톡캘린더에 넣은 일정", "Events in my Talk Calendar"),
        "account.talk_calendar.none" => (
            "아직 톡캘린더에 넣은 일정이 없어요.",
            "No events in your Talk Calendar yet.",
        ),
        "account.export" => ("내 데이터 내려받기", "Download my data"),
        "account.export.intro" => (
            "프로필, 참여한 방, 내가 만든 일정(과 투표)을 JSON으로, 내가 만든 일정을 캘린더 파일(ICS)로 받을 수 있어요.",
            "Your profile, your rooms and the events (and polls) you made as JSON, and your events as a calendar file (ICS).",
        ),
        "account.export.json" => ("JSON 내려받기", "Download JSON"),
        "account.export.ics" => ("ICS 내려받기", "Download ICS"),
        "account.sessions" => ("로그인한 기기", "Signed-in devices"),
        "account.sessions.intro" => (
            "모든 기기와 브라우저에서 로그아웃해요. 이 브라우저도 포함이에요.",
            "Signs you out on every device and browser, this one included.",
        ),
        "account.logout_everywhere" => ("모든 기기에서 로그아웃", "Log out everywhere"),
        "account.delete" => ("계정 삭제", "Delete account"),
        "account.delete.intro" => (
            "카카오 연결을 끊고 토큰, 로그인, 프로필을 지워요. 모든 방에서 나가고, 내가 다른 사람과 함께 쓰던 방의 일정은 이름 없이 남아요. 되돌릴 수 없어요.",
            "Unlinks Kakao and removes your tokens, sign-ins and profile. You leave every room; events you added to rooms others keep stay there without your name. This cannot be undone.",
        ),
        "account.delete.rooms" => (
            "내가 방장인 방은 가장 오래된 멤버에게 넘어가고, 혼자 있는 방은 삭제돼요.",
            "Rooms you own go to their longest-standing member; rooms where you are alone are deleted.",
        ),
        "account.delete.confirm" => (
            "이해했어요. 계정을 삭제할게요.",
            "I understand. Delete my account.",
        ),
        "account.delete.button" => ("계정 삭제", "Delete account"),
        "account.notice.revoked" => ("동의를 철회했어요.", "Consent withdrawn."),
        "account.confirm_required" => (
            "삭제하려면 확인란에 체크해 주세요.",
            "Tick the confirmation box to delete your account.",
        ),
        "account.scopes_required" => (
            "철회할 동의 항목을 하나 이상 골라 주세요.",
            "Name at least one consent item to withdraw.",
        ),
        "scope_not_revocable" => (
            "필수 동의 항목은 철회할 수 없어요. 연결을 끊으려면 계정을 삭제하세요.",
            "Required items cannot be withdrawn. Delete the account to unlink.",
        ),
        "scope_unknown" => (
            "카카오가 모르는 동의 항목이에요.",
            "Kakao does not know that consent item.",
        ),
        "kakao_login_required" => (
            "카카오 동의 상태를 보려면 카카오로 다시 로그인해 주세요.",
            "Log in with Kakao again to see your consents.",
        ),
        "talk_calendar_not_talk_user" => (
            "카카오톡을 쓰는 계정만 톡캘린더에 일정을 넣을 수 있어요.",
            "Only Kakao accounts that use KakaoTalk have a Talk Calendar.",
        ),
        "talk_calendar_no_permission" => (
            "이 서비스는 아직 톡캘린더를 쓸 수 없어요.",
            "This service may not use Talk Calendar yet.",
        ),
        "talk_calendar_invalid" => (
            "카카오가 이 일정을 받지 않았어요.",
            "Kakao did not accept this event.",
        ),
        "talk_calendar.add" => ("톡캘린더에 추가", "Add to my Talk Calendar"),
        "talk_calendar.explain" => (
            "내 카카오톡 톡캘린더에 이 일정을 넣어요. 여기서 일정이 바뀌면 톡캘린더에도 반영돼요.",
            "Puts this event into your own KakaoTalk calendar; later changes here follow it there.",
        ),
        "talk_calendar.notice.added" => ("톡캘린더에 추가했어요.", "Added to your Talk Calendar."),
        "talk_calendar.notice.updated" => (
            "톡캘린더의 일정을 최신으로 고쳤어요.",
            "The event in your Talk Calendar is up to date.",
        ),
        "talk_calendar.notice.consent" => (
            "톡캘린더 동의가 없어 넣지 못했어요. 다시 누르면 카카오에서 동의할 수 있어요.",
            "Not added: Talk Calendar consent is missing. Press the button again to give it on Kakao.",
        ),
        "talk_calendar.notice.not_talk_user" => (
            "카카오톡을 쓰는 계정만 톡캘린더에 일정을 넣을 수 있어요. 이 일정은 그대로예요.",
            "Only Kakao accounts that use KakaoTalk have a Talk Calendar. The event here is unchanged.",
        ),
        "talk_calendar.notice.no_permission" => (
            "이 서비스는 아직 톡캘린더를 쓸 수 없어요. 이 일정은 그대로예요.",
            "This service may not use Talk Calendar yet. The event here is unchanged.",
        ),
        "talk_calendar.notice.invalid" => (
            "카카오가 이 일정을 받지 않았어요. 이 일정은 그대로예요.",
            "Kakao did not accept this event. The event here is unchanged.",
        ),
        "talk_calendar.notice.unavailable" => (
            "지금 카카오와 연결할 수 없어요. 잠시 후 다시 시도해 주세요. 이 일정은 그대로예요.",
            "Kakao cannot be reached right now; please try again shortly. The event here is unchanged.",
        ),
        _ => return None,
    })
}
