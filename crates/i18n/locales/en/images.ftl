# Images: the words and date formats drawn into schedule PNGs. Numbers arrive as text.

img-brand = 같이 · Gachi
img-when = When
img-place = Where
img-memo = Note
# "+3 more": events that did not fit in a day.
img-more = +{ $n } more
img-year = { $year }
img-month-title = { $month-name } { $year }
img-date = { $weekday }, { $month-short } { $day }
# A range of days; Korean names the month once when both days share it.
img-date-range = { $from } – { $to }
img-week-title =
    { $same-month ->
        [yes] { $month-short } { $day } – { $end-day }, { $year }
       *[no] { $month-short } { $day } – { $end-month-short } { $end-day }, { $year }
    }
img-am = AM
img-pm = PM
img-time = { $clock } { $meridiem }
# Both ends in the same half of the day: the meridiem once.
img-time-range-shared = { $from } – { $to } { $meridiem }
img-time-range = { $from } – { $to }
img-hour = { $hour } { $meridiem }
img-date-time = { $date } { $time }
img-date-and-time = { $date } · { $time }
img-until = – { $date } { $time }
img-month-1 = January
img-month-2 = February
img-month-3 = March
img-month-4 = April
img-month-5 = May
img-month-6 = June
img-month-7 = July
img-month-8 = August
img-month-9 = September
img-month-10 = October
img-month-11 = November
img-month-12 = December

# The agendas (week and month as a list, made for a KakaoTalk chat bubble).
# Arguments arrive as text, so no plural selector: "Events: 5".
img-event-count = Events: { $n }
img-agenda-more = +{ $n } more · see all at the link
img-agenda-empty = No events in this period yet.
