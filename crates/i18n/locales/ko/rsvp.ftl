# 참석·불참 and reminders (issue 19).

rsvp-heading = 참석 여부
rsvp-yes = 참석
rsvp-no = 불참
rsvp-maybe = 미정
rsvp-withdraw = 답변 취소
rsvp-mine = 내 답변: { $answer }
rsvp-none = 아직 아무도 답하지 않았어요.
rsvp-unanswered = 아직 답하지 않은 사람
rsvp-count-yes = { $n }명 참석
rsvp-count-no = { $n }명 불참
rsvp-count-maybe = { $n }명 미정
rsvp_answer_invalid = 참석, 불참, 미정 중에서 골라 주세요.
flash-rsvp_saved = 참석 여부를 저장했어요
flash-rsvp_withdrawn = 답변을 취소했어요
share-card-rsvp = 참석 여부 알려주기

reminders-heading = 카카오톡 알림
reminders-memo = 일정 전에 카카오톡 "나와의 채팅"으로 알려 주기
reminders-memo-help = 이 방의 일정마다 알림 시각에 나에게 메시지를 보내요. 불참으로 답한 일정은 알리지 않아요.
reminders-before = 알림 시각 (방장)
reminders-before-help = 톡캘린더에 추가한 일정의 알람도 이 시각을 따라요. 하루 종일 일정은 전날 오전 9시에 알려요.
reminders-at-none = 알리지 않음
reminders-at-0 = 시작할 때
reminders-at-10 = 10분 전
reminders-at-30 = 30분 전
reminders-at-60 = 1시간 전
reminders-at-120 = 2시간 전
reminders-at-180 = 3시간 전
reminders-at-1440 = 하루 전
reminders-at-2880 = 이틀 전
reminders-at-10080 = 일주일 전
reminders-first = 첫 번째 알림
reminders-second = 두 번째 알림
reminders-save = 알림 설정 저장
flash-reminders_saved = 알림 설정을 저장했어요
reminders_before_invalid = 알림은 최대 2개, 시작 0분~30일 전까지 5분 단위로 정할 수 있어요.
reminders_owner_only = 알림 시각은 방장만 바꿀 수 있어요.

remind-today = 오늘
remind-tomorrow = 내일
remind-day-after = 모레
remind-when = { $day } { $time }
remind-all-day = { $day } 하루 종일
remind-line = { $when } · { $title }
remind-line-place = { $when } · { $title } · { $place }
remind-open = 일정 보기
