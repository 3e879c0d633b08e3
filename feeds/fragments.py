"""Template fragments rendered once and kept: `{% kept key, ... %}...{% endkept %}`.

A page asks again and again for parts that depend on few things (a program's 16 weeks at a
glance, the plan form for the same choices): the block is rendered the first time its keys are
seen in a locale and served from a per-app LRU after that. The keys must name everything the
block reads; the catalogue (the locale) and the mount point its links start with are added here.
A test app renders every kept block anew and fails if it differs from the one kept, so a key
that misses something shows up in the page tests.

A block whose first key is `dates.Anchored` is kept by what it says at any whole-week shift
(`kept_rows` keeps a plan's weeks so, one look-up each, without a block's call in a loop):
rendered once with its dates marked (`dates.marked`), and written for each page by how many days
its anchor lies from the one it was kept at, its week numbers for the plan's length. A week of
a plan then serves every plan with the same choices that has it as many weeks from the race,
where its own dates and number would make it new for each race date.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Mapping, Set
from datetime import date
from functools import lru_cache, partial
from typing import Any, cast

from flask import Flask
from flask.globals import _cv_request
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup, escape

from .dates import Anchored, Dating, Template, day_words, filled, marked, marking, pieces, template
from .i18n import catalogue, current_locale

# Fragments kept per app: a few per distance and locale, the forms of recent choices, and each
# kind of week as many weeks from the race (a grid row and a list item, for every race date), and
# the weeks of running plans the runner changed: a kilobyte or two each, a few megabytes in all.
KEPT = 2048


class StaleFragment(RuntimeError):
    """A kept fragment differs from a fresh rendering: its keys miss something it reads."""


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension(KeptFragments)
    kept = app.jinja_env.extensions[KeptFragments.identifier]
    kept.app = app  # type: ignore[attr-defined]
    app.jinja_env.globals["kept_rows"] = kept.rows  # type: ignore[attr-defined]


# A dated fragment as kept: the anchor it was kept at and its HTML as a template to fill in
# (`dates.Anchored`, `dates.Template`).
Dated = tuple[Anchored, Template]
# A fragment as kept: its HTML, or a dated one.
Kept = Markup | Dated


class FragmentStore:
    """At most `size` fragments, the oldest dropped first. A look-up is one dict read (it runs
    dozens of times a page); only keeping one takes the lock."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: dict[Hashable, Kept] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Kept | None:
        return self._items.get(key)

    def put(self, key: Hashable, value: Kept) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                del self._items[next(iter(self._items))]

    def __len__(self) -> int:
        return len(self._items)


class KeptFragments(Extension):
    """The `{% kept %}` tag: its body rendered once per place, keys, locale and mount point."""

    tags = {"kept"}  # noqa: RUF012 (Jinja's own attribute, a set)

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self.kept = FragmentStore(KEPT)
        self.app: Flask | None = None  # the app whose test mode checks every kept fragment

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        keys: list[nodes.Expr] = []
        while parser.stream.current.type != "block_end":
            if keys:
                parser.stream.expect("comma")
            keys.append(parser.parse_expression())
        place = nodes.Const(f"{parser.name}:{lineno}")
        body = parser.parse_statements(("name:endkept",), drop_needle=True)
        call = self.call_method("_fragment", [place, nodes.List(keys)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, place: str, keys: list[Any], caller: Callable[[], str]) -> Markup:
        return self._kept(place, keys, _mount(), caller)

    def rows(
        self, place: str, macro: Callable[..., str], rows: Iterable[Any], today: date, *args: Any
    ) -> Markup:
        """`macro(row, *args)` for each of a plan's weeks as the page shows them
        (`preview.WeekShown`), each kept as a dated block is (`dates.Anchored`) by its week and
        where `today` falls in it, and by `args`. One call a list: as a `{% kept %}` block in a
        loop, each week's look-up cost a block's call and context in the template."""
        mount = _mount()
        said = (
            self._kept(
                place,
                [row.anchored(today if row.current else None), *args],
                mount,
                partial(macro, row, *args),
            )
            for row in rows
        )
        # Each is HTML already: joined as text, not escaped again one by one.
        return Markup("".join(said))

    def _kept(self, place: str, keys: list[Any], mount: str, caller: Callable[[], str]) -> Markup:
        if marking():  # inside a dated block, which keeps it with its own marks
            return Markup(caller())
        if keys and type(keys[0]) is Anchored:
            return Markup(self._dated(place, keys, mount, caller))
        key = (place, frozen(keys), catalogue(), mount)
        found = cast(Markup | None, self.kept.get(key))
        if found is None:
            found = Markup(caller())
            self.kept.put(key, found)
        else:
            self._check(place, keys, found, caller)
        return found

    def _dated(self, place: str, keys: list[Any], mount: str, caller: Callable[[], str]) -> str:
        """A block kept by what it says at any whole-week shift (`dates.Anchored`), its dates
        and week numbers written for this one (escaped, as the block writes them)."""
        anchored: Anchored = keys[0]
        key = (place, anchored.key, frozen(keys[1:]), catalogue(), mount)
        found = self.kept.get(key)
        if found is None:
            with marked():
                said = caller()
            found = (anchored, template(*pieces(said)))
            self.kept.put(key, found)
        kept_at, form = cast(Dated, found)
        days = (anchored.anchor - kept_at.anchor).days
        written = filled(form, Dating(days, anchored.weeks, current_locale()), _html_day)
        self._check(place, keys, written, caller)
        return written

    def _check(self, place: str, keys: list[Any], kept: str, caller: Callable[[], str]) -> None:
        """In a test app, a kept fragment as served must read as its block drawn afresh: a key
        that misses something fails the page tests."""
        if self.app is not None and self.app.testing and kept != caller():
            raise StaleFragment(f"{place}: the kept fragment differs for keys {keys!r}")


@lru_cache(maxsize=4096)
def _html_day(ordinal: int, kind: str, locale: str) -> str:
    """A marked date's words as a page writes them (escaped: a template's dates are)."""
    return str(escape(day_words(ordinal, kind, locale)))


def _mount() -> str:
    """Where the app is mounted: the request's context variable, not the `request` proxy
    (dozens of look-ups a page)."""
    context = _cv_request.get(None)
    return "" if context is None else context.request.script_root


def frozen(value: Any) -> Hashable:
    """A key from what a template passes: lists and dicts become tuples, sets frozensets.

    What hashes already (strings, flags, dates, frozen dataclasses such as a week) is its own
    key: most keys are, and an abstract-class check costs as much as the look-up itself.
    """
    if type(value).__hash__ is not None and not isinstance(value, tuple):
        return value  # type: ignore[no-any-return]
    if isinstance(value, (list, tuple)):
        return tuple(map(frozen, value))
    if isinstance(value, Mapping):
        return tuple((k, frozen(v)) for k, v in sorted(value.items()))
    if isinstance(value, Set):
        return frozenset(value)
    return value  # type: ignore[no-any-return]
