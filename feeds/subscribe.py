"""Subscribe links for each calendar client (formats in ics-clients.md F1-F3; pure)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/u/0/r/settings/addbyurl"
GOOGLE_ONE_CLICK = "https://calendar.google.com/calendar/u/0/r"
OUTLOOK_COM = "https://outlook.live.com/calendar/0/addfromweb"
MICROSOFT_365 = "https://outlook.office.com/calendar/0/addfromweb"


@dataclass(frozen=True)
class SubscribeLinks:
    """Every way to put one feed into a calendar."""

    feed: str
    webcal: str
    google_add_by_url: str
    google_one_click: str
    outlook_com: str
    microsoft_365: str
    download: str


def subscribe_links(feed_url: str, name: str) -> SubscribeLinks:
    """Links for an absolute http(s) feed URL and the calendar's display name."""
    webcal = "webcal://" + feed_url.split("://", 1)[1]
    # Outlook on the web needs the https URL: given webcal it made an empty calendar (F3).
    microsoft = {"url": feed_url, "name": name}
    return SubscribeLinks(
        feed=feed_url,
        webcal=webcal,
        google_add_by_url=GOOGLE_ADD_BY_URL,
        # Undocumented; webcal worked where https was refused, but neither always works (F2).
        google_one_click=f"{GOOGLE_ONE_CLICK}?{urlencode({'cid': webcal}, quote_via=quote)}",
        outlook_com=f"{OUTLOOK_COM}?{urlencode(microsoft, quote_via=quote)}",
        microsoft_365=f"{MICROSOFT_365}?{urlencode(microsoft, quote_via=quote)}",
        download=with_param(feed_url, "download", "1"),
    )


def with_param(url: str, name: str, value: str) -> str:
    """The URL with one query parameter set, the others kept as they are."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    query.append((name, value))
    return urlunsplit(parts._replace(query=urlencode(query, safe=",/:")))


# The calendar a device most likely uses: its maker's, else Outlook on Windows (ics-clients.md).
# An iPad asks for desktop sites by default and then says "Macintosh" like a Mac: only a script
# can tell them apart (touch points), and both get Apple Calendar, so the header is enough here.
DEVICES = (
    ("apple", ("iPhone", "iPad", "iPod", "Macintosh")),
    ("google", ("Android", "CrOS")),
    ("outlook", ("Windows",)),
)
CLIENTS = ("apple", "google", "outlook", "other")
# The clients the plan page offers by name ("Add to Apple Calendar"); "other" gets "Subscribe".
OPENS = frozenset(CLIENTS) - {"other"}


def device_of(user_agent: str) -> str:
    """'apple', 'google', 'outlook' or 'other', from a User-Agent header."""
    return next((name for name, marks in DEVICES if any(m in user_agent for m in marks)), "other")
