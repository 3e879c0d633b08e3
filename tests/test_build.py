"""A read by the build that stored a plan takes its states as stored; any other build checks
every event again, so new wording still raises SEQUENCE where it changed an event."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from icscheck import parse_both
from tests_support import local

from feeds import state
from feeds.cli import PARTS, id_range, restamp
from feeds.managed import build, service
from feeds.managed.locks import claimed
from feeds.managed.store import Subscription
from feeds.plans import DEFAULT_PLANS, load_library

ROUTINE = "hip-abductor-strength"
FIELDS: list[dict[str, Any]] = [
    {"distance": "10k", "race": "2027-04-18"},
    {"distance": "marathon", "race": "2027-05-02", "time": "07:00", "tz": "Europe/Berlin"},
    {"distance": "ultra", "race": "2027-09-12", "alarm": 30, "time": "18:30", "tz": "UTC"},
    {"distance": "half-marathon", "race": "2027-03-21", "unlock_weekly": True},
    {"distance": "5k", "race": "2027-02-28", "equipment": "none", "level": "new"},
]


def sequences(body: bytes) -> dict[str, int]:
    return {str(e["UID"]): int(e["SEQUENCE"]) for e in parse_both(body).events}


def stored(app: Flask, feed_url: str) -> Subscription:
    token = local(feed_url).removeprefix("/s/").removesuffix(".ics")
    with app.app_context():
        return service.find(state.store(), "feed", token)


def render(app: Flask, subscription: Subscription) -> bytes:
    with app.test_request_context():
        return service.feed(
            state.store(),
            state.library(),
            "",
            "https://plans.example.org/",
            date(2026, 12, 1),
            found=subscription,
        ).body


def fingerprinting(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Count the times a plan's events are fingerprinted from now on."""
    calls: list[object] = []
    real = service._fingerprints
    monkeypatch.setattr(service, "_fingerprints", lambda *a: calls.append(a) or real(*a))
    return calls


def test_a_plan_stores_the_build_that_took_its_fingerprints(store_app: Flask) -> None:
    client = store_app.test_client()
    plan = client.post("/api/subscriptions", json=FIELDS[0]).json or {}
    with store_app.app_context():
        expected = build.build_id(state.library(), "en")
    assert expected != 0
    assert stored(store_app, plan["feed_url"]).state.build == expected


def test_states_taken_as_stored_give_the_bytes_of_a_full_check(store_app: Flask) -> None:
    client = store_app.test_client()
    rng = random.Random(7)
    for fields in FIELDS:
        plan = client.post("/api/subscriptions", json=fields).json or {}
        for _ in range(rng.randint(0, 2)):  # edits raise some sequences
            race = date.fromisoformat(fields["race"]) + timedelta(days=rng.randint(-9, 9))
            change = {"race": race.isoformat(), "days": rng.choice([["tue", "thu"], None])}
            edited = client.patch(local(plan["api_url"]), json=change)
            assert edited.status_code == 200, edited.json
        found = stored(store_app, plan["feed_url"])
        unknown = replace(found, state=replace(found.state, build=0))
        assert render(store_app, found) == render(store_app, unknown)


def test_a_read_by_the_same_build_does_not_fingerprint_again(
    store_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = store_app.test_client()
    plan = client.post("/api/subscriptions", json=FIELDS[1]).json or {}
    calls = fingerprinting(monkeypatch)
    assert client.get(local(plan["feed_url"])).status_code == 200
    assert calls == []


def test_new_wording_in_a_new_build_raises_the_sequence_of_the_events_it_changed(
    store_app: Flask, release: Callable[[], Flask]
) -> None:
    client = store_app.test_client()
    plan = client.post("/api/subscriptions", json=FIELDS[0]).json or {}
    before = sequences(client.get(local(plan["feed_url"])).data)
    body = release().test_client().get(local(plan["feed_url"])).data
    after = sequences(body)
    changed = {uid for uid in before if after[uid] != before[uid]}
    assert b"Keep the band taut." in body.replace(b"\r\n ", b"")
    assert changed and len(changed) < len(before)
    assert all(after[uid] == before[uid] + 1 for uid in changed)


def test_a_library_built_in_memory_is_always_checked_in_full() -> None:
    library = load_library(DEFAULT_PLANS)
    assert build.build_id(library, "en") != 0
    assert build.build_id(replace(library, digest=None), "en") == 0
    assert build.build_id(library, "en") != build.build_id(library, "de")


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the installed `feeds` package, to change as a release would."""
    copy = tmp_path / "feeds"
    shutil.copytree(Path(str(resources.files("feeds"))), copy)
    return copy


def edited(package: Path, name: str, addition: str = "\n# a release's change\n") -> str:
    """The package's build digest after appending `addition` to its file `name`."""
    path = package / name
    path.write_bytes(path.read_bytes() + addition.encode())
    return build.digest_of(package)


def test_a_release_that_changes_only_the_pages_keeps_the_build(package: Path) -> None:
    """Pages, views, forms, the API, templates and the command line shape no stored event:
    changing them keeps every stored plan read as stored (no restamp after such a release)."""
    before = build.digest_of(package)
    assert before == build.code_digest()
    for name in ("pages.py", "views.py", "form.py", "managed/api.py", "cli.py", "frontcache.py"):
        assert edited(package, name) == before, name
    assert edited(package, "templates/plan.html", "<!-- a release's change -->") == before


@pytest.mark.parametrize(
    "name",
    [
        "schedule.py",  # where sessions go
        "wording.py",  # what events say
        "ics.py",  # how the calendar is written
        "runplan/reading.py",  # how a running plan's days are read
        "managed/service.py",  # what a stored plan's events are built from
        "managed/revisions.py",  # how they are fingerprinted
        "__init__.py",  # the app's start-up (its locales, its catalogues)
    ],
)
def test_a_release_that_changes_what_events_say_is_a_new_build(package: Path, name: str) -> None:
    before = build.digest_of(package)
    assert edited(package, name) != before


def test_a_new_or_changed_catalogue_is_a_new_build(package: Path) -> None:
    before = build.digest_of(package)
    catalogue = package / "translations" / "de" / "LC_MESSAGES" / "messages.mo"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_bytes(b"a compiled catalogue")
    added = build.digest_of(package)
    assert added != before
    assert edited(package, "translations/de/LC_MESSAGES/messages.mo") != added


def test_a_module_imported_inside_a_function_shapes_events_too(package: Path) -> None:
    before = build.digest_of(package)
    assert edited(package, "qr.py") == before
    imports_later = "\n\ndef _later() -> None:\n    from . import qr  # noqa\n"
    changed = edited(package, "wording.py", imports_later)
    assert changed != before
    assert edited(package, "qr.py") != changed


def test_a_package_imported_for_its_own_code_is_followed(package: Path) -> None:
    """`feeds/__init__.py` runs before any of its modules and is hashed, but what it wires up
    (pages and all) shapes events only if a shaping module uses the package's own code."""
    before = build.digest_of(package)
    assert edited(package, "pages.py") == before
    uses_the_app = "\n\ndef _app() -> None:\n    from . import create_app  # noqa\n"
    changed = edited(package, "wording.py", uses_the_app)
    assert edited(package, "pages.py") != changed


def released(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `app` the next release: new code that words one routine differently."""
    monkeypatch.setattr(build, "code_digest", lambda: "the next release")
    build._build.cache_clear()
    library = app.extensions["library"]
    routine = library.routines[ROUTINE]
    reworded = replace(routine, summary=routine.summary + " Keep the band taut.")
    routines = {**library.routines, ROUTINE: reworded}
    app.extensions["library"] = replace(library, routines=routines)


@pytest.fixture
def release(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], Flask]]:
    """Starts the next release on the same database (its own caches, as after a restart)."""
    from conftest import app_on

    running: list[Iterator[Flask]] = []

    def start() -> Flask:
        running.append(app_on(database_url))
        app = next(running[-1])
        released(app, monkeypatch)
        return app

    try:
        yield start
    finally:
        for started in running:
            started.close()
        monkeypatch.undo()
        build._build.cache_clear()


def test_restamp_stores_what_reads_show_so_later_reads_skip_the_check(
    store_app: Flask, release: Callable[[], Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = store_app.test_client()
    plans = [client.post("/api/subscriptions", json=f).json or {} for f in FIELDS]
    new = release()
    before = {p["feed_url"]: new.test_client().get(local(p["feed_url"])).data for p in plans}
    for _time in ("counted", "still only counted"):
        counted = new.test_cli_runner().invoke(restamp, ["--check", "--batch", "2"])
        assert counted.exit_code == 0, counted.output
        assert counted.output.startswith(f"{len(plans)} plans read, {len(plans)} stored by another")
    result = new.test_cli_runner().invoke(restamp, ["--batch", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{len(plans)} plans read, {len(plans)} stored for this")
    again = new.test_cli_runner().invoke(restamp)
    assert again.output.startswith(f"{len(plans)} plans read, 0 stored")
    counted = new.test_cli_runner().invoke(restamp, ["--check"])
    assert counted.output.startswith(f"{len(plans)} plans read, 0 stored by another build")
    restarted = release()
    calls = fingerprinting(monkeypatch)
    reader = restarted.test_client()
    after = {p["feed_url"]: reader.get(local(p["feed_url"])).data for p in plans}
    assert after == before
    assert calls == []


def test_restamp_leaves_a_plan_written_since_it_was_read(
    store_app: Flask, release: Callable[[], Flask]
) -> None:
    client = store_app.test_client()
    plan = client.post("/api/subscriptions", json=FIELDS[0]).json or {}
    new = release()
    found = stored(new, plan["feed_url"])
    assert client.patch(local(plan["api_url"]), json={"alarm": 15}).status_code == 200
    with new.app_context():
        assert service.restamp(state.store(), state.library(), [found]) == 0
    assert stored(new, plan["feed_url"]).revision == found.revision + 1


def test_restamp_in_parts_covers_every_plan_once(
    store_app: Flask, release: Callable[[], Flask]
) -> None:
    client = store_app.test_client()
    for fields in FIELDS * 2:
        created = client.post("/api/subscriptions", json=fields)
        assert created.status_code == 201
    runner = release().test_cli_runner()
    outputs = [runner.invoke(restamp, ["--part", f"{k}/3"]).output for k in (1, 2, 3)]
    read = [int(o.split(" plans read")[0]) for o in outputs]
    stored = [int(o.split(", ")[1].split(" stored")[0]) for o in outputs]
    assert sum(read) == sum(stored) == len(FIELDS) * 2
    assert runner.invoke(restamp).output.startswith(f"{len(FIELDS) * 2} plans read, 0 stored")
    refused = runner.invoke(restamp, ["--part", "4/3"])
    assert refused.exit_code == 2 and "K/N" in refused.output


def part_of(plan_id: str) -> int:
    """The part of the plan ids (0 to PARTS - 1) a shared restamp reads this plan in."""
    ranges = (id_range(f"{k + 1}/{PARTS}") for k in range(PARTS))
    return next(k for k, (after, stop) in enumerate(ranges) if after < plan_id < (stop or "g"))


def test_restamps_started_by_several_servers_share_the_work(
    store_app: Flask, release: Callable[[], Flask]
) -> None:
    """Every server starts one (gunicorn.conf.py): on PostgreSQL each does the parts no other has
    taken; on SQLite (one machine) the first does them all."""
    client = store_app.test_client()
    feeds = [(client.post("/api/subscriptions", json=f).json or {})["feed_url"] for f in FIELDS]
    new = release()
    runner = new.test_cli_runner()
    first = part_of(stored(new, feeds[0]).id)
    # Another restamp, on another server, has taken the parts up to the first plan's.
    taken = sum(part_of(stored(new, feed).id) <= first for feed in feeds)
    with new.app_context():
        engine = state.store().engine
        another = claimed(engine, "restamp", PARTS)
        assert next(part for part in another if part == first) == first
        shared = runner.invoke(restamp, ["--share"])
        another.close()
    assert shared.exit_code == 0, shared.output
    counted = runner.invoke(restamp, ["--check"])
    if engine.dialect.name == "postgresql":
        done = len(FIELDS) - taken
        assert shared.output.startswith(f"{done} plans read, {done} stored for this release")
        assert f"({first + 1} of {PARTS} parts done by other restamps)" in shared.output
        assert counted.output.startswith(f"{len(FIELDS)} plans read, {taken} stored by another")
    else:
        assert "other restamps on this database hold every part" in shared.output
        assert counted.output.startswith(f"{len(FIELDS)} plans read, {len(FIELDS)} stored by")
    # The other one ended (here, without doing its parts): the next does what is left.
    again = runner.invoke(restamp, ["--share"])
    left = taken if engine.dialect.name == "postgresql" else len(FIELDS)
    assert again.output.startswith(f"{len(FIELDS)} plans read, {left} stored for this release")
    assert runner.invoke(restamp, ["--check"]).output.startswith(
        f"{len(FIELDS)} plans read, 0 stored by another build"
    )
    refused = runner.invoke(restamp, ["--share", "--part", "1/2"])
    assert refused.exit_code == 2 and "leave --part out" in refused.output
