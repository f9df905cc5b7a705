//! The recurrence expander against an independent implementation: Python's `dateutil.rrule`.
//!
//! Every supported rule kind is expanded over two years (Feb 29 over nine) by
//! `domain::recurrence` and by `dateutil`, in `Asia/Seoul` and across DST in
//! `America/New_York`, and the local start times must be equal. CI installs python3 and
//! python-dateutil; without them these tests fail with a message saying so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use domain::recurrence::RRule;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, ToSpan};

/// For each stdin line `zone, start, rule, end, all_day` (tab-separated), prints the occurrences
/// of `rule` from `start` (naive local ISO) before `end` (naive local ISO), then `---`. UNTIL is rewritten to a naive local bound, the way the RRULE means it in the zone.
const PYTHON: &str = r#"
import sys
try:
    from dateutil.rrule import rrulestr
    from dateutil import tz as dtz
except ImportError as e:
    print("python-dateutil is missing: %s" % e, file=sys.stderr)
    sys.exit(3)
from datetime import datetime, timezone
for line in sys.stdin:
    zone, start, rule, end, all_day = line.rstrip("\n").split("\t")
    z = dtz.gettz(zone)
    if z is None:
        sys.exit("unknown zone " + zone)
    start = datetime.fromisoformat(start)
    end = datetime.fromisoformat(end)
    parts = []
    for p in rule.split(";"):
        k, v = p.split("=", 1)
        if k.upper() == "UNTIL":
            if v.upper().endswith("Z"):
                u = datetime.strptime(v.upper(), "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
                u = u.astimezone(z).replace(tzinfo=None)
            else:
                u = datetime.strptime(v, "%Y%m%d").replace(hour=23, minute=59, second=59)
            v = u.strftime("%Y%m%dT%H%M%S")
        parts.append(k + "=" + v)
    for d in rrulestr(";".join(parts), dtstart=start):
        if d >= end:
            break
        print(d.strftime("%Y-%m-%d" if all_day == "1" else "%Y-%m-%dT%H:%M:%S"))
    print("---")
"#;

/// One query for dateutil: zone, naive local start, rule, naive local end, all-day.
type Query = (String, String, String, String, bool);

/// Runs all queries in one python3 process (starting Python is the slow part).
fn dateutil(queries: &[Query]) -> Vec<Vec<String>> {
    use std::io::Write;
    let mut child = Command::new("python3")
        .args(["-c", PYTHON])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("python3 is needed for this test (CI installs python3 and python-dateutil): {e}")
        });
    let mut input = String::new();
    for (zone, start, rule, end, all_day) in queries {
        let flag = if *all_day { "1" } else { "0" };
        input.push_str(&format!("{zone}\t{start}\t{rule}\t{end}\t{flag}\n"));
    }
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python3 with python-dateutil is needed for this test (pip install python-dateutil): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut blocks = vec![Vec::new()];
    for line in text.lines() {
        if line == "---" {
            blocks.push(Vec::new());
        } else if let Some(last) = blocks.last_mut() {
            last.push(line.to_owned());
        }
    }
    blocks.pop();
    assert_eq!(
        blocks.len(),
        queries.len(),
        "dateutil answered {} of {} queries",
        blocks.len(),
        queries.len()
    );
    blocks
}

const FMT: &str = "%Y-%m-%dT%H:%M:%S";

/// (start date, rule, years to expand)
const CASES: &[(&str, &str, i64)] = &[
    ("2026-01-05", "FREQ=DAILY", 2),
    ("2026-01-05", "FREQ=DAILY;INTERVAL=2", 2),
    ("2026-01-07", "FREQ=WEEKLY;BYDAY=MO,WE,FR", 2),
    ("2026-01-07", "freq=weekly", 2),
    ("2026-01-06", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,TU;WKST=SU", 2),
    ("2026-01-06", "WKST=MO;BYDAY=TU,SU;INTERVAL=2;FREQ=WEEKLY", 2),
    ("2026-01-10", "FREQ=WEEKLY;INTERVAL=3;BYDAY=SA,MO;WKST=SA", 2),
    ("2026-01-15", "FREQ=MONTHLY;BYMONTHDAY=15", 2),
    ("2026-01-31", "FREQ=MONTHLY;BYMONTHDAY=31", 2),
    ("2026-01-31", "FREQ=MONTHLY", 2),
    ("2026-01-31", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=31", 2),
    ("2026-01-31", "FREQ=MONTHLY;BYMONTHDAY=-1", 2),
    ("2026-01-08", "FREQ=MONTHLY;BYDAY=2TH", 2),
    ("2026-01-30", "FREQ=MONTHLY;BYDAY=-1FR", 2),
    ("2026-01-30", "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR", 2),
    ("2026-12-24", "FREQ=YEARLY", 2),
    ("2026-12-24", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24", 2),
    ("2028-02-29", "FREQ=YEARLY", 9),
    ("2026-01-01", "FREQ=WEEKLY;BYDAY=TH;COUNT=10", 2),
    ("2026-01-31", "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=5", 2),
    ("2026-01-05", "FREQ=DAILY;INTERVAL=3;UNTIL=20260320", 2),
    ("2026-01-06", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260602T100000Z", 2),
    ("2026-01-06", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260602T230000Z", 2),
];

fn compare_timed(zone: &str, time: &str) {
    let tz = TimeZone::get(zone).unwrap();
    let mut queries = Vec::new();
    let mut ours = Vec::new();
    for &(date, rule_text, years) in CASES {
        let rule = RRule::parse(rule_text).unwrap();
        let local: DateTime = format!("{date}T{time}").parse().unwrap();
        let start = local.to_zoned_datetime(tz.clone()).unwrap();
        rule.check_timed_start(&start).unwrap();
        let end = start.checked_add(years.years()).unwrap();
        let expand = |from: jiff::Timestamp, duration| -> Vec<String> {
            rule.expand_timed(&start, duration, from, end.timestamp())
                .unwrap()
                .iter()
                .map(|o| o.start.strftime(FMT).to_string())
                .collect()
        };
        let all = expand(start.timestamp(), SignedDuration::from_hours(1));
        // A later window: COUNT and UNTIL still count from the series start.
        let from = start.checked_add(1.year()).unwrap();
        let later = expand(from.timestamp(), SignedDuration::ZERO);
        let from_local = from.datetime().strftime(FMT).to_string();
        ours.push((rule_text, date, all, later, from_local));
        queries.push((
            zone.to_owned(),
            local.strftime(FMT).to_string(),
            rule_text.to_owned(),
            end.datetime().strftime(FMT).to_string(),
            false,
        ));
    }
    for ((rule_text, date, all, later, from_local), theirs) in ours.into_iter().zip(dateutil(&queries)) {
        assert!(!theirs.is_empty(), "{zone} {date} {rule_text}: no occurrences");
        assert_eq!(all, theirs, "{zone} {date} {rule_text}");
        let theirs_later: Vec<String> = theirs.into_iter().filter(|d| *d >= from_local).collect();
        assert_eq!(later, theirs_later, "{zone} {date} {rule_text} from {from_local}");
    }
}

#[test]
fn timed_rules_match_dateutil_in_seoul() {
    compare_timed("Asia/Seoul", "19:00:00");
}

#[test]
fn timed_rules_match_dateutil_across_dst_in_new_york() {
    compare_timed("America/New_York", "19:00:00");
    compare_timed("America/New_York", "08:15:00");
}

#[test]
fn all_day_rules_match_dateutil() {
    let mut queries = Vec::new();
    let mut ours = Vec::new();
    // All-day rules take an UNTIL date (RFC 5545), so the UTC UNTIL cases are left out.
    for &(date, rule_text, years) in CASES.iter().filter(|c| !c.1.ends_with('Z')) {
        let rule = RRule::parse(rule_text).unwrap();
        let start: Date = date.parse().unwrap();
        rule.check_all_day_start(start).unwrap();
        let end = start.checked_add(years.years()).unwrap();
        let dates: Vec<String> = rule
            .expand_all_day(start, 2, start, end)
            .unwrap()
            .iter()
            .map(|o| o.start_date.to_string())
            .collect();
        ours.push((date, rule_text, dates));
        queries.push((
            "Asia/Seoul".to_owned(),
            format!("{start}T00:00:00"),
            rule_text.to_owned(),
            format!("{end}T00:00:00"),
            true,
        ));
    }
    for ((date, rule_text, dates), theirs) in ours.into_iter().zip(dateutil(&queries)) {
        assert!(!theirs.is_empty(), "all-day {date} {rule_text}: no occurrences");
        assert_eq!(dates, theirs, "all-day {date} {rule_text}");
    }
}

#[test]
fn wall_clock_time_is_kept_across_dst_and_gaps_move_forward() {
    let tz = TimeZone::get("America/New_York").unwrap();
    let rule = RRule::parse("FREQ=DAILY").unwrap();
    let start = "2026-03-07T02:30:00"
        .parse::<DateTime>()
        .unwrap()
        .to_zoned_datetime(tz)
        .unwrap();
    let end = start.checked_add(3.days()).unwrap();
    let got: Vec<String> = rule
        .expand_timed(
            &start,
            SignedDuration::from_hours(1),
            start.timestamp(),
            end.timestamp(),
        )
        .unwrap()
        .iter()
        .map(|o| o.start.to_string())
        .collect();
    assert_eq!(
        got,
        [
            "2026-03-07T02:30:00-05:00[America/New_York]",
            "2026-03-08T03:30:00-04:00[America/New_York]",
            "2026-03-09T02:30:00-04:00[America/New_York]",
        ]
    );
}
