"""Read a feed URL's query: every error names the parameter and the accepted form (syntax only)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .choices import Choices, read
from .errors import InvalidParameter, NotFound
from .fields import FEED_FIELDS, show
from .i18n import _
from .plans import DISTANCE_NAMES, DISTANCES

ACCEPTED = (*FEED_FIELDS, "download")
MAX_VALUE_LENGTH = 64


@dataclass(frozen=True)
class FeedQuery:
    """A feed URL's choices, and whether it asks for a download."""

    choices: Choices
    download: bool = False


def check_distance(distance: str) -> str:
    if distance not in DISTANCES:
        raise NotFound(
            f"There is no '{show(distance)}' program. Choose one of: {', '.join(DISTANCES)}.",
            field="distance",
            words=_(
                "There is no program for that distance: choose %(names)s.",
                names=", ".join(DISTANCE_NAMES[d] for d in DISTANCES),
            ),
        )
    return distance


def parse(distance: str, args: Mapping[str, Sequence[str]]) -> FeedQuery:
    """Read query arguments (each name mapped to all its values)."""
    check_distance(distance)
    values = single_values(args, ACCEPTED)
    download = values.pop("download", "0")
    if download not in ("0", "1"):
        raise InvalidParameter(
            f"'download' must be 1 or 0; got '{show(download)}'.", field="download"
        )
    return FeedQuery(read(distance, values), download == "1")


def single_values(args: Mapping[str, Sequence[str]], accepted: Sequence[str]) -> dict[str, str]:
    """One clean value per known name; unknown, repeated or odd values are a 400."""
    unknown = sorted(k for k in args if k not in accepted)
    if unknown:
        raise InvalidParameter(
            f"Unknown parameter '{show(unknown[0])}'. Accepted: {', '.join(accepted)}."
        )
    out = {}
    for name, given in args.items():
        if len(given) != 1:
            raise InvalidParameter(f"Give '{name}' once, not {len(given)} times.", field=name)
        value = given[0].strip()
        if len(value) > MAX_VALUE_LENGTH or not value.isascii() or not value.isprintable():
            raise InvalidParameter(
                f"'{name}' is too long or has characters outside plain ASCII.", field=name
            )
        out[name] = value
    return out
