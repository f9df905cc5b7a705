//! Control characters in a request's path are never a real address: a `%00` in a token would
//! reach the database (PostgreSQL refuses NUL in text with an error, a 500), and `%0D` or
//! `%1B` only ever probe. Such a path is answered 404 before any route sees it, logged in or
//! not, on every backend alike.

/// Whether the path, percent-decoded as the router decodes its parameters, holds a control
/// character.
pub fn has_control_characters(path: &str) -> bool {
    let control = |b: u8| b < 0x20 || b == 0x7f;
    let bytes = path.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        control(b)
            || (b == b'%'
                && bytes
                    .get(i + 1..i + 3)
                    .and_then(|hex| std::str::from_utf8(hex).ok())
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                    .is_some_and(control))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_control_characters_are_seen() {
        assert!(has_control_characters("/feeds/a%00b.ics"));
        assert!(has_control_characters("/s/a%0d"));
        assert!(has_control_characters("/s/%1B"));
        assert!(!has_control_characters("/s/abc%20def"));
        assert!(!has_control_characters("/rooms/%EC%97%B0"));
    }
}
