"""The wording layer's plumbing: every runner-facing string goes through gettext here.

English is the source catalogue. A translation is a `feeds/translations/<locale>/LC_MESSAGES/
messages.po` compiled to `.mo`, plus the locale chosen by `BABEL_DEFAULT_LOCALE`; no code
changes. Extract the catalogue with
`pybabel extract -F babel.cfg -o feeds/translations/messages.pot .` (it knows `_`, `gettext`,
`ngettext` and `N_`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from flask import Flask
from flask.globals import _cv_app
from flask_babel import Babel, get_domain, get_locale


def init_app(app: Flask) -> None:
    """Gettext for Python and templates (`_()`, `{% trans %}`), English unless configured."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    Babel(app)
    # Flask-Babel's template callables look the catalogue up anew for every word; a page has
    # hundreds. These read the one kept for the app context (Jinja fills in the values).
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_unformatted,
        ngettext=_unformatted_plural,
        newstyle=True,
    )


def gettext(message: str, **values: object) -> str:
    """The message in the current locale, with its named `%(placeholders)s` filled in.

    Outside an app (the pure core run on its own, scripts) it is the English source.
    """
    text = _unformatted(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, num: int, **values: object) -> str:
    """The singular or plural message for `num`, which `%(num)s` can show."""
    return _unformatted_plural(singular, plural, num) % {"num": num, **values}


def _unformatted(message: str) -> str:
    """The message in the current locale, placeholders left for the caller (or Jinja)."""
    kept = _kept()
    if kept is None:
        return message
    words = kept.get("i18n_words")
    if words is None:
        words = kept["i18n_words"] = _words_of(_translations())
    found = words.get(message)
    if found is None:
        found = words[message] = str(_translations().gettext(message))
    return found


def _words_of(catalogue: Any) -> dict[str, str]:
    """The messages looked up so far in `catalogue` (a feed asks for the same few dozen: each
    lookup in a gettext catalogue is several calls through its fallbacks). Catalogues are few
    and live as long as the app; each is held here with its messages, so no id is reused."""
    found = _WORDS.get(id(catalogue))
    if found is None or found[0] is not catalogue:
        if len(_WORDS) >= CATALOGUES_KEPT:
            _WORDS.clear()
        found = _WORDS[id(catalogue)] = (catalogue, {})
    return found[1]


CATALOGUES_KEPT = 64
_WORDS: dict[int, tuple[Any, dict[str, str]]] = {}


def _unformatted_plural(singular: str, plural: str, num: int) -> str:
    """The singular or plural message for `num`, placeholders left for the caller (or Jinja)."""
    catalogue = _translations()
    if catalogue is None:
        return singular if num == 1 else plural
    return str(catalogue.ngettext(singular, plural, num))


def catalogue() -> object:
    """The catalogue text is translated with here (None outside an app): text built once may be
    kept for the same catalogue."""
    return _translations()


def _kept() -> dict[str, Any] | None:
    """What this app context keeps (its `g`), or None outside an app.

    A feed asks for hundreds of words: one context-variable read each, where `g` and
    `has_app_context` are proxies that read it again on every use.
    """
    context = _cv_app.get(None)
    return None if context is None else context.g.__dict__


def _translations() -> Any:
    """The catalogue of this app context, looked up once, or None outside an app."""
    kept = _kept()
    if kept is None:
        return None
    found = kept.get("i18n_translations")
    if found is None:
        found = kept["i18n_translations"] = get_domain().get_translations()
    return found


def current_locale() -> str:
    """The locale dates are written in: the request's (Flask-Babel's), English outside an app."""
    kept = _kept()
    if kept is None:
        return "en"
    found = kept.get("i18n_locale")
    if found is None:
        found = kept["i18n_locale"] = str(get_locale() or "en")
    return str(found)


def N_(message: str) -> str:
    """Mark a constant for the catalogue; it is translated where it is shown, with `_()`."""
    return message


_ = gettext


class Catalogued(Mapping[str, str]):
    """Names marked with `N_`, each translated when it is read: `NAMES[key]` is the runner's word
    in the current locale, so a name chosen at import time still follows the request."""

    def __init__(self, source: Mapping[str, str]) -> None:
        self._source = dict(source)

    def __getitem__(self, key: str) -> str:
        return gettext(self._source[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)
