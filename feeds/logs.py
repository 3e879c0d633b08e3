"""Logs that never record the secrets carried in feed and manage URLs.

Every path that can write a URL goes through `redact`: gunicorn's access and error logs
(`RedactingLogger`), and Flask's and Werkzeug's loggers (`register`), including tracebacks.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask
from gunicorn.glogging import Logger  # type: ignore[import-untyped]

# A slash, also percent-encoded; clients may double it (`/manage//<token>`).
_SLASH = r"(?:/|%2f)"
# /s/<feed-token>.ics, /manage/<token>[/...], /api/subscriptions/<token>[/...]
SECRET_PATH = re.compile(
    rf"((?:^|{_SLASH})(?:s|manage|api{_SLASH}+subscriptions){_SLASH}+)[A-Za-z0-9_\-%]+",
    re.IGNORECASE,
)
REDACTED = r"\1[redacted]"


def redact(text: str) -> str:
    """Replace every token in a path, request line, referrer or traceback."""
    return SECRET_PATH.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Redact a record's final message and traceback before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def guard(logger: logging.Logger) -> None:
    """Attach the redacting filter to `logger` once."""
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())


def register(app: Flask) -> None:
    # Flask's "Exception on <path>" and the development server's request lines.
    guard(app.logger)
    guard(logging.getLogger("werkzeug"))


class RedactingLogger(Logger):  # type: ignore[misc]
    """Gunicorn's logger with tokens taken out of access lines and error messages."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        # "Error handling request <uri>", invalid request lines, and the access line itself: the
        # filter redacts each finished line, whatever atoms a custom log format names (redacting
        # every atom instead, all headers and environ values, cost more than the request).
        guard(self.error_log)
        guard(self.access_log)
