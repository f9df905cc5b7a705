//! The month grid: weeks as rows (Sunday first), events as chips in each day, "+N개 더" when a
//! day has more than fits, holidays named, today in an accent disc.

use jiff::civil::Date;

use crate::calendar;
use crate::dates;
use crate::error::RenderError;
use crate::fonts::Weight;
use crate::request::Context;
use crate::scene::{Align, Canvas, Rect, Scene, Style, line_height};
use crate::text;
use crate::theme;

/// Lays out the month containing `date`.
pub fn layout(ctx: &Context<'_>, date: Date) -> Result<Scene, RenderError> {
    let (w, h) = (ctx.width, ctx.height);
    let s = w / 1080.0;
    let locale = ctx.locale;
    let (start, rows) = calendar::month_grid(date)?;
    let end = calendar::add_days(start, (rows * 7) as i64)?;
    let events = ctx.events_between(start, end);
    let mut c = Canvas::new(ctx.req.size.width, ctx.req.size.height, theme::SURFACE);

    // Header.
    let margin = 36.0 * s;
    let room_style = Style::new(28.0 * s, Weight::Bold, theme::ACCENT);
    let room_row = Rect::new(margin, 40.0 * s, w - 2.0 * margin, line_height(room_style));
    c.text(
        &text::clean(&ctx.req.room_name),
        room_style,
        room_row,
        Align::Start,
    );
    let title_style = Style::new(60.0 * s, Weight::Bold, theme::INK);
    let title_row = Rect::new(
        margin,
        room_row.bottom() + 6.0 * s,
        w - 2.0 * margin,
        line_height(title_style),
    );
    c.text(
        &dates::month_title(locale, date),
        title_style,
        title_row,
        Align::Start,
    );

    // Weekday row.
    let x0 = 20.0 * s;
    let col_w = (w - 2.0 * x0) / 7.0;
    let head_y = title_row.bottom() + 20.0 * s;
    let head_h = 50.0 * s;
    c.rect(
        Rect::new(x0, head_y, w - 2.0 * x0, head_h),
        theme::SUBTLE,
        14.0 * s,
    );
    for i in 0..7 {
        let style = Style::new(22.0 * s, Weight::Bold, calendar::weekday_color(i));
        let cell = Rect::new(x0 + col_w * i as f32, head_y, col_w, head_h);
        c.text(
            dates::weekday_short(locale, calendar::weekday_from_index(i)),
            style,
            cell,
            Align::Center,
        );
    }

    // Day cells.
    let grid_top = head_y + head_h + 6.0 * s;
    let grid_bottom = h - 60.0 * s;
    let row_h = (grid_bottom - grid_top) / rows as f32;
    let chip_h = 34.0 * s;
    let chip_gap = 4.0 * s;
    let top_h = 48.0 * s;
    let more_style = Style::new(18.0 * s, Weight::Bold, theme::MUTED);
    let more_h = line_height(more_style) + 2.0 * s;
    for row in 0..rows {
        let ry = grid_top + row_h * row as f32;
        c.line(x0, ry, w - x0, ry, theme::LINE, 1.5 * s);
        for col in 0..7 {
            let day = calendar::add_days(start, (row * 7 + col) as i64)?;
            let cell = Rect::new(x0 + col_w * col as f32, ry, col_w, row_h);
            let inner = cell.inset(5.0 * s, 0.0);
            let in_month = day.month() == date.month();

            // Day number, today in a disc, the holiday's name beside it.
            let mut num = Style::new(24.0 * s, Weight::Bold, calendar::day_color(day));
            if !in_month {
                num.color = theme::OUTSIDE;
            }
            let num_cell = Rect::new(inner.x, ry + 6.0 * s, 38.0 * s, 38.0 * s);
            if day == ctx.req.today {
                c.circle(
                    num_cell.x + num_cell.w / 2.0,
                    num_cell.y + num_cell.h / 2.0,
                    19.0 * s,
                    theme::ACCENT,
                );
                num.color = theme::ON_ACCENT;
            }
            c.text(&day.day().to_string(), num, num_cell, Align::Center);
            if let Some(hol) = calendar::holiday(day).filter(|_| in_month) {
                let style = Style::new(16.0 * s, Weight::Bold, theme::SUNDAY);
                let name_cell = Rect::new(
                    num_cell.right() + 2.0 * s,
                    num_cell.y,
                    inner.right() - num_cell.right() - 2.0 * s,
                    num_cell.h,
                );
                c.text(
                    &text::clean(dates::holiday_name(locale, hol)),
                    style,
                    name_cell,
                    Align::Start,
                );
            }
            if !in_month {
                continue;
            }

            // Chips, and "+N" when they do not all fit.
            let todays: Vec<_> = events.iter().filter(|e| e.touches(day, &ctx.tz)).collect();
            let area_h = row_h - top_h - 6.0 * s;
            let slots = ((area_h + chip_gap) / (chip_h + chip_gap)).max(0.0) as usize;
            let (shown, hidden) = if todays.len() <= slots {
                (todays.len(), 0)
            } else {
                let room_with_more = ((area_h - more_h + chip_gap) / (chip_h + chip_gap)).max(0.0) as usize;
                (room_with_more, todays.len() - room_with_more)
            };
            let mut y = ry + top_h;
            for event in todays.iter().take(shown) {
                let colors = theme::event_colors(&event.id);
                let chip = Rect::new(inner.x, y, inner.w, chip_h);
                let title = text::clean(&event.title);
                let style = Style::new(19.0 * s, Weight::Bold, colors.ink);
                if event.is_all_day() {
                    c.rect(chip, colors.fill, 7.0 * s);
                    c.text(&title, style, chip.inset(8.0 * s, 0.0), Align::Start);
                } else {
                    c.circle(chip.x + 7.0 * s, chip.y + chip_h / 2.0, 5.0 * s, colors.edge);
                    let cell = Rect::new(chip.x + 17.0 * s, chip.y, chip.w - 17.0 * s, chip.h);
                    c.text(
                        &title,
                        Style {
                            color: theme::INK,
                            ..style
                        },
                        cell,
                        Align::Start,
                    );
                }
                y += chip_h + chip_gap;
            }
            if hidden > 0 && y + more_h <= ry + row_h {
                c.text(
                    &dates::more(locale, hidden),
                    more_style,
                    Rect::new(inner.x + 4.0 * s, y, inner.w - 4.0 * s, more_h),
                    Align::Start,
                );
            } else if hidden > 0 {
                // Too small a cell for any text (the 800x400 feed card): a dot says "events here".
                c.circle(
                    inner.x + inner.w / 2.0,
                    (ry + row_h - 5.0 * s).min(y + 5.0 * s),
                    4.0 * s,
                    theme::ACCENT,
                );
            }
        }
    }
    c.line(x0, grid_bottom, w - x0, grid_bottom, theme::LINE, 1.5 * s);

    let brand = Style::new(22.0 * s, Weight::Bold, theme::FAINT);
    c.text(
        dates::brand(ctx.locale),
        brand,
        Rect::new(
            x0,
            grid_bottom + 12.0 * s,
            w - 2.0 * x0,
            h - grid_bottom - 20.0 * s,
        ),
        Align::End,
    );
    Ok(c.finish())
}
