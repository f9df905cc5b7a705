"""Reads .ics files with Python's icalendar (an independent parser) and prints, per VEVENT,
UID, SEQUENCE, STATUS, DTSTART, DTEND and SUMMARY as one JSON line each, for the Rust tests."""
import json
import sys

import icalendar

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    for ev in cal.walk("VEVENT"):
        def val(key):
            v = ev.get(key)
            if v is None:
                return None
            if hasattr(v, "dt"):
                return v.dt.isoformat()
            return str(v)
        print(json.dumps({
            "file": path,
            "method": str(cal.get("METHOD")) if cal.get("METHOD") else None,
            "uid": val("UID"),
            "sequence": int(ev.get("SEQUENCE", 0)),
            "status": val("STATUS"),
            "dtstart": val("DTSTART"),
            "dtend": val("DTEND"),
            "summary": val("SUMMARY"),
            "location": val("LOCATION"),
        }, ensure_ascii=False))
