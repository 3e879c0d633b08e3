"""Time zone names: accept canonical IANA location zones, map old names to them, refuse the rest.

The name goes into `X-WR-TIMEZONE`, which tells Google Calendar which zone to show, so it must be
a place the client knows, spelt as the tz database spells it today:

- a location in the tz database's `zone.tab` (`Europe/Berlin`, `America/New_York`) is kept;
- an old or alias name of a location (`US/Eastern`, `Asia/Calcutta`, `Europe/Kiev`) is mapped to
  the location it links to (`America/New_York`, `Asia/Kolkata`, `Europe/Kyiv`);
- UTC under any of its names becomes `Etc/UTC`: not a place, but unambiguous and useful to a
  runner who keeps their calendar in UTC;
- everything else is refused: names without a region are abbreviations or rules whose meaning
  surprises (`EST` is Panama without daylight saving, `EST5EDT` and `CET` are rules, `GMT`
  would put a Londoner an hour out all summer), `Etc/GMT+5` means five hours *behind* UTC,
  `Factory` is a placeholder and `localtime` is whatever the server's own zone happens to be.

The names come from the `tzdata` package (a dependency), so every server agrees on them.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from .errors import InvalidParameter

UTC_NAME = "Etc/UTC"
EXAMPLE = "such as Europe/Berlin or America/New_York"


@cache
def _locations() -> frozenset[str]:
    text = files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return frozenset(row[2] for row in rows)


@cache
def _database() -> list[list[str]]:
    """The zone (`Z name ...`) and link (`L target name`) lines of the compiled tz source."""
    text = files("tzdata.zoneinfo").joinpath("tzdata.zi").read_text(encoding="utf-8")
    return [line.split() for line in text.splitlines() if line.startswith(("Z ", "L "))]


@cache
def _links() -> dict[str, str]:
    """Each link name of the tz database and the name it points to."""
    return {row[2]: row[1] for row in _database() if row[0] == "L"}


@cache
def _spellings() -> dict[str, str]:
    """Every name of the database by its lower case, to accept `europe/berlin` too."""
    names = {row[1] for row in _database() if row[0] == "Z"} | _links().keys() | _locations()
    return {name.lower(): name for name in names}


def _resolve(name: str) -> str:
    """Follow links until a location or a name that links nowhere."""
    seen: set[str] = set()
    while name not in _locations() and name in _links() and name not in seen:
        seen.add(name)
        name = _links()[name]
    return name


def canonical(raw: str) -> str:
    """The canonical IANA location zone for `raw`, or an InvalidParameter naming `tz`."""
    name = _spellings().get(raw.strip().lower())
    if name is None:
        raise InvalidParameter(
            f"'tz' must be an IANA time zone {EXAMPLE}; '{_shown(raw)}' is not one.", field="tz"
        )
    target = _resolve(name)
    if target == UTC_NAME:
        return UTC_NAME
    if "/" not in name or name.startswith("Etc/") or target not in _locations():
        raise InvalidParameter(
            f"'tz' must name a place {EXAMPLE}: '{_shown(raw)}' is an abbreviation, a rule or an"
            " offset whose daylight-saving times would surprise you. For plain UTC use Etc/UTC.",
            field="tz",
        )
    return target


def _shown(raw: str) -> str:
    return "".join(c if c.isascii() and c.isprintable() else "?" for c in raw)[:30]
