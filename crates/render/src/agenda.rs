//! The agenda: a week's or a month's events as a list a friend can read in a KakaoTalk chat
//! bubble (about 260 pt wide), grouped by day, each with its time and title in big type.
//!
//! The week timetable and the month grid are made for a full screen; shrunk into a bubble their
//! titles fall to ~4 pt. This layout is drawn in "bubble points" (1 pt = width / 260 px) and no
//! text is smaller than [`MIN_PT`], so nothing falls under 10 pt there. When the period holds
//! more than fits, the days take turns (each day's first event, then each day's second, …) so the
//! whole period stays in view, in calendar order, and the rest is counted as "+N개 더", with a
//! pointer to the link that shows everything. An event with 참석·불참 answers has them on a
//! line under its title ("5명 참석 · 1명 미정").

use domain::event::{Event, EventTime};
use jiff::civil::Date;

use crate::calendar;
use crate::dates;
use crate::error::RenderError;
use crate::fonts::Weight;
use crate::request::{Context, ImageRequest, View};
use crate::scene::{Align, Canvas, Rect, Scene, Style, line_height};
use crate::text;
use crate::theme;

/// The bubble's width in points: KakaoTalk shows a feed image about this wide.
pub const BUBBLE_PT: f32 = 260.0;
/// The smallest text drawn, in bubble points (DESIGN.md "legible in the bubble").
pub const MIN_PT: f32 = 10.0;
/// Lines a title may wrap to when everything fits; when it does not, titles keep one line
/// (shortened with "…") so more events make it in.
const TITLE_LINES: usize = 2;

/// Which period the agenda lists.
#[derive(Clone, Copy)]
pub enum Period {
    Week,
    Month,
}

/// One event's row: its time label, wrapped title and, when the event has answers, the
/// 참석·불참 line under the title ("5명 참석 · 1명 미정").
struct Row<'a> {
    event: &'a Event,
    time: String,
    lines: Vec<String>,
    rsvp: Option<String>,
}

/// The events starting (or continuing into the period) on one day.
struct Day<'a> {
    date: Date,
    rows: Vec<Row<'a>>,
}

/// Sizes in px for this image (bubble points times the scale).
struct Metrics {
    s: f32,
    pad: f32,
    head: Style,
    time: Style,
    title: Style,
    title_lh: f32,
    head_h: f32,
    row_gap: f32,
    day_gap: f32,
}

impl Metrics {
    fn new(width: f32) -> Self {
        let s = width / BUBBLE_PT;
        let title = Style::new(14.5 * s, Weight::Bold, theme::INK);
        let head = Style::new(12.0 * s, Weight::Bold, theme::INK);
        Self {
            s,
            pad: 16.0 * s,
            head,
            time: Style::new(11.0 * s, Weight::Regular, theme::MUTED),
            title,
            title_lh: 17.5 * s,
            head_h: line_height(head) + 2.0 * s,
            row_gap: 4.0 * s,
            day_gap: 7.0 * s,
        }
    }

    fn row_h(&self, row: &Row<'_>) -> f32 {
        let n = row.lines.len().max(1);
        let rsvp = if row.rsvp.is_some() {
            line_height(self.time)
        } else {
            0.0
        };
        self.title_lh * (n - 1) as f32 + line_height(self.title) + rsvp + self.row_gap
    }

    fn day_h(&self, rows: &[Row<'_>]) -> f32 {
        self.head_h + rows.iter().map(|r| self.row_h(r)).sum::<f32>() + self.day_gap
    }
}

/// The first day of the period an event shows on (a span that began earlier shows on day one).
fn first_day(ctx: &Context<'_>, event: &Event, from: Date) -> Date {
    event.days_in(&ctx.tz).0.max(from)
}

/// "오후 7:00" for a timed event starting that day, "종일" otherwise.
fn time_label(ctx: &Context<'_>, event: &Event, day: Date) -> String {
    match event.when {
        EventTime::Timed { starts_at, .. } => {
            let start = ctx.tz.to_datetime(starts_at);
            if start.date() == day {
                dates::time_label(ctx.locale, start.time())
            } else {
                dates::all_day(ctx.locale).to_owned()
            }
        }
        EventTime::AllDay { .. } => dates::all_day(ctx.locale).to_owned(),
    }
}

/// Chooses the rows that fit in `room` px, in turns: every day (in calendar order) gets its first
/// event, then every day its second, and so on, so a full week still shows each of its days
/// rather than all of Monday. Returns the days with their kept rows and how many were left out.
fn choose<'a>(m: &Metrics, days: Vec<Day<'a>>, room: f32) -> (Vec<Day<'a>>, usize) {
    let total: usize = days.iter().map(|d| d.rows.len()).sum();
    if days.iter().map(|d| m.day_h(&d.rows)).sum::<f32>() <= room {
        return (days, 0);
    }
    let mut take = vec![0usize; days.len()];
    let mut used = 0.0;
    loop {
        let mut progressed = false;
        for (i, day) in days.iter().enumerate() {
            let Some(row) = day.rows.get(take[i]) else {
                continue;
            };
            let header = if take[i] == 0 { m.head_h + m.day_gap } else { 0.0 };
            let need = m.row_h(row) + header;
            if used + need <= room {
                used += need;
                take[i] += 1;
                progressed = true;
            }
        }
        if !progressed {
            break;
        }
    }
    let kept: Vec<Day<'a>> = days
        .into_iter()
        .zip(take)
        .filter(|(_, n)| *n > 0)
        .map(|(mut day, n)| {
            day.rows.truncate(n);
            day
        })
        .collect();
    let shown: usize = kept.iter().map(|d| d.rows.len()).sum();
    (kept, total - shown)
}

/// The first day and the day after the last of the agenda's period.
fn period_days(period: Period, date: Date) -> Result<(Date, Date), RenderError> {
    Ok(match period {
        Period::Week => {
            let start = calendar::week_start(date)?;
            (start, calendar::add_days(start, 7)?)
        }
        Period::Month => {
            let first = date.first_of_month();
            (
                first,
                calendar::add_days(first, i64::from(first.days_in_month()))?,
            )
        }
    })
}

/// How many events the agenda of `req` lists ("일정 N개" on the image; the share card says the
/// same number); zero for a view that is not an agenda.
pub fn event_count(req: &ImageRequest) -> Result<usize, RenderError> {
    let ctx = Context::new(req)?;
    let (period, date) = match req.view {
        View::WeekAgenda { date } => (Period::Week, date),
        View::MonthAgenda { date } => (Period::Month, date),
        _ => return Ok(0),
    };
    let (from, to) = period_days(period, date)?;
    Ok(ctx.events_between(from, to).len())
}

/// Lays out the agenda of the week or month containing `date`.
pub fn layout(ctx: &Context<'_>, period: Period, date: Date) -> Result<Scene, RenderError> {
    let (w, h) = (ctx.width, ctx.height);
    let m = Metrics::new(w);
    let s = m.s;
    let locale = ctx.locale;
    let (from, to) = period_days(period, date)?;
    let heading = match period {
        Period::Week => dates::week_title(locale, from, calendar::add_days(from, 6)?),
        Period::Month => dates::month_title(locale, from),
    };
    let events = ctx.events_between(from, to);
    let mut c = Canvas::new(ctx.req.size.width, ctx.req.size.height, theme::SURFACE);
    let inner_w = w - 2.0 * m.pad;

    // Header: the room and the count, then the period in large type.
    c.rect(Rect::new(0.0, 0.0, w, 5.0 * s), theme::ACCENT, 0.0);
    let room_style = Style::new(11.5 * s, Weight::Bold, theme::ACCENT);
    let room_row = Rect::new(m.pad, 15.0 * s, inner_w, line_height(room_style));
    let count_w = c.text(
        &dates::event_count(locale, events.len()),
        Style::new(11.5 * s, Weight::Bold, theme::MUTED),
        room_row,
        Align::End,
    );
    c.text(
        &text::clean(&ctx.req.room_name),
        room_style,
        Rect::new(room_row.x, room_row.y, room_row.w - count_w - 8.0 * s, room_row.h),
        Align::Start,
    );
    let title_style = Style::new(21.0 * s, Weight::Bold, theme::INK);
    let title_row = Rect::new(
        m.pad,
        room_row.bottom() + 2.0 * s,
        inner_w,
        line_height(title_style),
    );
    c.text(&heading, title_style, title_row, Align::Start);
    let top = title_row.bottom() + 9.0 * s;
    c.line(m.pad, top, w - m.pad, top, theme::LINE, 1.0 * s);

    // Footer: "+N개 더 · 링크에서 모두 보기" on the left, the brand on the right.
    let foot_style = Style::new(11.0 * s, Weight::Bold, theme::ACCENT);
    let foot_h = line_height(foot_style);
    let foot = Rect::new(m.pad, h - 12.0 * s - foot_h, inner_w, foot_h);
    let list_top = top + 10.0 * s;
    let list_bottom = foot.y - 6.0 * s;

    // Rows, grouped by the day each event shows on.
    let time_w = events
        .iter()
        .map(|e| {
            let day = first_day(ctx, e, from);
            text::measure(&time_label(ctx, e, day), m.time.weight, m.time.size)
        })
        .fold(0.0f32, f32::max)
        .min(78.0 * s);
    let bar_w = 3.0 * s;
    let title_x = m.pad + bar_w + 7.0 * s + time_w + 8.0 * s;
    let title_w = w - m.pad - title_x;
    let group = |lines: usize| {
        let mut days: Vec<Day<'_>> = Vec::new();
        for &event in &events {
            let day = first_day(ctx, event, from);
            let mut title = text::clean(&event.title);
            if title.is_empty() {
                title = "—".to_owned();
            }
            let rsvp = ctx
                .req
                .row_rsvp
                .iter()
                .find(|r| r.event_id == event.id && r.when == event.when)
                .map(|r| text::clean(&r.text))
                .filter(|t| !t.is_empty());
            let row = Row {
                event,
                time: time_label(ctx, event, day),
                lines: text::wrap(&title, m.title.weight, m.title.size, title_w, lines),
                rsvp,
            };
            match days.iter_mut().find(|d| d.date == day) {
                Some(d) => d.rows.push(row),
                None => days.push(Day {
                    date: day,
                    rows: vec![row],
                }),
            }
        }
        days.sort_by_key(|d| d.date);
        days
    };
    let room = list_bottom - list_top;
    let mut days = group(TITLE_LINES);
    if days.iter().map(|d| m.day_h(&d.rows)).sum::<f32>() > room {
        days = group(1);
    }
    let (shown, hidden) = choose(&m, days, room);

    if shown.is_empty() {
        let style = Style::new(14.0 * s, Weight::Regular, theme::MUTED);
        c.paragraph(
            dates::agenda_empty(locale),
            style,
            Rect::new(m.pad, list_top + 8.0 * s, inner_w, list_bottom - list_top),
            18.0 * s,
            3,
        );
    }
    let mut y = list_top;
    for day in &shown {
        let head = Style {
            color: calendar::day_color(day.date),
            ..m.head
        };
        let head_row = Rect::new(m.pad, y, inner_w, line_height(head));
        let used = c.text(&dates::date_label(locale, day.date), head, head_row, Align::Start);
        if let Some(hol) = calendar::holiday(day.date) {
            let name = text::clean(dates::holiday_name(locale, hol));
            let x = m.pad + used + 6.0 * s;
            c.text(
                &name,
                Style::new(11.0 * s, Weight::Bold, theme::SUNDAY),
                Rect::new(x, y, (w - m.pad - x).max(0.0), head_row.h),
                Align::Start,
            );
        }
        y += m.head_h;
        for row in &day.rows {
            let rh = m.row_h(row) - m.row_gap;
            let colors = theme::event_colors(&row.event.id);
            c.rect(
                Rect::new(m.pad, y + 1.0 * s, bar_w, rh - 2.0 * s),
                colors.edge,
                bar_w / 2.0,
            );
            // The time sits on the title's first baseline.
            let first = Rect::new(0.0, y, 0.0, line_height(m.title));
            let (ascent, _) = crate::scene::line_metrics(m.title);
            let baseline = first.y + ascent;
            let time_cell = Rect::new(m.pad + bar_w + 7.0 * s, y, time_w, rh);
            c.text_at(&row.time, m.time, time_cell, Align::Start, baseline);
            let cell = Rect::new(title_x, y, title_w, rh);
            for (i, line) in row.lines.iter().enumerate() {
                c.text_at(
                    line,
                    m.title,
                    cell,
                    Align::Start,
                    baseline + m.title_lh * i as f32,
                );
            }
            if let Some(rsvp) = &row.rsvp {
                // Under the title's last line, in the time's muted type (never under MIN_PT).
                let under = y + m.title_lh * (row.lines.len().max(1) - 1) as f32 + line_height(m.title);
                let line = Rect::new(title_x, under, title_w, line_height(m.time));
                c.text(rsvp, m.time, line, Align::Start);
            }
            y += m.row_h(row);
        }
        y += m.day_gap;
    }

    let brand = Style::new(10.0 * s, Weight::Bold, theme::FAINT);
    let brand_w = c.text(dates::brand(locale), brand, foot, Align::End);
    if hidden > 0 {
        c.text(
            &dates::agenda_more(locale, hidden),
            foot_style,
            Rect::new(foot.x, foot.y, foot.w - brand_w - 8.0 * s, foot.h),
            Align::Start,
        );
    }
    Ok(c.finish())
}
