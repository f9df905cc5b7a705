# Going / not going and reminders (issue 19).

rsvp-heading = Going?
rsvp-yes = Going
rsvp-no = Not going
rsvp-maybe = Maybe
rsvp-withdraw = Withdraw my answer
rsvp-mine = Your answer: { $answer }
rsvp-none = Nobody has answered yet.
rsvp-unanswered = Not answered yet
rsvp-count-yes = { $n } going
rsvp-count-no = { $n } not going
rsvp-count-maybe = { $n } maybe
rsvp_answer_invalid = Choose going, not going or maybe.
flash-rsvp_saved = Your answer is saved
flash-rsvp_withdrawn = Your answer is withdrawn
share-card-rsvp = Say if you're going

reminders-heading = KakaoTalk reminders
reminders-memo = Remind me in my KakaoTalk "chat with myself" before events
reminders-memo-help = A message before each event of this room at the reminder times. Events you answered "not going" are skipped.
reminders-before = Reminder times (owner)
reminders-before-help = Talk Calendar copies ring at these times too. All-day events are reminded at 9 AM the day before.
reminders-at-none = No reminder
reminders-at-0 = At the start
reminders-at-10 = 10 minutes before
reminders-at-30 = 30 minutes before
reminders-at-60 = 1 hour before
reminders-at-120 = 2 hours before
reminders-at-180 = 3 hours before
reminders-at-1440 = 1 day before
reminders-at-2880 = 2 days before
reminders-at-10080 = 1 week before
reminders-first = First reminder
reminders-second = Second reminder
reminders-save = Save reminders
flash-reminders_saved = Reminders saved
reminders_before_invalid = Up to 2 reminders, from the start to 30 days before, in 5-minute steps.
reminders_owner_only = Only the owner can change the reminder times.

remind-today = Today
remind-tomorrow = Tomorrow
remind-day-after = In 2 days
remind-when = { $day } { $time }
remind-all-day = { $day }, all day
remind-line = { $when } · { $title }
remind-line-place = { $when } · { $title } · { $place }
remind-open = Open the event
