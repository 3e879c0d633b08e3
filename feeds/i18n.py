"""The wording layer's plumbing: every runner-facing string goes through gettext here.

English is the source catalogue. A translation is a `feeds/translations/<locale>/LC_MESSAGES/
messages.po` compiled to `.mo`, plus the locale chosen by `BABEL_DEFAULT_LOCALE`; no code
changes. Extract the catalogue with
`pybabel extract -F babel.cfg -o feeds/translations/messages.pot .` (it knows `_`, `gettext`,
`ngettext` and `N_`).
"""

from __future__ import annotations

from flask import Flask, has_app_context
from flask_babel import Babel
from flask_babel import gettext as _flask_gettext
from flask_babel import ngettext as _flask_ngettext


def init_app(app: Flask) -> None:
    """Gettext for Python and templates (`_()`, `{% trans %}`), English unless configured."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    Babel(app)


def gettext(message: str, **values: object) -> str:
    """The message in the current locale, with its named `%(placeholders)s` filled in.

    Outside an app (the pure core run on its own, scripts) it is the English source.
    """
    if not has_app_context():
        return message % values if values else message
    return str(_flask_gettext(message, **values))


def ngettext(singular: str, plural: str, num: int, **values: object) -> str:
    """The singular or plural message for `num`, which `%(num)s` can show."""
    if not has_app_context():
        return (singular if num == 1 else plural) % {"num": num, **values}
    return str(_flask_ngettext(singular, plural, num, **values))


def N_(message: str) -> str:
    """Mark a constant for the catalogue; it is translated where it is shown, with `_()`."""
    return message


_ = gettext
