"""Read JSON bodies of the subscriptions API: types are checked here, values by `params.parse`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from .choices import FIELDS, Choices, args_of, validate
from .errors import InvalidParameter, NotFound
from .plans import DISTANCES

T = TypeVar("T")
ACCEPTED = ("distance", *FIELDS, "unlock_weekly", "revision")
TEXT = "a string"
KINDS = {
    "race": "a date string YYYY-MM-DD",
    "start": "a date string YYYY-MM-DD or null",
    "days": 'a list of weekdays such as ["tue", "thu"], a string "tue,thu", or null',
    "long": 'a weekday string such as "sun"',
    "time": 'a string HH:MM such as "07:00", or null',
    "tz": 'an IANA zone string such as "Europe/Berlin", or null',
    "alarm": "a whole number of minutes, or null",
}


@dataclass(frozen=True)
class Given:
    """The fields one request gave; None in `args` clears that parameter."""

    args: Mapping[str, str | None]
    distance: str | None = None
    unlock_weekly: bool | None = None
    revision: int | None = None

    def apply(self, base: Choices | None, today: date) -> Choices:
        """Merge over `base` (None when creating) and validate the whole result."""
        args = args_of(base) if base else {}
        for name, value in self.args.items():
            if value is None:
                args.pop(name, None)
            else:
                args[name] = value
        distance = self.distance or (base.distance if base else _missing_distance())
        unlock = self.unlock_weekly
        if unlock is None:
            unlock = base.unlock_weekly if base else False
        try:
            return validate(distance, args, today, unlock)
        except NotFound as exc:
            # In a body the distance is a field value, not a path: a bad one is a bad request.
            raise InvalidParameter(exc.message, field=exc.field) from exc


def _missing_distance() -> str:
    raise InvalidParameter(
        f"'distance' is required: one of {', '.join(DISTANCES)}.", field="distance"
    )


def read(body: Any) -> Given:
    """Check a decoded JSON body's shape and field types."""
    if not isinstance(body, dict):
        raise InvalidParameter('The body must be a JSON object, for example {"race": "..."}.')
    unknown = sorted(str(k) for k in body if k not in ACCEPTED)
    if unknown:
        raise InvalidParameter(
            f"Unknown field '{unknown[0][:30]}'. Accepted: {', '.join(ACCEPTED)}.",
            field=None,
        )
    return Given(
        args={name: _text(name, body[name]) for name in FIELDS if name in body},
        distance=_typed(body, "distance", str, TEXT),
        unlock_weekly=_typed(body, "unlock_weekly", bool, "true or false"),
        revision=_revision(body),
    )


def _text(name: str, value: Any) -> str | None:
    if value is None and name != "race":
        return None
    if name == "days" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ",".join(value)
    if name == "alarm" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and name != "alarm":
        return value
    raise _wrong_type(name, KINDS[name], value)


def _typed(body: Mapping[str, Any], name: str, kind: type[T], what: str) -> T | None:
    value = body.get(name)
    if value is None or (isinstance(value, kind) and not (kind is int and isinstance(value, bool))):
        return value
    raise _wrong_type(name, what, value)


def _revision(body: Mapping[str, Any]) -> int | None:
    value = _typed(body, "revision", int, "a whole number (the revision you read)")
    if value is not None and value < 0:
        raise _wrong_type("revision", "a whole number (the revision you read)", value)
    return value


def _wrong_type(name: str, what: str, value: Any) -> InvalidParameter:
    got = {bool: "true/false", int: "a number", float: "a number", str: "a string"}
    got |= {list: "a list", dict: "an object", type(None): "null"}
    shown = got.get(type(value), "something else")
    return InvalidParameter(f"'{name}' must be {what}; got {shown}.", field=name)
