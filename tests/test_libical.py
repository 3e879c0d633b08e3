"""A fourth, independent parser: libical, as GNOME Evolution reads our feeds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import icalendar
import pytest
from flask.testing import FlaskClient
from icscheck import EXTERNAL_QUERIES, run_reader

CHECK = Path(__file__).parent / "libical_check.py"
SYSTEM_PYTHON = "/usr/bin/python3"  # python3-gi lives in Debian's Python, not in the venv


def read_with_libical(body: bytes, tmp_path: Path) -> dict[str, Any]:
    return run_reader([SYSTEM_PYTHON, str(CHECK)], body, tmp_path)


@pytest.mark.parametrize("query", EXTERNAL_QUERIES)
def test_libical_finds_a_valid_calendar_with_the_same_events(
    client: FlaskClient, distance: str, query: str, tmp_path: Path
) -> None:
    body = client.get(f"/feeds/{distance}.ics?{query}").data
    theirs = read_with_libical(body, tmp_path)
    assert theirs["valid"] == 1  # RFC 5545 property cardinality, as libical checks it
    assert theirs["errors"] == 0  # no X-LIC-ERROR anywhere
    ours = icalendar.Calendar.from_ical(body).events
    assert [e["uid"] for e in theirs["events"]] == [str(e["UID"]) for e in ours]
    for event, mine in zip(theirs["events"], ours, strict=True):
        timed = not event["is_date"]
        assert timed == ("time=" in query and "Strength" in [str(c) for c in mine.categories])
        if timed:
            assert event["utc"], event  # never floating
