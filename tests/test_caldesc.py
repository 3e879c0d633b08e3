"""The calendar's description reaches every parser whole, commas included."""

from __future__ import annotations

import icalendar
import vobject
from flask.testing import FlaskClient


def test_every_parser_reads_the_whole_calendar_description(
    client: FlaskClient, distance: str
) -> None:
    body = client.get(f"/feeds/{distance}.ics?race=2027-04-18").get_data(as_text=True)
    description = str(icalendar.Calendar.from_ical(body)["DESCRIPTION"])
    read = vobject.readOne(body).contents["x-wr-caldesc"][0].value
    assert read == description
