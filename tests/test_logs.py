"""Access logs keep feed and manage tokens out."""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask, request
from gunicorn.config import Config
from sqlalchemy import create_engine
from tests_support import create_plan, local

from feeds.logs import RedactingLogger, redact
from feeds.managed import service as managed
from feeds.managed.store import Store

TOKEN = "Qm9vX2ZlZWRfdG9rZW5fdGhhdF9pc19sb25n"


def test_redact_takes_tokens_out_of_every_secret_path() -> None:
    assert redact(f"GET /s/{TOKEN}.ics HTTP/1.1") == "GET /s/[redacted].ics HTTP/1.1"
    assert redact(f"/manage/{TOKEN}/rotate") == "/manage/[redacted]/rotate"
    assert redact(f"https://x.org/api/subscriptions/{TOKEN}") == (
        "https://x.org/api/subscriptions/[redacted]"
    )
    assert redact("/feeds/10k.ics?race=2027-04-18") == "/feeds/10k.ics?race=2027-04-18"


@pytest.mark.parametrize(
    "log_format",
    [
        None,  # gunicorn's own format: the request line and the referrer
        '%(U)s %(q)s "%({referer}i)s" %({PATH_INFO}e)s %({RAW_URI}e)s',  # any atom a format names
    ],
)
def test_gunicorn_access_line_has_no_token(tmp_path: Path, log_format: str | None) -> None:
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    if log_format:
        config.set("access_log_format", log_format)
    logger = RedactingLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/manage/{TOKEN}",
        "PATH_INFO": f"/manage/{TOKEN}",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://plans.example.org/manage/{TOKEN}",
    }
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[], response_length=10)
    req = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    try:
        logger.access(resp, req, environ, timedelta(milliseconds=3))
    finally:
        for handler in logger.access_log.handlers + logger.error_log.handlers:
            handler.close()
    line = (tmp_path / "access.log").read_text()
    assert TOKEN not in line
    assert line.count("/manage/[redacted]") >= 2, line


# Every log path, forced: Flask's error log, the outage warning, gunicorn's error log -------


@pytest.fixture
def plan(app: Flask) -> dict[str, Any]:
    return create_plan(app.test_client())


def requests_of(plan: dict[str, Any]) -> list[tuple[str, str]]:
    """The secret paths of one stored plan, as clients (and mistyping people) ask for them."""
    feed, manage, api = (local(plan[k]) for k in ("feed_url", "manage_url", "api_url"))
    doubled = manage.replace("/manage/", "/manage//")
    return [("GET", feed), ("GET", manage), ("GET", api), ("GET", doubled), ("PATCH", api)]


def send_all(app: Flask, plan: dict[str, Any]) -> list[int]:
    client = app.test_client()
    return [
        client.open(path, method=method, json={}, follow_redirects=True).status_code
        for method, path in requests_of(plan)
    ]


def tokens_of(plan: dict[str, Any]) -> list[str]:
    return [plan["feed_url"].split("/")[-1].removesuffix(".ics"), plan["api_url"].split("/")[-1]]


def test_unexpected_errors_log_no_token(
    app: Flask, plan: dict[str, Any], caplog: pytest.LogCaptureFixture, monkeypatch: Any
) -> None:
    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError(f"crashed on {request.path}")

    monkeypatch.setattr(managed, "find", crash)
    monkeypatch.setattr(managed, "edit", crash)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert set(send_all(app, plan)) == {500}
    assert caplog.text.count("Exception on /") == len(requests_of(plan))
    assert "crashed on /s/[redacted].ics" in caplog.text
    for token in tokens_of(plan):
        assert token not in caplog.text


def test_a_database_outage_logs_no_token(
    app: Flask, plan: dict[str, Any], caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    app.extensions["store"].close()
    app.extensions["store"] = Store(create_engine(f"sqlite:///{tmp_path}/gone/x.sqlite3"))
    assert set(send_all(app, plan)) == {503}
    assert caplog.text.count("Database unavailable on /") == len(requests_of(plan))
    for token in tokens_of(plan):
        assert token not in caplog.text


def test_gunicorn_error_log_has_no_token() -> None:
    logger = RedactingLogger(Config())
    captured = io.StringIO()
    logger.error_log.addHandler(logging.StreamHandler(captured))
    for uri in (f"/s/{TOKEN}.ics", f"/manage//{TOKEN}", f"/api/subscriptions/{TOKEN}/rotate"):
        try:
            raise OSError(f"reading {uri}")
        except OSError:
            logger.exception("Error handling request %s", uri)
    logger.error("Invalid request from ip=1.2.3.4: %s", f"GET /manage/{TOKEN} HTTP/9")
    text = captured.getvalue()
    assert text.count("Error handling request /") == 3
    assert "reading /s/[redacted].ics" in text
    assert TOKEN not in text


@pytest.mark.parametrize(
    "path",
    [f"/manage//{TOKEN}", f"/MANAGE/{TOKEN}", f"/s%2F{TOKEN}.ics", f"/api/subscriptions//{TOKEN}"],
)
def test_odd_spellings_of_secret_paths_are_redacted(path: str) -> None:
    assert TOKEN not in redact(f"GET {path} HTTP/1.1")
