"""Shared fixtures: the app on the shipped plans, a client, and a pinned clock."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CodeType

import freezegun
import psycopg  # noqa: F401  (import before freezegun patches datetime: its C module checks)
import pytest
from alembic.runtime.migration import MigrationContext
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import MetaData, create_engine, make_url, text
from sqlalchemy.schema import CreateSchema, DropSchema
from werkzeug.routing import Rule

from feeds import create_app
from feeds.managed.migrate import head, upgrade
from feeds.managed.store import engine_for
from feeds.plans import DEFAULT_PLANS, DISTANCES, Library, load_library

TODAY = "2026-11-25"
# Pytest times tests with its own clock: a frozen clock must not reach it, or --durations
# reports 1.8e9 s per setup. The libraries below never read today for anything a test checks
# (the app reads it through feeds/clock.py; Babel, dateutil and the rate limiter, which may,
# are not listed, nor icalendar, whose dates tests compare by type with the frozen `date`):
# freezegun neither patches nor scans their modules, which about halves the cost of each freeze
# (11 ms -> 5-6 ms with the app loaded; a check run freezes about a thousand times), and the
# pool, driver and Hypothesis keep the real clock for their own timeouts.
freezegun.configure(
    extend_ignore_list=[
        "_pytest",
        "pluggy",
        "xdist",
        "execnet",
        "sqlalchemy",
        "alembic",
        "psycopg",
        "hypothesis",
        "jinja2",
        "markupsafe",
        "segno",
        "brotli",
        "zoneinfo",
        "tzdata",
    ]
)


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per test process, not once per app: the suite starts hundreds of
    apps, and compiling every page's templates again in each was a third of its time. A template
    is reused only for the same source and the same kind of environment."""

    def __init__(self) -> None:
        self.compiled: dict[str, tuple[str, CodeType | None]] = {}

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        key = f"{self.get_cache_key(name, filename)}|{_kind(environment)}"
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self.compiled.get(bucket.key, ("", None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = (bucket.checksum, bucket.code)


def _kind(environment: Environment) -> tuple[object, ...]:
    """What, besides the source, decides the code a template compiles to."""
    return (
        tuple(sorted(environment.extensions)),
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.is_async,
        getattr(environment, "newstyle_gettext", None),
    )


Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": CompiledTemplates()}


def _builders_compiled_once() -> None:
    """Werkzeug compiles two URL-builder functions for every route of every app (Python source
    built as a tree, then compiled): about two thirds of starting one of the suite's hundreds of
    apps. The function depends only on the rule's parsed parts and defaults, and is bound to
    each rule afterwards, so a test process compiles each rule's once. Without the private
    method (another Werkzeug) the suite runs as it is, only slower."""
    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is None:
        return
    compiled: dict[tuple[object, ...], Callable[..., tuple[str, str]]] = {}

    def once(rule: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        key = (tuple(rule._trace), repr(rule.defaults), append_unknown)
        if key not in compiled:
            compiled[key] = compile_builder(rule, append_unknown)
        return compiled[key]

    Rule._compile_builder = once  # type: ignore[method-assign, assignment]


_builders_compiled_once()
# What each marker needs on the machine; `make test` installs all of it. Locally a missing piece
# skips its tests with the reason; in CI (CI set) it fails them, so CI proves everything.
NEEDS = {
    "browser": ("Debian's chromium", lambda: Path("/usr/bin/chromium").exists()),
    "external": (
        "node with tests/js installed, and python3-gi with libical",
        lambda: (
            (Path(__file__).parent / "js" / "node_modules").is_dir()
            and Path("/usr/lib/python3/dist-packages/gi").is_dir()
        ),
    ),
    "postgres": ("TEST_POSTGRES_URL", lambda: bool(os.environ.get("TEST_POSTGRES_URL"))),
    # Builds the wheel (pip fetches the build backend) and installs it in a fresh venv.
    "install": ("pip and the package index", lambda: True),
}
MARKED_FILES = {
    "test_browser.py": "browser",
    "test_browser_managed.py": "browser",
    "test_browser_runplan.py": "browser",
    "test_icaljs.py": "external",
    "test_libical.py": "external",
    "test_wheel.py": "install",
}
# The browser tests' fixtures (a served app, one chromium) live in browser.py.
pytest_plugins = ["browser"]


def pytest_configure(config: pytest.Config) -> None:
    for name, (what, _) in NEEDS.items():
        config.addinivalue_line("markers", f"{name}: needs {what}")
    config.addinivalue_line(
        "markers",
        "sweep: an exhaustive sweep over every combination (about 30 s of CPU in all); `make test`"
        " runs them, `make check` leaves them to it",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark browser, external-parser and PostgreSQL tests; skip them locally when unavailable."""
    for item in items:
        marker = MARKED_FILES.get(item.path.name)
        if marker:
            item.add_marker(marker)
        if "[postgresql" in item.nodeid or "-postgresql" in item.nodeid:
            item.add_marker("postgres")
        for name, (what, present) in NEEDS.items():
            if item.get_closest_marker(name) and not os.environ.get("CI") and not present():
                item.add_marker(pytest.mark.skip(reason=f"needs {what} (make test installs it)"))


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library(DEFAULT_PLANS)


@pytest.fixture
def frozen_today() -> Iterator[None]:
    """Pin 'today' for everything that reads the clock."""
    with freeze_time(TODAY):
        yield


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to the newest schema, copied for each test: migrating a new
    file costs about 0.1 s, and hundreds of tests start an app."""
    path = tmp_path_factory.mktemp("template") / "feeds.sqlite3"
    engine = engine_for(f"sqlite:///{path}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return path


def sqlite_copy(template: Path, target: Path) -> str:
    """The URL of a copy of the migrated `template` at `target`."""
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def app(frozen_today: None, tmp_path: Path, migrated_sqlite: Path) -> Iterator[Flask]:
    yield from app_on(sqlite_copy(migrated_sqlite, tmp_path / "feeds.sqlite3"))


@pytest.fixture(scope="module")
def read_only_app(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: Path
) -> Iterator[Flask]:
    """One app for a whole module whose tests only read stateless feeds and pages (no store
    writes, no config changes): what such a test gets from an app another test used first (a
    kept feed, say) is what a new app answers, as from a server that has been running a while.
    Starting an app costs about 25 ms, and those modules started one per test."""
    with freeze_time(TODAY):
        path = tmp_path_factory.mktemp("read-only") / "feeds.sqlite3"
        yield from app_on(sqlite_copy(migrated_sqlite, path))


@pytest.fixture
def read_only_client(frozen_today: None, read_only_app: Flask) -> FlaskClient:
    """A client of the module's shared app, with its own cookies."""
    return read_only_app.test_client()


def app_on(database_url: str) -> Iterator[Flask]:
    """A test app on `database_url`, its connections closed afterwards."""
    app = create_app(
        {
            "TESTING": True,
            "PUBLIC_URL": "https://plans.example.org/",
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test",
        }
    )
    try:
        yield app
    finally:
        app.extensions["store"].close()


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


# Managed subscriptions run against both backends; PostgreSQL comes from `make test`.
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A schema of this test session's own on the test server, dropped at the end."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        yield None
        return
    schema = f"test_{os.getpid()}_{secrets.token_hex(4)}"
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(CreateSchema(schema))
        options = {"options": f"-csearch_path={schema}"}
        yield make_url(url).update_query_dict(options).render_as_string(hide_password=False)
        with engine.begin() as conn:
            conn.execute(DropSchema(schema, cascade=True))
    finally:
        engine.dispose()


def _backend_url(backend: str, tmp_path: Path, postgres_url: str | None) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'feeds.sqlite3'}"
    if postgres_url is None:
        pytest.fail(
            "TEST_POSTGRES_URL is not set, so the PostgreSQL half of the suite cannot run."
            " Run `make test`, which starts PostgreSQL on loopback and sets it."
        )
    return postgres_url


@pytest.fixture(params=BACKENDS)
def empty_database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> str:
    """A database of each backend without a single table, for the migration tests."""
    url = _backend_url(request.param, tmp_path, postgres_url)
    if request.param == "postgresql":
        _empty_schema(url)
    return url


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    postgres_url: str | None,
    migrated_sqlite: Path,
) -> str:
    """A database of each backend at the newest schema, holding no plans. SQLite copies one
    migrated file; PostgreSQL keeps the session's schema, migrated once, and empties its tables."""
    url = _backend_url(request.param, tmp_path, postgres_url)
    if request.param == "sqlite":
        return sqlite_copy(migrated_sqlite, tmp_path / "feeds.sqlite3")
    _no_plans(url)
    return url


def _no_plans(url: str) -> None:
    """Empty every table of a schema at the newest migration; anything else is rebuilt."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            tables = MetaData()
            tables.reflect(conn)
            if current is not None and current == head():
                names = ", ".join(f'"{t}"' for t in tables.tables if t != "alembic_version")
                conn.execute(text(f"TRUNCATE {names}"))
                return
            tables.drop_all(conn)
        upgrade(engine)
    finally:
        engine.dispose()


def _empty_schema(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            tables = MetaData()
            tables.reflect(conn)
            tables.drop_all(conn)
    finally:
        engine.dispose()


@pytest.fixture
def store_app(frozen_today: None, database_url: str, migrated_sqlite: Path) -> Iterator[Flask]:
    """The app on an empty store of each backend (a new SQLite file starts as the migrated
    copy; one a test has filled already is left as it is)."""
    path = Path(database_url.removeprefix("sqlite:///"))
    if database_url.startswith("sqlite:///") and not path.exists():
        sqlite_copy(migrated_sqlite, path)
    yield from app_on(database_url)


@pytest.fixture
def store_client(store_app: Flask) -> FlaskClient:
    return store_app.test_client()
