"""Access logs keep feed and manage tokens out."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config

from feeds.logs import RedactingLogger, redact

TOKEN = "Qm9vX2ZlZWRfdG9rZW5fdGhhdF9pc19sb25n"


def test_redact_takes_tokens_out_of_every_secret_path() -> None:
    assert redact(f"GET /s/{TOKEN}.ics HTTP/1.1") == "GET /s/[redacted].ics HTTP/1.1"
    assert redact(f"/manage/{TOKEN}/rotate") == "/manage/[redacted]/rotate"
    assert redact(f"https://x.org/api/subscriptions/{TOKEN}") == (
        "https://x.org/api/subscriptions/[redacted]"
    )
    assert redact("/feeds/10k.ics?race=2027-04-18") == "/feeds/10k.ics?race=2027-04-18"


def test_gunicorn_access_line_has_no_token() -> None:
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/manage/{TOKEN}",
        "PATH_INFO": f"/manage/{TOKEN}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://plans.example.org/manage/{TOKEN}",
    }
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    req = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(resp, req, environ, timedelta(milliseconds=3))
    line = logger.cfg.access_log_format % atoms
    assert TOKEN not in line
    assert "/manage/[redacted]" in line
    assert all(TOKEN not in str(v) for v in atoms.values() if not isinstance(v, dict))
