//! Text that fits: cleaning user strings, measuring with the real font, "…" and line wrapping.
//!
//! SVG `<text>` neither wraps nor clips, so every run is fitted here before it becomes SVG. Widths
//! come from shaping with the embedded face exactly as usvg will, so what the layout measured is
//! what gets drawn. Characters the font lacks (emoji, most symbols) are removed rather than left
//! to show up as empty boxes.

use crate::fonts::{Face, Weight, fonts};

/// The ellipsis appended to shortened text.
pub const ELLIPSIS: &str = "…";

/// Makes user text drawable: characters without a glyph (emoji, variation selectors, ZWJ,
/// controls) are dropped, any whitespace becomes one space, and the ends are trimmed.
pub fn clean(text: &str) -> String {
    let Ok(f) = fonts() else {
        return String::new();
    };
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if c.is_control() || is_emoji_glue(c) || !(f.regular.covers(c) && f.bold.covers(c)) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Invisible characters that only join or style emoji (left alone they would draw as nothing or
/// as stray marks once the emoji itself is gone).
fn is_emoji_glue(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}' | '\u{20E3}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0000}'..='\u{E01EF}')
}

/// Width of `text` in px.
pub fn measure(text: &str, weight: Weight, size: f32) -> f32 {
    fonts().map_or(0.0, |f| f.face(weight).advance(text, size))
}

fn face(weight: Weight) -> Option<&'static Face> {
    fonts().ok().map(|f| f.face(weight))
}

/// `text` if it fits in `max_width`, else its longest prefix that fits with "…" appended.
/// Empty when not even the ellipsis fits.
pub fn ellipsize(text: &str, weight: Weight, size: f32, max_width: f32) -> String {
    let Some(face) = face(weight) else {
        return String::new();
    };
    if face.advance(text, size) <= max_width {
        return text.to_owned();
    }
    shorten(face, text, size, max_width)
}

/// The longest prefix of `text` (by chars) that fits with "…" appended (always shortened).
fn shorten(face: &Face, text: &str, size: f32, max_width: f32) -> String {
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let with_ellipsis = |n: usize| {
        let end = bounds.get(n).copied().unwrap_or(text.len());
        format!("{}{ELLIPSIS}", text[..end].trim_end())
    };
    // Binary search for the largest n with a fitting prefix (width grows with n).
    let (mut lo, mut hi) = (0usize, bounds.len());
    if face.advance(&with_ellipsis(0), size) > max_width {
        return String::new();
    }
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if face.advance(&with_ellipsis(mid), size) <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    with_ellipsis(lo)
}

/// Longest prefix of `word` (at least one char when possible) that fits `max_width`, and the rest.
fn split_to_fit<'a>(face: &Face, word: &'a str, size: f32, max_width: f32) -> (&'a str, &'a str) {
    let mut end = 0;
    for (i, c) in word.char_indices() {
        let next = i + c.len_utf8();
        if face.advance(&word[..next], size) > max_width {
            break;
        }
        end = next;
    }
    if end == 0 {
        end = word.chars().next().map_or(0, char::len_utf8);
    }
    word.split_at(end)
}

/// Wraps `text` into at most `max_lines` lines of at most `max_width` px, breaking at spaces and,
/// for words longer than a line, between characters (as Korean allows). The last line ends with
/// "…" when text was left over.
pub fn wrap(text: &str, weight: Weight, size: f32, max_width: f32, max_lines: usize) -> Vec<String> {
    let Some(face) = face(weight) else {
        return Vec::new();
    };
    if max_lines == 0 || text.is_empty() {
        return Vec::new();
    }
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut words = text.split(' ').filter(|w| !w.is_empty());
    let mut pending: Option<&str> = words.next();
    while let Some(word) = pending {
        if lines.len() + 1 == max_lines {
            // Last allowed line: everything left goes here, shortened if needed.
            let mut rest = current.clone();
            if !rest.is_empty() {
                rest.push(' ');
            }
            rest.push_str(word);
            for w in words.by_ref() {
                rest.push(' ');
                rest.push_str(w);
            }
            current = ellipsize(&rest, weight, size, max_width);
            pending = None;
            continue;
        }
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if face.advance(&candidate, size) <= max_width {
            current = candidate;
            pending = words.next();
        } else if current.is_empty() {
            let (head, tail) = split_to_fit(face, word, size, max_width);
            lines.push(head.to_owned());
            pending = if tail.is_empty() { words.next() } else { Some(tail) };
        } else {
            lines.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines.retain(|l| !l.is_empty());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_strips_emoji_and_collapses_space() {
        assert_eq!(clean("  🎄 크리스마스\n\t파티 🎉  "), "크리스마스 파티");
        assert_eq!(clean("👨‍👩‍👧"), "");
        assert_eq!(clean("<script>"), "<script>");
    }

    #[test]
    fn ellipsize_fits_and_marks() {
        let long = "아주 아주 긴 제목이 들어가면 잘려야 합니다 정말로 길어요";
        let short = ellipsize(long, Weight::Bold, 30.0, 200.0);
        assert!(short.ends_with(ELLIPSIS), "{short}");
        assert!(measure(&short, Weight::Bold, 30.0) <= 200.0);
        assert_eq!(ellipsize("짧음", Weight::Bold, 30.0, 200.0), "짧음");
        assert_eq!(ellipsize("짧음", Weight::Bold, 30.0, 1.0), "");
    }

    #[test]
    fn wrap_respects_width_and_lines() {
        let text = "토요일 저녁 송년회 및 연말 정산 회의 그리고 2차 노래방까지 이어지는 긴 일정";
        let lines = wrap(text, Weight::Regular, 28.0, 240.0, 3);
        assert_eq!(lines.len(), 3);
        for l in &lines {
            assert!(measure(l, Weight::Regular, 28.0) <= 240.0, "{l}");
        }
        assert!(lines[2].ends_with(ELLIPSIS));
        let one = wrap("가나다라마바사아자차카타파하", Weight::Regular, 28.0, 60.0, 10);
        assert!(one.len() > 3 && one.iter().all(|l| measure(l, Weight::Regular, 28.0) <= 60.0));
        assert_eq!(
            wrap("짧은 제목", Weight::Regular, 28.0, 500.0, 2),
            vec!["짧은 제목"]
        );
    }
}
