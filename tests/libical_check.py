"""Read a calendar with libical (Evolution's parser) and print what it found as JSON.

Runs under Debian's system python3 with python3-gi and gir1.2-ical-3.0, not in the venv.
"""

import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402

VEVENT = ICalGLib.ComponentKind.VEVENT_COMPONENT


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        calendar = ICalGLib.Component.new_from_string(f.read())
    events = []
    event = calendar.get_first_component(VEVENT)
    while event is not None:
        start = event.get_dtstart()
        events.append(
            {
                "uid": event.get_uid(),
                "start": start.as_ical_string(),
                "is_date": bool(start.is_date()),
                "utc": bool(start.is_utc()),
            }
        )
        event = calendar.get_next_component(VEVENT)
    valid = calendar.check_restrictions()
    print(json.dumps({"valid": valid, "errors": calendar.count_errors(), "events": events}))


if __name__ == "__main__":
    main(sys.argv[1])
