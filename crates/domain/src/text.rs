//! Which characters a person's text may carry. Control characters are never typed on purpose:
//! a raw CR lets a title forge lines in an `.ics` file, NUL is refused by PostgreSQL (a 500
//! instead of a clear error), and ESC or BEL only ever serve to confuse a terminal or a log.
//! Every text Gachi accepts goes through [`clean`] once, at the edge, so nothing later needs
//! to wonder.

use std::borrow::Cow;

/// The character that made a text unacceptable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("control character U+{:04X}", u32::from(*.0))]
pub struct ControlCharacter(pub char);

/// Whether `c` is refused in text: every C0 and C1 control character and DEL, except tab and
/// newline (a memo has lines; CR is handled by [`clean`]).
pub fn is_refused(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// The text as Gachi keeps it: line breaks as `\n` (browsers post a textarea's lines as CRLF,
/// and an old Mac editor may send a lone CR), or the first other control character.
pub fn clean(text: &str) -> Result<Cow<'_, str>, ControlCharacter> {
    if let Some(c) = text.chars().find(|&c| c != '\r' && is_refused(c)) {
        return Err(ControlCharacter(c));
    }
    if !text.contains('\r') {
        return Ok(Cow::Borrowed(text));
    }
    Ok(Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")))
}

/// `text` with every refused character dropped (CR turned into a line break first): for
/// writing text stored before [`clean`] guarded the edge into formats where a control
/// character would do harm.
pub fn strip(text: &str) -> Cow<'_, str> {
    match clean(text) {
        Ok(clean) => clean,
        Err(_) => Cow::Owned(
            text.replace("\r\n", "\n")
                .replace('\r', "\n")
                .chars()
                .filter(|&c| !is_refused(c))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_passes_untouched() {
        assert!(matches!(clean("연말 모임\n\t2차"), Ok(Cow::Borrowed(_))));
    }

    #[test]
    fn line_breaks_become_newlines() {
        assert_eq!(clean("a\r\nb\rc").unwrap(), "a\nb\nc");
    }

    #[test]
    fn other_control_characters_are_refused() {
        for (text, c) in [
            ("a\0b", '\0'),
            ("a\u{7}b", '\u{7}'),
            ("a\u{1b}[31m", '\u{1b}'),
            ("a\u{7f}", '\u{7f}'),
            ("a\u{85}", '\u{85}'),
            ("a\rb\u{0}", '\0'),
        ] {
            assert_eq!(clean(text), Err(ControlCharacter(c)), "{text:?}");
        }
    }

    #[test]
    fn strip_drops_what_clean_refuses() {
        assert_eq!(strip("a\r\nBEGIN:VALARM\0\u{1b}"), "a\nBEGIN:VALARM");
        assert_eq!(strip("plain"), "plain");
    }
}
