"""Reads .ics files with Python's icalendar (an independent parser) and prints one JSON line per
file: the SUMMARY and DESCRIPTION of every VEVENT, and how many VALARM components and ATTENDEE
properties it found (Gachi writes neither, so any is an injection). Used by the hardening test."""
import json
import sys

import icalendar

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    events = list(cal.walk("VEVENT"))
    print(json.dumps({
        "file": path,
        "summaries": [str(ev.get("SUMMARY")) for ev in events],
        "descriptions": [str(ev.get("DESCRIPTION", "")) for ev in events],
        "alarms": len(list(cal.walk("VALARM"))),
        "attendees": sum(1 for ev in events for key in ev.keys() if key.upper() == "ATTENDEE"),
    }, ensure_ascii=False))
