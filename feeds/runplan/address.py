"""The running plan's address as given: its syntax only (the fetcher checks the rest)."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..errors import InvalidParameter
from ..i18n import _
from .errors import FIELD

MAX_LENGTH = 2000
# Calendar apps hand out webcal:// links for the same https:// address.
SCHEMES = {"https": "https", "http": "http", "webcal": "https", "webcals": "https"}


def parse_url(raw: str) -> str:
    """An https (or webcal) address with a host; http passes here and the fetcher decides."""
    text = raw.strip()
    parts = urlsplit(text)
    scheme = SCHEMES.get(parts.scheme.lower())
    if len(text) > MAX_LENGTH or scheme is None or not parts.hostname or " " in text:
        raise InvalidParameter(
            _(
                "'%(field)s' must be the https:// address of your running plan's calendar (the"
                " subscription link its app shows), up to %(most)s characters.",
                field=FIELD,
                most=MAX_LENGTH,
            ),
            field=FIELD,
        )
    return scheme + text[len(parts.scheme) :]
