"""Expands the recurring events of an .ics file independently of Gachi, twice: Python's
icalendar parses the file, then (1) dateutil expands each RRULE with its EXDATEs and overriding
VEVENTs (RECURRENCE-ID) replace the occurrence they name, and (2) recurring-ical-events, when
installed, does the whole of it. Prints one JSON line per occurrence that starts in [FROM, TO):
{"by", "uid", "start", "summary"}; timed starts in UTC ISO form, all-day ones as dates.
Arguments: FILE FROM TO (FROM/TO are UTC ISO instants)."""
import datetime as dt
import json
import sys

import icalendar
from dateutil.rrule import rruleset, rrulestr

path, lo, hi = sys.argv[1], dt.datetime.fromisoformat(sys.argv[2]), dt.datetime.fromisoformat(sys.argv[3])
with open(path, "rb") as f:
    cal = icalendar.Calendar.from_ical(f.read())


def key(v):
    if isinstance(v, dt.datetime):
        return v.astimezone(dt.timezone.utc).isoformat()
    return v.isoformat()


def inside(v):
    if isinstance(v, dt.datetime):
        return lo <= v.astimezone(dt.timezone.utc) < hi
    return lo.date() <= v < hi.date()


occurrences = {}
overrides = []
for ev in cal.walk("VEVENT"):
    uid = str(ev["UID"])
    if str(ev.get("STATUS", "")) == "CANCELLED":
        continue
    start = ev["DTSTART"].dt
    if ev.get("RECURRENCE-ID") is not None:
        overrides.append((uid, key(ev["RECURRENCE-ID"].dt), start, str(ev["SUMMARY"])))
        continue
    if ev.get("RRULE") is None:
        occurrences[(uid, key(start))] = (start, str(ev["SUMMARY"]))
        continue
    rule = ev["RRULE"].to_ical().decode()
    rs = rruleset()
    if isinstance(start, dt.datetime):
        rs.rrule(rrulestr(rule, dtstart=start))
    else:
        first = dt.datetime.combine(start, dt.time())
        rs.rrule(rrulestr(rule, dtstart=first))
    exdates = ev.get("EXDATE", [])
    if not isinstance(exdates, list):
        exdates = [exdates]
    for ex in exdates:
        for d in ex.dts:
            v = d.dt
            rs.exdate(v if isinstance(v, dt.datetime) else dt.datetime.combine(v, dt.time()))
    for i, o in enumerate(rs):
        if i > 2000:
            break
        v = o if isinstance(start, dt.datetime) else o.date()
        if isinstance(v, dt.datetime) and v.astimezone(dt.timezone.utc) >= hi:
            break
        if not isinstance(v, dt.datetime) and v >= hi.date():
            break
        occurrences[(uid, key(v))] = (v, str(ev["SUMMARY"]))
for uid, original, start, summary in overrides:
    occurrences.pop((uid, original), None)
    occurrences[(uid, "moved:" + original)] = (start, summary)
for (uid, _), (start, summary) in sorted(occurrences.items(), key=lambda kv: (kv[0][0], key(kv[1][0]))):
    if inside(start):
        print(json.dumps({"by": "dateutil", "uid": uid, "start": key(start), "summary": summary}, ensure_ascii=False))

try:
    import recurring_ical_events
except ImportError:
    recurring_ical_events = None
print(json.dumps({"by": "meta", "recurring_ical_events": recurring_ical_events is not None}))
if recurring_ical_events is not None:
    for ev in recurring_ical_events.of(cal).between(lo, hi):
        start = ev["DTSTART"].dt
        if str(ev.get("STATUS", "")) == "CANCELLED" or not inside(start):
            continue
        print(json.dumps({"by": "recurring-ical-events", "uid": str(ev["UID"]), "start": key(start),
                          "summary": str(ev["SUMMARY"])}, ensure_ascii=False))
