"""A pseudo locale for tests: every catalogued message comes out as ⟦message⟧.

Text outside the markers was never looked up in the catalogue, so a translation could not reach
it. A message's `%(placeholders)s` close the marker around them (`⟦Week of ⟧%(day)s⟦⟧`), so what
fills them is checked too. `leaks` finds every run of English words left outside the markers
once plan data (TOML content, a translated plan set's business) is taken out: a phrase, a label
of one word, a lone "min". Run the app with dates in a locale whose names share no letters with
English (`DATE_LOCALE`), so a date Babel wrote never looks like a leak and one written with
strftime always does.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

from babel.support import NullTranslations
from flask import Flask
from flask_babel import Domain

OPEN, CLOSE = "⟦", "⟧"
# Greek: weekday and month names in another script, so no English name can come from Babel.
DATE_LOCALE = "el"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
# Words in a row with nothing but spaces between them (a run of one word counts too).
RUN = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*(?:[ \t]+[A-Za-z][A-Za-z'\u2019-]*)*")
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
MONTHS = "January February March April May June July August September October November December"
NAMES = [*WEEKDAYS.split(), *MONTHS.split()]
# Words that leak even where plan data holds the same word alone ("rest", "heavy" as a value):
# English weekday and month names, as written or cut to three letters, and the run kinds.
TELLING = {
    *(n.casefold() for n in NAMES),
    *(n[:3].casefold() for n in NAMES),
    *["sept", "long", "hard", "easy", "rest", "week", "weeks", "min", "strength", "race"],
}
# Addresses and query strings shown as text (a feed URL's "?days=tue,thu&long=sun") are codes.
ADDRESS = re.compile(r"\S*(?:=|://)\S*")
# Attributes people read (or hear, through a screen reader), or that scripts and styles show:
# a table cell's label on a phone (CSS `attr(data-label)`), a copy button's note (plan.js).
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "aria-description"}
READ_ATTRIBUTES |= {"data-label", "data-copied"}
# Elements that end a line of text, so words of neighbouring blocks never join into a phrase.
BLOCKS = {
    *("p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "section", "header", "footer"),
    *("td", "th", "tr", "caption", "option", "label", "button", "legend", "dt", "dd", "br"),
    *("summary", "details", "nav", "main", "title", "table", "form", "fieldset", "figcaption"),
}


class PseudoTranslations(NullTranslations):  # type: ignore[misc]
    """Wraps every message in markers, keeping its %(placeholders)s."""

    def gettext(self, message: str) -> str:
        return marked(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return marked(singular if n == 1 else plural)

    ugettext = gettext
    ungettext = ngettext


def marked(message: str) -> str:
    """The message in markers, each placeholder left outside them."""
    return OPEN + PLACEHOLDER.sub(lambda m: CLOSE + m[0] + OPEN, message) + CLOSE


class PseudoDomain(Domain):  # type: ignore[misc]
    def get_translations(self) -> PseudoTranslations:
        return PseudoTranslations()


def install(app: Flask) -> None:
    """Answer every request of `app` in the pseudo locale (Flask-Babel's domain hook)."""
    app.extensions["babel"].instance.domain_instance = PseudoDomain()


def outside_markers(text: str) -> str:
    """The text with every marked message (nested ones included) cut out."""
    out, depth = [], 0
    for ch in text:
        if ch == OPEN:
            depth += 1
            out.append(" ")
        elif ch == CLOSE:
            depth -= 1
            out.append(" ")
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def data_strings(value: Any) -> Iterator[str]:
    """Every string held in the plan data (also with a capital first letter, as a page may start a
    sentence with it), and its lines, paragraphs and list items."""
    if isinstance(value, str):
        for text in (value, value[:1].upper() + value[1:]):
            yield text
            yield text.removeprefix("YouTube search: ")
            yield from (line.strip().lstrip("-• ").strip() for line in text.splitlines())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from data_strings(getattr(value, field.name))
    elif isinstance(value, dict) or hasattr(value, "items"):
        for key, item in value.items():
            yield from data_strings(key)
            yield from data_strings(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from data_strings(item)


def leaks(texts: Iterable[str], data: list[str]) -> list[str]:
    """Runs of English words in `texts` that bypassed the catalogue and are not plan data."""
    pattern, single = _data(tuple(data))
    found = []
    for text in texts:
        rest = ADDRESS.sub(" ", pattern.sub("\n", outside_markers(text)))
        found += [run for run in RUN.findall(rest) if _leaking(run, single)]
    return found


def _leaking(run: str, single: frozenset[str]) -> bool:
    """A run of two letters or more, unless it is one word of plan data that tells nothing."""
    if sum(c.isalpha() for c in run) < 2:
        return False  # a grid's key letter "H"
    return run not in single or run.casefold() in TELLING


@lru_cache(maxsize=8)
def _data(data: tuple[str, ...]) -> tuple[re.Pattern[str], frozenset[str]]:
    """Plan data of two words or more, as a pattern of whole words, and the single words.

    A single data word ("page", "heavy", a slug) taken out of the text would eat the same word
    of our own sentences, so it excuses only a run that is that word alone.
    """
    pieces = [re.escape(piece) for piece in data if re.search(r"\w\W+\w", piece)]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(pieces or ["(?!)"]) + r")(?!\w)")
    return pattern, frozenset(piece for piece in data if not re.search(r"\w\W+\w", piece))


def longest_first(strings: Iterable[str]) -> list[str]:
    return sorted({s for s in strings if len(s) > 3}, key=len, reverse=True)


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        if tag in BLOCKS:
            self.text.append("\n")
        self.attributes += [v for k, v in attrs if v and k in READ_ATTRIBUTES]
        named = dict(attrs)
        if tag == "meta" and named.get("name") == "description" and named.get("content"):
            self.attributes.append(str(named["content"]))
        if tag == "a" and (named.get("href") or "").startswith("mailto:"):
            # The email a mailto link writes: its subject and body are words the runner reads.
            query = parse_qs(urlsplit(str(named["href"])).query)
            self.attributes += [v for key in ("subject", "body") for v in query.get(key, [])]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1
        if tag in BLOCKS:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def visible_html(page: str) -> list[str]:
    """The page's text (one string, block breaks as new lines) and its read attribute values."""
    parser = _Visible()
    parser.feed(page)
    return ["".join(parser.text), *parser.attributes]
