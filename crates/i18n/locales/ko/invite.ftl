# The home page (first run), inviting friends, the invitation itself, and subscribing to a room's
# calendar feed.

home-hero-title = 친구들과 일정, 같이 정해요
home-hero-lead = 공유방 하나면 돼요. 친구를 부르고, 일정을 함께 넣고, 정해진 일정은 단톡방에 바로 보내요.
home-steps-title = 이렇게 써요
home-step-room = 공유방 만들기
home-step-room-help = 모임마다 방을 하나 만들어요.
home-step-invite = 친구 초대
home-step-invite-help = 카카오톡으로 링크를 보내면 바로 들어와요.
home-step-plan = 일정 넣기 · 시간 투표
home-step-plan-help = 일정을 함께 넣거나, 다들 되는 시간을 투표로 찾아요.
home-step-share = 카카오톡으로 공유
home-step-share-help = 정해진 일정을 이미지로 단톡방에 보내요.
home-example-caption = 카카오톡에는 이렇게 보내져요
home-example-alt = 일정 카드 예시: 대학 동기 모임의 연말 송년회, 12월 24일 (목) 오후 7시부터 9시까지, 홍대입구역 9번 출구
home-have-code = 초대 코드가 있나요?
home-first-title = 첫 공유방을 만들어 볼까요?
home-first-lead = 방을 만들면 친구를 초대하고 일정을 함께 정할 수 있어요. 이름은 나중에 바꿀 수 있어요.
home-example-room = 대학 동기 모임
home-example-party = 연말 송년회
home-example-place = 홍대입구역 9번 출구

room-invite-help = 링크를 받은 친구는 카카오로 로그인하고 바로 들어올 수 있어요.

invite-screen-title = 친구 초대하기
invite-kakao = 카카오톡으로 초대하기
invite-copy = 링크 복사
invite-copied = 링크를 복사했어요
invite-copy-failed = 복사하지 못했어요. 링크를 길게 눌러 복사해 주세요.
invite-system-share = 다른 앱으로 보내기
invite-qr-title = 옆에 있는 친구에게는 QR 코드를 보여 주세요
invite-expires = { $date } { $time }까지 쓸 수 있어요
invite-manage = 링크 관리
invite-manage-help = 링크가 엉뚱한 곳에 갔다면 새 링크로 바꾸거나 꺼 주세요. 지금 링크는 바로 쓸 수 없게 돼요.
invite-renew = 새 링크로 바꾸기
invite-revoke = 링크 끄기
invite-none = 지금 쓸 수 있는 초대 링크가 없어요.
invite-make = 초대 링크 만들기
invite-share-text = { $name }님이 '{ $room }' 공유방에 초대했어요
invite-card-title = { $name }님이 '{ $room }'에 초대했어요
invite-card-description = 멤버 { $count }명 · { $names }
invite-from = { $name }님이 초대했어요
invite-member-count = 멤버 { $count }명
invite-login-note = 카카오 계정으로 로그인하면 바로 이 방에 들어가요.
invite-gone-title = 이 초대는 끝났어요
invite-gone-help = 초대 링크는 기간이 지나거나 방장이 끄면 더 이상 쓸 수 없어요. 초대한 친구에게 새 링크를 부탁해 보세요.
invite-missing-title = 초대를 찾을 수 없어요
invite-missing-help = 링크나 코드가 맞는지 다시 확인해 주세요.

feed-subscribe = 캘린더 앱에서 구독하기
feed-subscribe-help = 휴대폰 캘린더에 이 방 일정이 저절로 들어와요. 주소를 아는 사람은 누구나 볼 수 있으니 방 친구들하고만 나눠 주세요.
feed-google = Google 캘린더
feed-copy = 주소 복사
feed-copied = 주소를 복사했어요
feed-show = 주소 보기

confirm-invite-renew-title = 새 초대 링크로 바꿀까요?
confirm-invite-renew-detail = 지금 링크는 바로 쓸 수 없게 돼요. 이미 들어온 멤버는 그대로예요.
confirm-invite-renew-ok = 바꾸기
confirm-invite-revoke-title = 초대 링크를 끌까요?
confirm-invite-revoke-detail = 이 링크로는 더 이상 아무도 들어올 수 없어요. 이미 들어온 멤버는 그대로예요.
confirm-invite-revoke-ok = 끄기
