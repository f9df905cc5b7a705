# The page shell (issue #16): header, toasts, confirmations, form errors.
nav-label = Menu
sandbox-banner-link = Open the sandbox
confirm-cancel = Cancel
confirm-ok = OK
form-check = Please check what you entered.

# Toasts: what the last action did.
flash-event_saved = Event saved
flash-event_updated = Event updated
flash-event_deleted = Event deleted
flash-room_created = Room created
flash-room_renamed = Room details saved
flash-room_deleted = Room deleted
flash-joined = You joined the room
flash-member_removed = Member removed
flash-owner_transferred = Ownership handed over
flash-left = You left the room
flash-invite_created = New invitation link created
flash-invite_revoked = Invitation link revoked
flash-feed_rotated = New calendar address created
flash-consent_revoked = Consent withdrawn
flash-account_deleted = Your account is deleted. Thanks for everything
flash-logged_out_everywhere = Logged out on every device

# Questions before destructive actions.
confirm-remove-title = Remove this member?
confirm-remove-detail = They can only come back with a new invitation.
confirm-remove-ok = Remove
confirm-transfer-title = Hand over ownership?
confirm-transfer-detail = Afterwards only the new owner can rename, remove members or delete the room.
confirm-transfer-ok = Hand over
confirm-event-delete-title = Delete this event?
confirm-event-delete-this-title = Delete only this day's event?
confirm-event-delete-following-title = Delete this and all following events?
confirm-event-delete-all-title = Delete every event of the series?
confirm-event-delete-detail = A deleted event cannot be brought back.
confirm-event-delete-ok = Delete
confirm-room-delete-title = Delete this room?
confirm-room-delete-detail = Its events, polls and members all go, and this cannot be undone.
confirm-room-delete-ok = Delete room
confirm-leave-title = Leave this room?
confirm-leave-detail = You will need a new invitation to come back.
confirm-leave-ok = Leave
confirm-revoke-title = Withdraw this consent?
confirm-revoke-detail = Features that need it stop working until you agree again.
confirm-revoke-ok = Withdraw
confirm-account-delete-title = Delete your account?
confirm-account-delete-detail = Gachi is unlinked from Kakao and your events and details are erased. This cannot be undone.
confirm-account-delete-ok = Delete account
confirm-feed-rotate-title = Create a new calendar address?
confirm-feed-rotate-detail = Calendars subscribed to the current address stop getting new events.
confirm-feed-rotate-ok = Create new

# The event form and page.
event-more = More options
event-end_date-help = Only for events over several days. An end time earlier than the start is saved as the next day.
event-start_date = Start date
event-time_zone-help = Follows the room's time zone. Change it only for an event held in another country.
event-when = When
event-where = Where
