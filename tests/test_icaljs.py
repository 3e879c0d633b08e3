"""A third, independent parser: ical.js, as Thunderbird reads our feeds."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import icalendar
import pytest
from flask.testing import FlaskClient
from icscheck import EXTERNAL_QUERIES, run_reader

CHECK = Path(__file__).parent / "js" / "check.mjs"


def read_with_icaljs(body: bytes, tmp_path: Path) -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "node is needed for the ical.js check (make test installs tests/js)"
    return run_reader([node, str(CHECK)], body, tmp_path)


@pytest.mark.parametrize("query", EXTERNAL_QUERIES)
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
