"""Access logs that never record the secrets carried in feed and manage URLs."""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

# /s/<feed-token>.ics, /manage/<token>[/...], /api/subscriptions/<token>[/...]
SECRET_PATH = re.compile(r"(/s/|/manage/|/api/subscriptions/)[A-Za-z0-9_\-]{8,}")
REDACTED = r"\1[redacted]"


def redact(text: str) -> str:
    """Replace every token in a path, request line or referrer."""
    return SECRET_PATH.sub(REDACTED, text)


class RedactingLogger(Logger):  # type: ignore[misc]
    """Gunicorn's logger with tokens taken out of the request line, path and referrer."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        # Every atom: a custom log format may name any header or environ variable.
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}
