"""The open-loop load generator (bench/loadgen.py) against a real server on loopback."""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import loadgen

# The server reads the real clock; a race this far ahead is valid on every day.
RACE = (date.today() + timedelta(weeks=20)).isoformat()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Our app behind werkzeug's threaded server on a free loopback port, and a tokens file."""
    from feeds import create_app

    app: Flask = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'feeds.sqlite3'}", "SECRET_KEY": "load"}
    )
    client = app.test_client()
    tokens = []
    for distance in ("5k", "marathon"):
        created = client.post("/api/subscriptions", json={"distance": distance, "race": RACE})
        url = str(created.get_json()["feed_url"])
        tokens.append(url.rsplit("/s/", 1)[1].removesuffix(".ics"))
    (tmp_path / "tokens.txt").write_text("\n".join(tokens) + "\n")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", tmp_path / "tokens.txt"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["store"].close()


def test_a_second_of_feeds_on_schedule(served: tuple[str, Path]) -> None:
    url, tokens = served
    lines: list[str] = []
    argv = ["--url", url, "--rate", "40", "--seconds", "1", "--tokens", str(tokens)]
    assert loadgen.main(argv, out=lines.append) == 0
    text = "\n".join(lines)
    assert "40 started, 40 answered" in text
    statuses = next(line for line in lines if line.startswith("statuses:"))
    assert "200 x" in statuses and "304 x" in statuses  # conditional GETs with seen ETags
    assert statuses.count(" x") == 2, statuses  # no errors, no other status
    assert "p50" in text and "p99" in text and "max" in text


@pytest.mark.parametrize("url", ["http://192.0.2.10:8000", "https://127.0.0.1:8000", "ftp://x"])
def test_only_plain_http_on_loopback_is_accepted(url: str) -> None:
    lines: list[str] = []
    assert loadgen.main(["--url", url, "--seconds", "1"], out=lines.append) == 2
    assert lines[0].startswith("loadgen:")


def test_rate_and_duration_are_bounded() -> None:
    lines: list[str] = []
    assert loadgen.main(["--rate", "1000000"], out=lines.append) == 2
    assert "--rate must be" in lines[0]


def test_a_refused_connection_is_counted_not_fatal() -> None:
    with socket.socket() as probe:  # a loopback port nothing listens on once this closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    lines: list[str] = []
    argv = ["--url", f"http://127.0.0.1:{port}", "--rate", "5", "--seconds", "1"]
    assert loadgen.main(argv, out=lines.append) == 0
    assert "5 started, 0 answered" in lines[1]
    assert lines[3] == "statuses: ECONNREFUSED x5"
