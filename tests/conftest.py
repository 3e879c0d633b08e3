"""Shared fixtures: the app on the shipped plans, a client, and a pinned clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time

from feeds import create_app
from feeds.plans import DEFAULT_PLANS, DISTANCES, Library, load_library

TODAY = "2026-11-25"


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library(DEFAULT_PLANS)


@pytest.fixture
def frozen_today() -> Iterator[None]:
    """Pin 'today' for everything that reads the clock."""
    with freeze_time(TODAY):
        yield


@pytest.fixture
def app(frozen_today: None) -> Flask:
    return create_app({"TESTING": True, "PUBLIC_URL": "https://plans.example.org/"})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(params=DISTANCES)
def distance(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def plans_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped plan files."""
    target = tmp_path / "plans"
    target.mkdir()
    for f in DEFAULT_PLANS.glob("*.toml"):
        (target / f.name).write_bytes(f.read_bytes())
    return target
