//! The week timetable: seven day columns (Sunday first) by hours, timed events as boxes
//! (overlapping ones side by side), all-day events in a strip on top, holidays named.

use domain::event::{Event, EventTime};
use jiff::civil::{Date, Time};

use crate::calendar;
use crate::dates;
use crate::error::RenderError;
use crate::fonts::Weight;
use crate::request::Context;
use crate::scene::{Align, Canvas, Rect, Scene, Style, line_height};
use crate::text;
use crate::theme;

/// Most all-day lanes drawn before the rest is counted as "+N".
const MAX_LANES: usize = 3;

/// A timed event's piece on one day, in minutes since that day's midnight.
struct Segment<'a> {
    event: &'a Event,
    day: usize,
    start: i32,
    end: i32,
    col: usize,
    cols: usize,
}

fn minutes(t: Time) -> i32 {
    i32::from(t.hour()) * 60 + i32::from(t.minute())
}

/// Splits the week's timed events into per-day segments.
fn segments<'a>(ctx: &Context<'a>, events: &[&'a Event], days: &[Date]) -> Vec<Segment<'a>> {
    let mut out = Vec::new();
    for &event in events {
        let EventTime::Timed { starts_at, ends_at } = event.when else {
            continue;
        };
        let a = ctx.tz.to_datetime(starts_at);
        let b = ctx.tz.to_datetime(ends_at.max(starts_at));
        for (i, &day) in days.iter().enumerate() {
            if !event.touches(day, &ctx.tz) {
                continue;
            }
            let start = if a.date() == day { minutes(a.time()) } else { 0 };
            let end = if b.date() == day {
                minutes(b.time())
            } else {
                24 * 60
            };
            out.push(Segment {
                event,
                day: i,
                start,
                end: end.max(start),
                col: 0,
                cols: 1,
            });
        }
    }
    out
}

/// Gives overlapping segments of a day their own columns (greedy, per cluster of overlaps).
fn assign_columns(segs: &mut [Segment<'_>]) {
    segs.sort_by(|x, y| (x.day, x.start, -x.end, &x.event.id).cmp(&(y.day, y.start, -y.end, &y.event.id)));
    let mut i = 0;
    while i < segs.len() {
        // A cluster: segments of one day that overlap transitively (short ones count as 30 min).
        let day = segs[i].day;
        let mut cluster_end = segs[i].end.max(segs[i].start + 30);
        let mut j = i + 1;
        while j < segs.len() && segs[j].day == day && segs[j].start < cluster_end {
            cluster_end = cluster_end.max(segs[j].end.max(segs[j].start + 30));
            j += 1;
        }
        let mut col_ends: Vec<i32> = Vec::new();
        for seg in &mut segs[i..j] {
            let visual_end = seg.end.max(seg.start + 30);
            match col_ends.iter().position(|&e| e <= seg.start) {
                Some(c) => {
                    seg.col = c;
                    col_ends[c] = visual_end;
                }
                None => {
                    seg.col = col_ends.len();
                    col_ends.push(visual_end);
                }
            }
        }
        let cols = col_ends.len().max(1);
        for seg in &mut segs[i..j] {
            seg.cols = cols;
        }
        i = j;
    }
}

/// The hours shown: 9–21 at least, widened to every segment, at least 8 hours.
fn hour_range(segs: &[Segment<'_>]) -> (i32, i32) {
    let (mut h0, mut h1) = (9, 21);
    for s in segs {
        h0 = h0.min(s.start / 60);
        h1 = h1.max((s.end + 59) / 60);
    }
    (h0.clamp(0, 23), h1.clamp(h0 + 1, 24))
}

/// All-day spans of the week as (first column, last column, event), lanes assigned greedily.
fn all_day_lanes<'a>(
    ctx: &Context<'a>,
    events: &[&'a Event],
    days: &[Date],
) -> Vec<(usize, usize, usize, &'a Event)> {
    let mut out = Vec::new();
    let mut lane_ends: Vec<usize> = Vec::new();
    for &event in events {
        if !event.is_all_day() {
            continue;
        }
        let Some(first) = days.iter().position(|&d| event.touches(d, &ctx.tz)) else {
            continue;
        };
        let last = days
            .iter()
            .rposition(|&d| event.touches(d, &ctx.tz))
            .unwrap_or(first);
        let lane = match lane_ends.iter().position(|&e| e < first) {
            Some(l) => {
                lane_ends[l] = last;
                l
            }
            None => {
                lane_ends.push(last);
                lane_ends.len() - 1
            }
        };
        out.push((first, last, lane, event));
    }
    out
}

/// Lays out the week containing `date`.
pub fn layout(ctx: &Context<'_>, date: Date) -> Result<Scene, RenderError> {
    let (w, h) = (ctx.width, ctx.height);
    let s = w / 1080.0;
    let locale = ctx.locale;
    let start = calendar::week_start(date)?;
    let days: Vec<Date> = (0..7)
        .map(|i| calendar::add_days(start, i))
        .collect::<Result<_, _>>()?;
    let end = calendar::add_days(start, 7)?;
    let events = ctx.events_between(start, end);
    let mut c = Canvas::new(ctx.req.size.width, ctx.req.size.height, theme::SURFACE);

    // Header.
    let margin = 36.0 * s;
    let room_style = Style::new(28.0 * s, Weight::Bold, theme::ACCENT);
    let room_row = Rect::new(margin, 40.0 * s, w - 2.0 * margin, line_height(room_style));
    let year_w = c.text(
        &dates::year_label(locale, start),
        Style::new(28.0 * s, Weight::Bold, theme::MUTED),
        room_row,
        Align::End,
    );
    c.text(
        &text::clean(&ctx.req.room_name),
        room_style,
        Rect::new(room_row.x, room_row.y, room_row.w - year_w - 24.0 * s, room_row.h),
        Align::Start,
    );
    let title_style = Style::new(54.0 * s, Weight::Bold, theme::INK);
    let title_row = Rect::new(
        margin,
        room_row.bottom() + 6.0 * s,
        w - 2.0 * margin,
        line_height(title_style),
    );
    c.text(
        &dates::week_title(locale, days[0], days[6]),
        title_style,
        title_row,
        Align::Start,
    );

    // Columns.
    let x0 = 20.0 * s;
    let gutter = 86.0 * s;
    let grid_x = x0 + gutter;
    let col_w = (w - grid_x - 20.0 * s) / 7.0;
    let col_x = |i: usize| grid_x + col_w * i as f32;

    // Day headers: weekday, date (today in an accent disc), holiday name.
    let head_y = title_row.bottom() + 24.0 * s;
    let head_h = 118.0 * s;
    c.rect(
        Rect::new(x0, head_y, w - 2.0 * x0, head_h),
        theme::SUBTLE,
        18.0 * s,
    );
    for (i, &day) in days.iter().enumerate() {
        let cell = Rect::new(col_x(i), head_y, col_w, head_h).inset(4.0 * s, 0.0);
        let wd = Style::new(22.0 * s, Weight::Bold, calendar::weekday_color(i));
        c.text(
            dates::weekday_short(locale, day.weekday()),
            wd,
            Rect::new(cell.x, cell.y + 8.0 * s, cell.w, 30.0 * s),
            Align::Center,
        );
        let num_cell = Rect::new(cell.x, cell.y + 40.0 * s, cell.w, 46.0 * s);
        let mut num = Style::new(34.0 * s, Weight::Bold, calendar::day_color(day));
        if day == ctx.req.today {
            c.circle(
                num_cell.x + num_cell.w / 2.0,
                num_cell.y + num_cell.h / 2.0,
                24.0 * s,
                theme::ACCENT,
            );
            num.color = theme::ON_ACCENT;
        }
        c.text(&day.day().to_string(), num, num_cell, Align::Center);
        if let Some(hol) = calendar::holiday(day) {
            let style = Style::new(17.0 * s, Weight::Bold, theme::SUNDAY);
            let name = text::clean(dates::holiday_name(locale, hol));
            c.text(
                &name,
                style,
                Rect::new(cell.x, cell.y + 88.0 * s, cell.w, 26.0 * s),
                Align::Center,
            );
        }
    }

    // All-day strip.
    let lanes = all_day_lanes(ctx, &events, &days);
    let lane_count = lanes.iter().map(|l| l.2 + 1).max().unwrap_or(0);
    let shown = lane_count.min(MAX_LANES);
    let lane_h = 38.0 * s;
    let mut y = head_y + head_h + 10.0 * s;
    if lane_count > 0 {
        let hidden = lane_count > MAX_LANES;
        let strip_h = shown as f32 * lane_h + if hidden { 26.0 * s } else { 0.0 } + 8.0 * s;
        let label = Style::new(18.0 * s, Weight::Bold, theme::MUTED);
        c.text(
            dates::all_day(locale),
            label,
            Rect::new(x0, y, gutter - 12.0 * s, lane_h),
            Align::End,
        );
        let mut hidden_per_day = [0usize; 7];
        for &(first, last, lane, event) in &lanes {
            if lane >= MAX_LANES {
                for n in &mut hidden_per_day[first..=last] {
                    *n += 1;
                }
                continue;
            }
            let colors = theme::event_colors(&event.id);
            let bar = Rect::new(
                col_x(first) + 3.0 * s,
                y + lane as f32 * lane_h + 3.0 * s,
                col_w * (last - first + 1) as f32 - 6.0 * s,
                lane_h - 6.0 * s,
            );
            c.rect(bar, colors.edge, 8.0 * s);
            let style = Style::new(19.0 * s, Weight::Bold, theme::ON_ACCENT);
            c.text(
                &text::clean(&event.title),
                style,
                bar.inset(10.0 * s, 0.0),
                Align::Start,
            );
        }
        if hidden {
            for (i, n) in hidden_per_day.iter().enumerate().filter(|(_, n)| **n > 0) {
                let style = Style::new(16.0 * s, Weight::Bold, theme::MUTED);
                let cell =
                    Rect::new(col_x(i), y + shown as f32 * lane_h, col_w, 26.0 * s).inset(6.0 * s, 0.0);
                c.text(&dates::more(locale, *n), style, cell, Align::Start);
            }
        }
        y += strip_h;
    }

    // Time grid.
    let mut segs = segments(ctx, &events, &days);
    assign_columns(&mut segs);
    let (h0, h1) = hour_range(&segs);
    let grid_top = y + 16.0 * s;
    let grid_bottom = h - 64.0 * s;
    let hour_h = (grid_bottom - grid_top) / (h1 - h0) as f32;
    let y_of = |min: i32| grid_top + (min - h0 * 60) as f32 * hour_h / 60.0;
    if let Some(i) = days.iter().position(|&d| d == ctx.req.today) {
        c.rect(
            Rect::new(col_x(i), grid_top, col_w, grid_bottom - grid_top),
            theme::TODAY_TINT,
            0.0,
        );
    }
    let hour_style = Style::new(17.0 * s, Weight::Regular, theme::MUTED);
    let hour_lh = line_height(hour_style);
    for hour in h0..=h1 {
        let ly = y_of(hour * 60);
        c.line(grid_x, ly, w - 20.0 * s, ly, theme::LINE, 1.5 * s);
        if hour < h1 {
            let label = dates::hour_label(locale, hour as i8);
            c.text(
                &label,
                hour_style,
                Rect::new(x0, ly - hour_lh / 2.0, gutter - 14.0 * s, hour_lh),
                Align::End,
            );
        }
    }
    for i in 0..=7 {
        let lx = col_x(i);
        c.line(lx, grid_top, lx, grid_bottom, theme::LINE, 1.5 * s);
    }

    for seg in &segs {
        let colors = theme::event_colors(&seg.event.id);
        let start = seg.start.clamp(h0 * 60, h1 * 60);
        let end = seg.end.max(seg.start + 30).clamp(h0 * 60, h1 * 60);
        let sub_w = col_w / seg.cols as f32;
        let bx = col_x(seg.day) + sub_w * seg.col as f32 + 2.0 * s;
        let rect = Rect::new(
            bx,
            y_of(start) + 1.5 * s,
            sub_w - 4.0 * s,
            y_of(end) - y_of(start) - 3.0 * s,
        );
        c.rect(rect, colors.fill, 8.0 * s);
        let narrow = sub_w < 70.0 * s;
        let edge = if narrow { 3.0 } else { 5.0 } * s;
        c.rect(Rect::new(rect.x, rect.y, edge, rect.h), colors.edge, edge / 2.0);
        let pad = if narrow { 4.0 } else { 8.0 } * s;
        let inner = Rect::new(
            rect.x + edge + pad,
            rect.y + 5.0 * s,
            rect.w - edge - 2.0 * pad,
            rect.h - 8.0 * s,
        );
        let title_size = if narrow { 15.0 } else { 19.0 } * s;
        let title_style = Style::new(title_size, Weight::Bold, colors.ink);
        let time_style = Style::new(15.0 * s, Weight::Regular, colors.ink);
        let time_h = line_height(time_style);
        let title_lh = title_size * 1.25;
        let title = text::clean(&seg.event.title);
        // The whole title comes first; the start time goes under it only when both fit.
        let lines = text::wrap(&title, Weight::Bold, title_size, inner.w, 8)
            .len()
            .max(1);
        let title_h = title_lh * (lines - 1) as f32 + line_height(title_style);
        let with_time = !narrow && title_h + 2.0 * s + time_h <= inner.h;
        let used = c.paragraph(&title, title_style, inner, title_lh, 8);
        if with_time {
            let t = dates::time_label(
                locale,
                Time::constant((seg.start / 60) as i8, (seg.start % 60) as i8, 0, 0),
            );
            c.text(
                &t,
                time_style,
                Rect::new(inner.x, inner.y + used + 2.0 * s, inner.w, time_h),
                Align::Start,
            );
        }
    }

    let brand = Style::new(22.0 * s, Weight::Bold, theme::FAINT);
    c.text(
        dates::brand(ctx.locale),
        brand,
        Rect::new(
            x0,
            grid_bottom + 16.0 * s,
            w - 2.0 * x0,
            h - grid_bottom - 24.0 * s,
        ),
        Align::End,
    );
    Ok(c.finish())
}
