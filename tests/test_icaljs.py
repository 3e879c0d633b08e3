"""A third, independent parser: ical.js, as Thunderbird reads our feeds."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import icalendar
import pytest
from flask.testing import FlaskClient

CHECK = Path(__file__).parent / "js" / "check.mjs"


def read_with_icaljs(body: bytes, tmp_path: Path) -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "node is needed for the ical.js check (make test installs tests/js)"
    path = tmp_path / "feed.ics"
    path.write_bytes(body)
    run = subprocess.run([node, str(CHECK), str(path)], capture_output=True, check=True)
    result: dict[str, Any] = json.loads(run.stdout)
    return result


@pytest.mark.parametrize(
    "query",
    [
        "race=2027-04-18",
        "race=2027-03-31&start=2026-12-01&time=07:00&tz=Europe/Berlin&alarm=15",
        "race=2027-10-10&start=2026-11-30&time=18:45&tz=America/New_York&days=mon,wed,fri,sat",
    ],
)
def test_icaljs_reads_the_same_events(
    client: FlaskClient, distance: str, query: str, tmp_path: Path
) -> None:
    body = client.get(f"/feeds/{distance}.ics?{query}").data
    theirs = read_with_icaljs(body, tmp_path)
    ours = icalendar.Calendar.from_ical(body)
    assert theirs["name"] == str(ours["X-WR-CALNAME"])
    by_uid = {str(e["UID"]): e for e in ours.events}
    assert [e["uid"] for e in theirs["events"]] == list(by_uid)
    for event in theirs["events"]:
        mine = by_uid[event["uid"]]
        assert event["summary"] == str(mine["SUMMARY"])
        assert event["description"] == str(mine["DESCRIPTION"])
        if event["isDate"]:
            assert event["start"] == mine.start.isoformat()
        else:
            assert event["zone"] == "UTC"  # never floating
            assert event["utc"] == int(mine.start.timestamp())
