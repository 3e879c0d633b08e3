"""Independent checks of calendar bytes: RFC 5545 line rules, icalendar and vobject parsing."""

from __future__ import annotations

import icalendar
import vobject


def check_lines(body: bytes) -> None:
    """Every line ends CRLF, is at most 75 octets, folds start with one space (RFC 5545 3.1)."""
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
    for line in lines:
        assert len(line) <= 75, line
        assert b"\n" not in line, line
        # An odd run of backslashes at a fold splits an escape: Google drops such events.
        trailing = len(line) - len(line.rstrip(b"\\"))
        assert trailing % 2 == 0, line


def parse_both(body: bytes) -> icalendar.Calendar:
    """Parse with icalendar (no recorded errors, no missing zones) and vobject (validated)."""
    check_lines(body)
    cal = icalendar.Calendar.from_ical(body)
    errors = [(c.name, e) for c in cal.walk() for e in c.errors]
    assert not errors
    assert cal.get_missing_tzids() == set()
    parsed = vobject.readOne(body.decode("utf-8"), validate=True)
    events = [c for c in parsed.getChildren() if c.name == "VEVENT"]
    assert len(events) == len(cal.events)
    assert {str(e.uid.value) for e in events} == {str(e["UID"]) for e in cal.events}
    return cal
