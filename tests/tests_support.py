"""Helpers shared by the hardening, log and fuzz tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import HTTPServer
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from feeds import create_app

HOST = "https://plans.example.org"


def local(url: str) -> str:
    """The path of one of the service's absolute URLs."""
    return url.removeprefix(HOST)


def create_plan(client: FlaskClient, **fields: Any) -> dict[str, Any]:
    """Create a managed 10k plan through the API; its answer."""
    response = client.post("/api/subscriptions", json={"distance": "10k", "race": "2027-04-18"})
    assert response.status_code == 201, response.json
    return dict(response.json or {})


def with_store(tmp_path: Path, **config: Any) -> Flask:
    """A test app on a fresh SQLite file, with `config` on top (close its store afterwards)."""
    return create_app(
        {
            "TESTING": True,
            "PUBLIC_URL": HOST + "/",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'feeds.sqlite3'}",
            "SECRET_KEY": "test",
            **config,
        }
    )


@contextmanager
def serving(httpd: HTTPServer) -> Iterator[str]:
    """Serve `httpd` from a thread; yields its base URL, http://127.0.0.1:<port>."""
    # A short poll, so shutting the server down waits 50 ms at most, not half a second.
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
