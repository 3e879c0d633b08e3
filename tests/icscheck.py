"""Independent checks of calendar bytes: RFC 5545 line rules, icalendar and vobject parsing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

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


# Feeds the external parsers read: all-day, timed in Europe, timed in America with a lead-in.
EXTERNAL_QUERIES = (
    "race=2027-04-18",
    "race=2027-03-31&start=2026-12-01&time=07:00&tz=Europe/Berlin&alarm=15",
    "race=2027-10-10&start=2026-11-30&time=18:45&tz=America/New_York&days=mon,wed,fri,sat",
)


def run_reader(command: list[str], body: bytes, tmp_path: Path) -> dict[str, Any]:
    """Write the calendar to a file, run an external reader on it, return its JSON answer."""
    path = tmp_path / "feed.ics"
    path.write_bytes(body)
    run = subprocess.run([*command, str(path)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, f"{command[0]} failed (make test installs it): {run.stderr}"
    result: dict[str, Any] = json.loads(run.stdout)
    return result
