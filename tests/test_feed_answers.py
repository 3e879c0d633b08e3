"""Stateless feed answers: kept headers, 304s, no session, download UIDs, data-revision SEQUENCE."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask, request
from flask.sessions import NullSession
from flask.testing import FlaskClient

from feeds import create_app

FEED = "/feeds/10k.ics?race=2027-04-18"
UID = re.compile(rb"UID:(\S+)")


def uids(body: bytes) -> set[bytes]:
    return set(UID.findall(body))


def test_downloads_keep_their_uids_across_race_moves_and_share_none_with_feeds(
    client: FlaskClient,
) -> None:
    moved = "/feeds/10k.ics?race=2027-04-25"
    feed, download = client.get(FEED).data, client.get(FEED + "&download=1").data
    assert not uids(feed) & uids(download)
    assert uids(client.get(moved + "&download=1").data) & uids(download)
    assert uids(client.get(moved).data) & uids(feed)


def test_a_repeat_and_a_304_carry_the_same_headers_as_the_first_answer(
    client: FlaskClient,
) -> None:
    first = client.get(FEED)
    again = client.get(FEED)
    assert again.data == first.data and dict(again.headers) == dict(first.headers)
    by_tag = client.get(FEED, headers={"If-None-Match": first.headers["ETag"]})
    by_date = client.get(FEED, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    for answer in (by_tag, by_date):
        assert answer.status_code == 304 and answer.data == b""
        for name in ("ETag", "Last-Modified", "Cache-Control"):
            assert answer.headers[name] == first.headers[name]
    assert client.get(FEED, headers={"If-None-Match": '"other"'}).status_code == 200


def test_feed_routes_never_open_the_session(app: Flask) -> None:
    for path, skipped in ((FEED, True), ("/s/token.ics", True), ("/plans/5k", False)):
        with app.test_request_context(path):
            session = app.session_interface.open_session(app, request)
            assert isinstance(session, NullSession) == skipped, path


def test_revised_plan_data_raises_every_stateless_sequence(
    client: FlaskClient, plans_copy: Path, tmp_path: Path, frozen_today: None
) -> None:
    before = set(re.findall(rb"SEQUENCE:(\d+)", client.get(FEED).data))
    routines = plans_copy / "routines.toml"
    routines.write_text(
        routines.read_text().replace("revised = 2026-11-25", "revised = 2026-12-09")
    )
    for name in ("5k", "10k", "half-marathon", "marathon", "ultra"):
        path = plans_copy / f"{name}.toml"
        path.write_text(path.read_text().replace("revised = 2026-12-01", "revised = 2026-12-09"))
    revised = create_app(
        {
            "PLANS_DIR": str(plans_copy),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}",
            "SECRET_KEY": "t",
            "PUBLIC_URL": "https://plans.example.org/",
        }
    )
    try:
        after = set(re.findall(rb"SEQUENCE:(\d+)", revised.test_client().get(FEED).data))
    finally:
        revised.extensions["store"].close()
    assert before == {b"30"} and after == {b"38"}
