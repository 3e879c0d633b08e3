"""Template fragments rendered once and kept: `{% kept key, ... %}...{% endkept %}`.

A page asks again and again for parts that depend on few things (a program's 16 weeks at a
glance, the plan form for the same choices): the block is rendered the first time its keys are
seen in a locale and served from a per-app LRU after that. The keys must name everything the
block reads; the catalogue (the locale) and the mount point its links start with are added here.
A test app renders every kept block anew and fails if it differs from the one kept, so a key
that misses something shows up in the page tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping, Set
from typing import Any

from flask import Flask
from flask.globals import _cv_request
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

from .i18n import catalogue

# Fragments kept per app: a few per distance and locale, the forms of recent choices, and the
# weeks of recent race weeks: a kilobyte or two each, a few megabytes in all.
KEPT = 2048


class StaleFragment(RuntimeError):
    """A kept fragment differs from a fresh rendering: its keys miss something it reads."""


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension(KeptFragments)
    app.jinja_env.extensions[KeptFragments.identifier].app = app  # type: ignore[attr-defined]


class FragmentStore:
    """At most `size` fragments, the oldest dropped first. A look-up is one dict read (it runs
    dozens of times a page); only keeping one takes the lock."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: dict[Hashable, Markup] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Markup | None:
        return self._items.get(key)

    def put(self, key: Hashable, value: Markup) -> None:
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
        # Dozens of look-ups a page: the request's context variable, not the `request` proxy.
        context = _cv_request.get(None)
        mount = "" if context is None else context.request.script_root
        key = (place, frozen(keys), catalogue(), mount)
        found = self.kept.get(key)
        if found is None:
            found = Markup(caller())
            self.kept.put(key, found)
        elif self.app is not None and self.app.testing and found != caller():
            raise StaleFragment(f"{place}: the kept fragment differs for keys {keys!r}")
        return found


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
