"""Read JSON bodies of the subscriptions API: shapes and types here, values by the field table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .. import policy
from ..choices import Choices, merged
from ..errors import InvalidParameter, NotFound
from ..fields import BY_NAME, FIELDS, wrong_type
from ..params import check_distance
from ..plans import DISTANCES

# `running_plan_ics`: the text of a running plan's .ics, read once and never stored (the body
# keeps the app's limit, MAX_CONTENT_LENGTH).
ACCEPTED = ("distance", *(f.name for f in FIELDS), "running_plan_ics", "revision")


@dataclass(frozen=True)
class Given:
    """The fields one request gave, as text; None clears that field."""

    values: Mapping[str, str | None] = field(default_factory=dict)
    distance: str | None = None
    revision: int | None = None
    ics: bytes | None = None

    def apply(self, base: Choices | None, today: date) -> Choices:
        """Merge over `base` (None when creating), read the whole again and check its dates."""
        distance = self.distance or (base.distance if base else _missing_distance())
        try:
            check_distance(distance)
        except NotFound as exc:
            # In a body the distance is a field value, not a path: a bad one is a bad request.
            raise InvalidParameter(exc.message, field="distance", words=exc.words) from exc
        return policy.check(merged(base, distance, self.values), today)


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
        values={name: BY_NAME[name].from_json(body[name]) for name in BY_NAME if name in body},
        distance=_typed(body, "distance", "a string"),
        revision=_revision(body),
        ics=_ics(body),
    )


def _typed(body: Mapping[str, Any], name: str, what: str) -> str | None:
    value = body.get(name)
    if value is None or isinstance(value, str):
        return value
    raise wrong_type(name, what, value)


def _revision(body: Mapping[str, Any]) -> int | None:
    value = body.get("revision")
    what = "a whole number (the revision you read)"
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise wrong_type("revision", what, value)


def _ics(body: Mapping[str, Any]) -> bytes | None:
    text = _typed(body, "running_plan_ics", "a string holding the calendar (.ics) text")
    return None if text is None else text.encode("utf-8", errors="replace")
