# The page shell (issue #16): header, toasts, confirmations, form errors.
nav-label = 메뉴
sandbox-banner-link = 샌드박스 열기
confirm-cancel = 취소
confirm-ok = 확인
form-check = 입력한 내용을 확인해 주세요.

# Toasts: what the last action did.
flash-event_saved = 일정을 저장했어요
flash-event_updated = 일정을 수정했어요
flash-event_deleted = 일정을 삭제했어요
flash-room_created = 공유방을 만들었어요
flash-room_renamed = 공유방 정보를 저장했어요
flash-room_deleted = 공유방을 삭제했어요
flash-joined = 공유방에 들어왔어요
flash-member_removed = 멤버를 내보냈어요
flash-owner_transferred = 방장을 넘겼어요
flash-left = 공유방에서 나왔어요
flash-invite_created = 새 초대 링크를 만들었어요
flash-invite_revoked = 초대 링크를 없앴어요
flash-feed_rotated = 캘린더 주소를 새로 만들었어요
flash-consent_revoked = 동의를 철회했어요
flash-account_deleted = 계정을 삭제했어요. 그동안 고마웠어요
flash-logged_out_everywhere = 모든 기기에서 로그아웃했어요

# Questions before destructive actions.
confirm-remove-title = 이 멤버를 내보낼까요?
confirm-remove-detail = 내보낸 멤버는 초대를 받아야 다시 들어올 수 있어요.
confirm-remove-ok = 내보내기
confirm-transfer-title = 방장을 넘길까요?
confirm-transfer-detail = 넘기고 나면 방 이름 바꾸기, 내보내기, 삭제는 새 방장만 할 수 있어요.
confirm-transfer-ok = 방장 넘기기
confirm-event-delete-title = 이 일정을 삭제할까요?
confirm-event-delete-this-title = 이 날의 일정만 삭제할까요?
confirm-event-delete-following-title = 이 날부터 이후 일정을 모두 삭제할까요?
confirm-event-delete-all-title = 반복 일정을 모두 삭제할까요?
confirm-event-delete-detail = 삭제한 일정은 되돌릴 수 없어요.
confirm-event-delete-ok = 삭제하기
confirm-room-delete-title = 공유방을 삭제할까요?
confirm-room-delete-detail = 일정, 투표, 멤버가 모두 사라지고 되돌릴 수 없어요.
confirm-room-delete-ok = 공유방 삭제
confirm-leave-title = 공유방에서 나갈까요?
confirm-leave-detail = 다시 들어오려면 초대를 받아야 해요.
confirm-leave-ok = 나가기
confirm-revoke-title = 동의를 철회할까요?
confirm-revoke-detail = 이 항목이 필요한 기능은 다시 동의할 때까지 쓸 수 없어요.
confirm-revoke-ok = 철회하기
confirm-account-delete-title = 계정을 삭제할까요?
confirm-account-delete-detail = 카카오 연결이 끊기고, 만든 일정과 내 정보가 지워져요. 되돌릴 수 없어요.
confirm-account-delete-ok = 계정 삭제
confirm-feed-rotate-title = 캘린더 주소를 새로 만들까요?
confirm-feed-rotate-detail = 지금 주소로 구독한 캘린더는 더 이상 새 일정을 받지 못해요.
confirm-feed-rotate-ok = 새로 만들기

# The event form and page.
event-more = 더보기
event-end_date-help = 여러 날에 걸친 일정일 때만 적어 주세요. 끝 시간이 시작보다 이르면 다음 날 끝나는 걸로 저장해요.
event-start_date = 시작 날짜
event-time_zone-help = 공유방의 시간대를 따라요. 다른 나라에서 열리는 일정일 때만 바꿔 주세요.
event-when = 언제
event-where = 어디서
