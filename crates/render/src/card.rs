//! The event card: title, date and time in the reader's style, place, room name and the event's
//! week with its days marked. Portrait (1080×1350) or the 800×400 feed card.
//!
//! The portrait card is what goes into KakaoTalk for one event, so no text on it is smaller than
//! 1/26 of its width (10 pt in a chat bubble about 260 pt wide; DESIGN.md "legible in the
//! bubble"): `min` below is that floor, and a week strip stands in for a whole month of digits.

use domain::event::{Event, EventTime};
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::calendar;
use crate::dates;
use crate::error::RenderError;
use crate::fonts::Weight;
use crate::request::Context;
use crate::scene::{Align, Canvas, Rect, Scene, Style, line_height};
use crate::text;
use crate::theme;
use i18n::Lang;

/// What the card shows, cleaned for drawing.
struct CardText {
    room: String,
    title: String,
    date_line: String,
    time_line: Option<String>,
    holiday: Option<String>,
    first_day: Date,
    days: (Date, Date),
    location: Option<String>,
    memo: Option<String>,
}

fn card_text(ctx: &Context<'_>, event: &Event) -> CardText {
    // Times are shown in the event's own zone; an unknown name falls back to the room's.
    let tz: TimeZone = event.tz().unwrap_or_else(|_| ctx.tz.clone());
    let (date_line, time_line) = dates::when_parts(ctx.locale, &event.when, &tz);
    let days = event.days_in(&tz);
    let holiday = calendar::holiday(days.0).map(|h| dates::holiday_name(ctx.locale, h).to_owned());
    let opt = |s: &Option<String>| s.as_deref().map(text::clean).filter(|s| !s.is_empty());
    let mut title = text::clean(&event.title);
    if title.is_empty() {
        title = "—".to_owned();
    }
    CardText {
        room: text::clean(&ctx.req.room_name),
        title,
        date_line,
        time_line,
        holiday,
        first_day: days.0,
        days,
        location: opt(&event.location),
        memo: opt(&event.memo),
    }
}

/// Lays out the card for `event_id`.
pub fn layout(ctx: &Context<'_>, event_id: &str) -> Result<Scene, RenderError> {
    let event = ctx
        .req
        .events
        .iter()
        .find(|e| e.id == event_id)
        .ok_or_else(|| RenderError::EventNotFound(event_id.to_owned()))?;
    let t = card_text(ctx, event);
    if ctx.req.size.is_landscape() {
        feed(ctx, &t)
    } else {
        portrait(ctx, &t, &event.when)
    }
}

/// Draws "date line" plus a holiday pill after it (or below when it does not fit). Returns the
/// bottom of what was drawn.
fn date_with_holiday(canvas: &mut Canvas, t: &CardText, style: Style, pill: Style, area: Rect) -> f32 {
    let h = line_height(style);
    let row = Rect::new(area.x, area.y, area.w, h);
    let used = canvas.text(&t.date_line, style, row, Align::Start);
    let Some(name) = &t.holiday else {
        return row.bottom();
    };
    let pad = pill.size * 0.55;
    let pill_w = text::measure(name, pill.weight, pill.size) + 2.0 * pad;
    let pill_h = line_height(pill) + pill.size * 0.35;
    let gap = style.size * 0.4;
    let (px, py, bottom) = if used + gap + pill_w <= area.w {
        (area.x + used + gap, row.y + (h - pill_h) / 2.0, row.bottom())
    } else {
        let y = row.bottom() + style.size * 0.2;
        (area.x, y, y + pill_h)
    };
    let pill_w = pill_w.min(area.right() - px);
    let cell = Rect::new(px, py, pill_w, pill_h);
    canvas.rect(cell, theme::SUNDAY_SOFT, pill_h / 2.0);
    canvas.text(name, pill, cell.inset(pad, 0.0), Align::Center);
    bottom
}

fn portrait(ctx: &Context<'_>, t: &CardText, when: &EventTime) -> Result<Scene, RenderError> {
    let (w, h) = (ctx.width, ctx.height);
    let s = w / 1080.0;
    // The smallest text allowed: 1/26 of the width (10 pt in the bubble).
    let min = w / 26.0;
    let mut c = Canvas::new(ctx.req.size.width, ctx.req.size.height, theme::BACKGROUND);
    let panel = Rect::new(44.0 * s, 44.0 * s, w - 88.0 * s, h - 134.0 * s);
    c.rect(panel, theme::SURFACE, 40.0 * s);
    let content = panel.inset(60.0 * s, 0.0);

    // Room name with an accent dot.
    let room_style = Style::new(min, Weight::Bold, theme::ACCENT);
    let room_row = Rect::new(
        content.x + 32.0 * s,
        panel.y + 48.0 * s,
        content.w - 32.0 * s,
        line_height(room_style),
    );
    c.circle(
        content.x + 10.0 * s,
        room_row.y + room_row.h / 2.0,
        10.0 * s,
        theme::ACCENT,
    );
    c.text(&t.room, room_style, room_row, Align::Start);

    // Title, up to three lines.
    let title_style = Style::new(68.0 * s, Weight::Bold, theme::INK);
    let mut y = room_row.bottom() + 28.0 * s;
    let used = c.paragraph(
        &t.title,
        title_style,
        Rect::new(content.x, y, content.w, 3.0 * 84.0 * s),
        84.0 * s,
        3,
    );
    y += used + 30.0 * s;
    c.line(content.x, y, content.right(), y, theme::LINE, 2.0 * s);
    y += 30.0 * s;

    // The event's week takes the bottom of the panel; the details flow above it.
    let strip_h = 3.0 * 1.45 * min;
    let cal = Rect::new(content.x, panel.bottom() - 44.0 * s - strip_h, content.w, strip_h);
    let limit = cal.y - 40.0 * s;

    // When: the date in the day's colour, the time under it (no heading: it reads as a date).
    let day_color = if when.is_all_day() || t.time_line.is_some() {
        calendar::day_color(t.first_day)
    } else {
        theme::INK
    };
    let date_style = Style::new(54.0 * s, Weight::Bold, day_color);
    let pill = Style::new(min, Weight::Bold, theme::SUNDAY);
    y = date_with_holiday(
        &mut c,
        t,
        date_style,
        pill,
        Rect::new(content.x, y, content.w, 0.0),
    ) + 6.0 * s;
    if let Some(time) = &t.time_line {
        let time_style = Style::new(48.0 * s, Weight::Regular, theme::INK);
        y += c.paragraph(
            time,
            time_style,
            Rect::new(content.x, y, content.w, (limit - y).max(0.0)),
            60.0 * s,
            2,
        );
    }
    y += 30.0 * s;

    // 참석·불참: the counts in the accent colour, who is going under them (one line each).
    if let Some(rsvp) = &ctx.req.rsvp {
        let counts = Style::new(44.0 * s, Weight::Bold, theme::ACCENT);
        if y + line_height(counts) <= limit {
            y += c.paragraph(
                &text::clean(&rsvp.counts),
                counts,
                Rect::new(content.x, y, content.w, line_height(counts)),
                56.0 * s,
                1,
            );
            let names = Style::new(min, Weight::Regular, theme::MUTED);
            let clean = text::clean(&rsvp.names);
            if !clean.is_empty() && y + line_height(names) <= limit {
                y += 4.0 * s;
                y += c.paragraph(
                    &clean,
                    names,
                    Rect::new(content.x, y, content.w, line_height(names)),
                    54.0 * s,
                    1,
                );
            }
            y += 30.0 * s;
        }
    }

    // Where and the memo, each under a small heading, as much as fits.
    let heading = Style::new(min, Weight::Bold, theme::MUTED);
    let head_h = line_height(heading);
    let sections = [
        (
            &t.location,
            dates::place_heading(ctx.locale),
            Style::new(46.0 * s, Weight::Regular, theme::INK),
            58.0 * s,
        ),
        (
            &t.memo,
            dates::memo_heading(ctx.locale),
            Style::new(min, Weight::Regular, theme::MUTED),
            54.0 * s,
        ),
    ];
    for (body, label, style, leading) in sections {
        let Some(body) = body else { continue };
        if y + head_h + 6.0 * s + line_height(style) > limit {
            break;
        }
        c.text(
            label,
            heading,
            Rect::new(content.x, y, content.w, head_h),
            Align::Start,
        );
        y += head_h + 6.0 * s;
        y += c.paragraph(
            body,
            style,
            Rect::new(content.x, y, content.w, (limit - y).max(0.0)),
            leading,
            2,
        );
        y += 26.0 * s;
    }

    c.rect(cal.inset(-24.0 * s, -16.0 * s), theme::SUBTLE, 28.0 * s);
    calendar::week_strip(&mut c, cal, t.days, ctx.req.today, ctx.locale, min)?;
    footer(
        &mut c,
        ctx.locale,
        Rect::new(
            panel.x,
            panel.bottom() + 8.0 * s,
            panel.w,
            h - panel.bottom() - 12.0 * s,
        ),
        min,
    );
    Ok(c.finish())
}

/// The brand mark in the bottom strip.
fn footer(c: &mut Canvas, lang: Lang, area: Rect, size: f32) {
    let style = Style::new(size, Weight::Bold, theme::FAINT);
    c.text(dates::brand(lang), style, area.inset(size * 0.3, 0.0), Align::End);
}

fn feed(ctx: &Context<'_>, t: &CardText) -> Result<Scene, RenderError> {
    let (w, h) = (ctx.width, ctx.height);
    let s = h / 400.0;
    let mut c = Canvas::new(ctx.req.size.width, ctx.req.size.height, theme::SURFACE);
    c.rect(Rect::new(0.0, 0.0, 14.0 * s, h), theme::ACCENT, 0.0);
    let cal_w = (w * 0.34).min(300.0 * s);
    let cal_panel = Rect::new(w - cal_w - 28.0 * s, 24.0 * s, cal_w, h - 48.0 * s);
    c.rect(cal_panel, theme::SUBTLE, 24.0 * s);
    let left = Rect::new(
        52.0 * s,
        34.0 * s,
        cal_panel.x - 52.0 * s - 36.0 * s,
        h - 34.0 * s - 56.0 * s,
    );

    let room_style = Style::new(20.0 * s, Weight::Bold, theme::ACCENT);
    let mut y = left.y;
    c.text(
        &t.room,
        room_style,
        Rect::new(left.x, y, left.w, line_height(room_style)),
        Align::Start,
    );
    y += line_height(room_style) + 12.0 * s;
    let title_style = Style::new(40.0 * s, Weight::Bold, theme::INK);
    y += c.paragraph(
        &t.title,
        title_style,
        Rect::new(left.x, y, left.w, 2.0 * 50.0 * s),
        50.0 * s,
        2,
    );
    y += 22.0 * s;
    let date_style = Style::new(25.0 * s, Weight::Bold, calendar::day_color(t.first_day));
    let pill = Style::new(17.0 * s, Weight::Bold, theme::SUNDAY);
    y = date_with_holiday(&mut c, t, date_style, pill, Rect::new(left.x, y, left.w, 0.0)) + 6.0 * s;
    if let Some(time) = &t.time_line {
        let style = Style::new(24.0 * s, Weight::Regular, theme::INK);
        y += c.paragraph(
            time,
            style,
            Rect::new(left.x, y, left.w, (left.bottom() - y).max(0.0)),
            30.0 * s,
            1,
        );
        y += 12.0 * s;
    }
    if let Some(place) = &t.location {
        let style = Style::new(22.0 * s, Weight::Regular, theme::MUTED);
        let row = Rect::new(left.x, y, left.w, line_height(style));
        if row.bottom() <= left.bottom() {
            c.text(place, style, row, Align::Start);
        }
    }
    let brand = Style::new(16.0 * s, Weight::Bold, theme::FAINT);
    let brand_row = Rect::new(
        left.x,
        h - 14.0 * s - line_height(brand),
        left.w,
        line_height(brand),
    );
    c.text(dates::brand(ctx.locale), brand, brand_row, Align::Start);
    calendar::mini_month(
        &mut c,
        cal_panel.inset(18.0 * s, 14.0 * s),
        t.first_day,
        t.days,
        ctx.req.today,
        ctx.locale,
    )?;
    Ok(c.finish())
}
