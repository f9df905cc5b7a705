# The home page (first run), inviting friends, the invitation itself, and subscribing to a room's
# calendar feed.

home-hero-title = Make plans with friends, together
home-hero-lead = One room is all it takes: bring your friends in, add plans together, and send the final schedule straight to your group chat.
home-steps-title = How it works
home-step-room = Open a room
home-step-room-help = One room for each group of friends.
home-step-invite = Invite friends
home-step-invite-help = Send the link on KakaoTalk and they are in.
home-step-plan = Add plans · vote on a time
home-step-plan-help = Add plans together, or find the time that works for everyone.
home-step-share = Share on KakaoTalk
home-step-share-help = Send the schedule as a picture to your group chat.
home-example-caption = This is what your friends get in KakaoTalk
home-example-alt = An example card: the college friends' year-end party, Thursday, December 24, 7 to 9 pm, at Hongik Univ. Station exit 9
home-have-code = Got an invite code?
home-first-title = Open your first room
home-first-lead = Once it is open you can invite friends and plan together. You can rename it later.
home-example-room = College friends
home-example-party = Year-end party
home-example-place = Hongik Univ. Station exit 9

room-invite-help = Friends who get the link log in with Kakao and are in.

invite-screen-title = Invite friends
invite-kakao = Invite on KakaoTalk
invite-copy = Copy link
invite-copied = Link copied
invite-copy-failed = Could not copy. Press and hold the link to copy it.
invite-system-share = Share with another app
invite-qr-title = Friend next to you? Show them the QR code
invite-expires = Works until { $date }, { $time }
invite-manage = Manage the link
invite-manage-help = If the link went somewhere it should not have, replace it or turn it off. The current link stops working at once.
invite-renew = Replace with a new link
invite-revoke = Turn the link off
invite-none = There is no invite link right now.
invite-make = Create an invite link
invite-share-text = { $name } invited you to the room '{ $room }'
invite-card-title = { $name } invited you to '{ $room }'
invite-card-description = { $count } in the room · { $names }
invite-from = { $name } invited you
invite-member-count = { $count } in this room
invite-login-note = Log in with your Kakao account and you are in the room.
invite-gone-title = This invitation has ended
invite-gone-help = Invite links stop working after a while or when the owner turns them off. Ask the friend who invited you for a new link.
invite-missing-title = We could not find that invitation
invite-missing-help = Check that the link or code is right and try again.

feed-subscribe = Subscribe in your calendar app
feed-subscribe-help = The room's plans show up in your phone's calendar by themselves. Anyone with the address can read it, so keep it to the room.
feed-google = Google Calendar
feed-copy = Copy address
feed-copied = Address copied
feed-show = Show address

confirm-invite-renew-title = Replace the invite link?
confirm-invite-renew-detail = The current link stops working at once. Members already in stay.
confirm-invite-renew-ok = Replace
confirm-invite-revoke-title = Turn the invite link off?
confirm-invite-revoke-detail = Nobody can join with this link any more. Members already in stay.
confirm-invite-revoke-ok = Turn off
