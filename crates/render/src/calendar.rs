//! Calendar facts the layouts share: week and month grids (Sunday first, as Korean calendars
//! print them), the colour of a day (Sundays and holidays red, Saturdays blue) and the small
//! month calendar drawn on event cards.

use domain::holidays::{self, Holiday};
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

use crate::dates;
use crate::error::RenderError;
use crate::fonts::Weight;
use crate::scene::{Align, Canvas, Color, Rect, Style};
use crate::theme;
use i18n::Lang;

/// The Sunday on or before `d`.
pub fn week_start(d: Date) -> Result<Date, RenderError> {
    let back = dates::weekday_index(d.weekday()) as i64;
    Ok(d.checked_sub(back.days())?)
}

/// `d` plus `n` days.
pub fn add_days(d: Date, n: i64) -> Result<Date, RenderError> {
    Ok(d.checked_add(n.days())?)
}

/// The first cell of the month grid holding `d` and how many week rows it needs (4–6).
pub fn month_grid(d: Date) -> Result<(Date, usize), RenderError> {
    let first = d.first_of_month();
    let start = week_start(first)?;
    let cells = dates::weekday_index(first.weekday()) + d.days_in_month() as usize;
    Ok((start, cells.div_ceil(7)))
}

/// The holiday on `d`, if the table knows one.
pub fn holiday(d: Date) -> Option<&'static Holiday> {
    holidays::holiday(d)
}

/// Red for Sundays and holidays, blue for Saturdays, ink otherwise.
pub fn day_color(d: Date) -> Color {
    if d.weekday() == Weekday::Sunday || holiday(d).is_some() {
        theme::SUNDAY
    } else if d.weekday() == Weekday::Saturday {
        theme::SATURDAY
    } else {
        theme::INK
    }
}

/// Weekday header colour (Sunday red, Saturday blue).
pub fn weekday_color(i: usize) -> Color {
    match i {
        0 => theme::SUNDAY,
        6 => theme::SATURDAY,
        _ => theme::MUTED,
    }
}

/// A small month calendar in `area`: the month's name, weekday initials, day numbers, the days in
/// `marked` (inclusive) filled with the accent, today ringed.
pub fn mini_month(
    canvas: &mut Canvas,
    area: Rect,
    month: Date,
    marked: (Date, Date),
    today: Date,
    locale: Lang,
) -> Result<(), RenderError> {
    let (start, rows) = month_grid(month)?;
    let title_h = (area.h * 0.14).min(56.0);
    let head_h = (area.h * 0.1).min(44.0);
    let cell_w = area.w / 7.0;
    let cell_h = (area.h - title_h - head_h) / rows as f32;
    let title_size = (title_h * 0.55).min(30.0);
    canvas.text(
        &dates::month_title(locale, month),
        Style::new(title_size, Weight::Bold, theme::INK),
        Rect::new(area.x, area.y, area.w, title_h),
        Align::Start,
    );
    let head_size = (head_h * 0.5).min(22.0);
    for i in 0..7 {
        let cell = Rect::new(area.x + cell_w * i as f32, area.y + title_h, cell_w, head_h);
        let wd = weekday_from_index(i);
        canvas.text(
            dates::weekday_short(locale, wd),
            Style::new(head_size, Weight::Regular, weekday_color(i)),
            cell,
            Align::Center,
        );
    }
    let num_size = (cell_h * 0.42).min(cell_w * 0.36).min(28.0);
    let r = (cell_h.min(cell_w) * 0.42).max(num_size * 0.8);
    for row in 0..rows {
        for col in 0..7 {
            let d = add_days(start, (row * 7 + col) as i64)?;
            if d.month() != month.month() {
                continue;
            }
            let cell = Rect::new(
                area.x + cell_w * col as f32,
                area.y + title_h + head_h + cell_h * row as f32,
                cell_w,
                cell_h,
            );
            day_number(canvas, cell, d, marked, today, r, num_size);
        }
    }
    Ok(())
}

/// The week holding `marked.0` as one strip, for the event card: the month's name, then the seven
/// weekday initials over the day numbers, the days in `marked` (inclusive) filled with the accent,
/// today ringed. Every text is `size` px (the card keeps it at 1/26 of its width or more, so it
/// stays legible in a chat bubble, where a whole month of digits would not).
pub fn week_strip(
    canvas: &mut Canvas,
    area: Rect,
    marked: (Date, Date),
    today: Date,
    locale: Lang,
    size: f32,
) -> Result<(), RenderError> {
    let start = week_start(marked.0)?;
    let row_h = area.h / 3.0;
    let cell_w = area.w / 7.0;
    canvas.text(
        &dates::month_title(locale, marked.0),
        Style::new(size, Weight::Bold, theme::INK),
        Rect::new(area.x, area.y, area.w, row_h),
        Align::Start,
    );
    let r = (row_h.min(cell_w) * 0.48).max(size * 0.75);
    for i in 0..7 {
        let d = add_days(start, i as i64)?;
        let x = area.x + cell_w * i as f32;
        canvas.text(
            dates::weekday_short(locale, d.weekday()),
            Style::new(size, Weight::Regular, weekday_color(i)),
            Rect::new(x, area.y + row_h, cell_w, row_h),
            Align::Center,
        );
        let cell = Rect::new(x, area.y + 2.0 * row_h, cell_w, row_h);
        day_number(canvas, cell, d, marked, today, r, size);
    }
    Ok(())
}

/// One day's number centred in `cell`, as the month and the week strip both draw it: filled with
/// the accent when it is in `marked` (inclusive), ringed when it is today.
fn day_number(
    canvas: &mut Canvas,
    cell: Rect,
    d: Date,
    marked: (Date, Date),
    today: Date,
    r: f32,
    size: f32,
) {
    let (cx, cy) = (cell.x + cell.w / 2.0, cell.y + cell.h / 2.0);
    let is_marked = marked.0 <= d && d <= marked.1;
    let mut color = day_color(d);
    if is_marked {
        canvas.circle(cx, cy, r, theme::ACCENT);
        color = theme::ON_ACCENT;
    } else if d == today {
        canvas.stroke(Rect::new(cx - r, cy - r, 2.0 * r, 2.0 * r), theme::ACCENT, 2.5, r);
    }
    let weight = if is_marked { Weight::Bold } else { Weight::Regular };
    canvas.text(
        &d.day().to_string(),
        Style::new(size, weight, color),
        cell,
        Align::Center,
    );
}

/// Sunday-first index back to a weekday.
pub fn weekday_from_index(i: usize) -> Weekday {
    Weekday::from_sunday_zero_offset((i % 7) as i8).unwrap_or(Weekday::Sunday)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn grids() {
        assert_eq!(week_start(date(2026, 12, 24)).unwrap(), date(2026, 12, 20));
        assert_eq!(month_grid(date(2026, 12, 10)).unwrap(), (date(2026, 11, 29), 5));
        assert_eq!(month_grid(date(2026, 2, 10)).unwrap(), (date(2026, 2, 1), 4));
        assert_eq!(month_grid(date(2026, 8, 10)).unwrap(), (date(2026, 7, 26), 6));
        assert_eq!(day_color(date(2026, 12, 25)), theme::SUNDAY);
        assert_eq!(day_color(date(2026, 12, 26)), theme::SATURDAY);
        assert_eq!(day_color(date(2026, 12, 24)), theme::INK);
    }
}
