# Images: the words and date formats drawn into schedule PNGs. Numbers arrive as text.

img-brand = 같이 · Gachi
img-when = 일시
img-place = 장소
img-memo = 메모
# "+3개 더": events that did not fit in a day.
img-more = +{ $n }개 더
img-year = { $year }년
img-month-title = { $year }년 { $month }월
img-date = { $month }월 { $day }일 ({ $weekday })
# A range of days; Korean names the month once when both days share it.
img-date-range =
    { $same-month ->
        [yes] { $from } – { $day }일 ({ $weekday })
       *[no] { $from } – { $to }
    }
img-week-title =
    { $same-month ->
        [yes] { $month }월 { $day }일 – { $end-day }일
       *[no] { $month }월 { $day }일 – { $end-month }월 { $end-day }일
    }
img-am = 오전
img-pm = 오후
img-time = { $meridiem } { $clock }
# Both ends in the same half of the day: the meridiem once.
img-time-range-shared = { $meridiem } { $from } – { $to }
img-time-range = { $from } – { $to }
img-hour = { $meridiem } { $hour }시
img-date-time = { $date } { $time }
img-date-and-time = { $date } { $time }
img-until = – { $date } { $time }
img-month-1 = 1월
img-month-2 = 2월
img-month-3 = 3월
img-month-4 = 4월
img-month-5 = 5월
img-month-6 = 6월
img-month-7 = 7월
img-month-8 = 8월
img-month-9 = 9월
img-month-10 = 10월
img-month-11 = 11월
img-month-12 = 12월

# The agendas (week and month as a list, made for a KakaoTalk chat bubble).
img-event-count = 일정 { $n }개
img-agenda-more = +{ $n }개 더 · 링크에서 모두 보기
img-agenda-empty = 이 기간에는 아직 일정이 없어요.
