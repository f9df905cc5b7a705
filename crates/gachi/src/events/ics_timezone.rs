//! VTIMEZONE blocks for the zones a calendar's series are written in (`DTSTART;TZID=…`): RFC
//! 5545 wants every TZID a calendar uses defined in it, and readers that do not know IANA names
//! depend on it. Each block lists the zone's real transitions from the tz database (jiff's),
//! from the one in force a year before the earliest series start up to 2038, one STANDARD or
//! DAYLIGHT component each, so the offsets a reader derives are the ones Gachi expanded with;
//! a zone without transitions there is one STANDARD from 1970.
//!
//! The blocks are plain text put in front of the first VEVENT (the icalendar crate has no
//! VTIMEZONE type); every line is far shorter than the 75 octets that would need folding.

use std::collections::BTreeMap;

use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

/// The last instant transitions are listed up to.
const UNTIL: &str = "2038-01-01T00:00:00Z";
/// Components per zone at most (a DST zone has two a year).
const MAX_COMPONENTS: usize = 200;

/// `+0900`, `-0430`, `+053028`.
fn offset_text(o: Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

fn component(kind: &str, start_local: &str, from: Offset, to: Offset, name: &str) -> String {
    let mut out = format!(
        "BEGIN:{kind}\r\nDTSTART:{start_local}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n",
        offset_text(from),
        offset_text(to)
    );
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-".contains(c))
    {
        out.push_str(&format!("TZNAME:{name}\r\n"));
    }
    out.push_str(&format!("END:{kind}\r\n"));
    out
}

/// The VTIMEZONE of `zone` covering series that start from `from` on.
pub fn vtimezone(zone: &str, from: Timestamp) -> Option<String> {
    let tz = domain::event::time_zone(zone).ok()?;
    let until: Timestamp = UNTIL.parse().ok()?;
    let start = from
        .checked_sub(SignedDuration::from_hours(366 * 24))
        .unwrap_or(from);
    let mut transitions: Vec<_> = tz.preceding(start).take(1).collect();
    transitions.extend(
        tz.following(start)
            .take_while(|t| t.timestamp() < until)
            .take(MAX_COMPONENTS),
    );
    let mut out = format!("BEGIN:VTIMEZONE\r\nTZID:{zone}\r\n");
    if transitions.is_empty() {
        let info = tz.to_offset_info(start);
        out.push_str(&component(
            "STANDARD",
            "19700101T000000",
            info.offset(),
            info.offset(),
            info.abbreviation(),
        ));
    }
    for t in &transitions {
        let at = t.timestamp();
        let before = at
            .checked_sub(SignedDuration::from_secs(1))
            .map(|b| tz.to_offset(b))
            .unwrap_or(t.offset());
        // DTSTART is the transition's wall-clock time in the offset it ends.
        let local = at.to_zoned_datetime(TimeZone::fixed(before));
        let kind = if t.dst().is_dst() { "DAYLIGHT" } else { "STANDARD" };
        out.push_str(&component(
            kind,
            &local.strftime("%Y%m%dT%H%M%S").to_string(),
            before,
            t.offset(),
            t.abbreviation(),
        ));
    }
    out.push_str("END:VTIMEZONE\r\n");
    Some(out)
}

/// The VTIMEZONEs of `zones` (zone → earliest series start there), in name order.
pub fn vtimezones(zones: &BTreeMap<String, Timestamp>) -> String {
    zones
        .iter()
        .filter_map(|(zone, from)| vtimezone(zone, *from))
        .collect()
}

/// `ics` with `blocks` put in front of its first component (right after the calendar's own
/// properties), or unchanged when there is nothing to add.
pub fn insert(ics: String, blocks: &str) -> String {
    if blocks.is_empty() {
        return ics;
    }
    match ics.find("BEGIN:VEVENT") {
        Some(at) => format!("{}{blocks}{}", &ics[..at], &ics[at..]),
        None => match ics.rfind("END:VCALENDAR") {
            Some(at) => format!("{}{blocks}{}", &ics[..at], &ics[at..]),
            None => ics,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seoul_is_one_standard_offset_since_1988() {
        let from: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
        let block = vtimezone("Asia/Seoul", from).unwrap();
        assert!(
            block.starts_with("BEGIN:VTIMEZONE\r\nTZID:Asia/Seoul\r\n"),
            "{block}"
        );
        assert_eq!(block.matches("BEGIN:STANDARD").count(), 1, "{block}");
        assert!(block.contains("TZOFFSETTO:+0900\r\n"), "{block}");
        assert!(!block.contains("DAYLIGHT"), "{block}");
    }

    #[test]
    fn a_dst_zone_lists_both_changes_each_year() {
        let from: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
        let block = vtimezone("America/New_York", from).unwrap();
        assert!(block.contains("BEGIN:DAYLIGHT\r\nDTSTART:20270314T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n"), "{block}");
        assert!(
            block.contains(
                "BEGIN:STANDARD\r\nDTSTART:20271107T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\n"
            ),
            "{block}"
        );
    }

    #[test]
    fn blocks_go_before_the_first_event() {
        let ics =
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".to_owned();
        let out = insert(ics, "BEGIN:VTIMEZONE\r\nEND:VTIMEZONE\r\n");
        assert_eq!(
            out,
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
    }
}
