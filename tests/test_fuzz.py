"""Generated requests against every route: odd queries, headers, bodies and paths, never a 5xx.

`CI` set in the environment runs the `ci` profile (>= 10,000 requests over this file's tests);
locally a few hundred keep the suite quick. HYPOTHESIS_PROFILE picks a profile by name.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import pytest
from conftest import TODAY
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests_support import create_plan, local, with_store

from feeds import clock
from feeds.plans import DEFAULT_PLANS, DISTANCES, load_library

# No example database: a failure prints its example, and the worktree stays clean.
QUIET = {"deadline": None, "suppress_health_check": list(HealthCheck), "database": None}
settings.register_profile("ci", max_examples=2600, **QUIET)  # 4 tests: 10,400 requests
settings.register_profile("dev", max_examples=120, **QUIET)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

CSRF = "fuzz-form-token"
ROUTINES = sorted(load_library(DEFAULT_PLANS).routines)
FEED_FIELDS = ["race", "start", "days", "long", "time", "tz", "alarm", "download"]
API_FIELDS = [*FEED_FIELDS[:-1], "distance", "unlock_weekly", "revision"]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "Sunday"]
ZONES = ["Europe/Berlin", "America/New_York", "US/Eastern", "Factory", "UTC", "Etc/GMT+5"]
JSON_ROUTES = [
    "/api/subscriptions",
    "/api/subscriptions/{token}",
    "/api/subscriptions/{token}/rotate",
]
PATHS = [
    "/",
    "/healthz",
    "/readyz",
    "/plans/{distance}",
    "/plans/{distance}/subscribe",
    "/feeds/{distance}.ics",
    "/routines/{routine}",
    "/s/{feed}.ics",
    "/manage/{token}",
    "/manage//{token}",
    "/manage/{token}/rotate",
    "/manage/{token}/delete",
    *JSON_ROUTES,
]


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for every generated request, its clock pinned at the seam (not freezegun, which
    would also freeze hypothesis's own timers), creation unlimited so creation code runs."""
    patch = pytest.MonkeyPatch()
    patch.setattr(clock, "today", lambda: date.fromisoformat(TODAY))
    patch.setattr(clock, "now", lambda: datetime.fromisoformat(f"{TODAY}T10:00:00+00:00"))
    app = with_store(tmp_path_factory.mktemp("fuzz"), RATELIMIT_ENABLED=False)
    yield app
    app.extensions["store"].close()
    patch.undo()


@pytest.fixture(scope="module")
def fuzz(fuzz_app: Flask) -> tuple[FlaskClient, dict[str, str]]:
    """A client whose session holds a form token, and the tokens of one stored plan."""
    client = fuzz_app.test_client()
    with client.session_transaction() as session:
        session["csrf"] = CSRF
    plan = create_plan(client)
    tokens = {
        "feed": local(plan["feed_url"]).removeprefix("/s/").removesuffix(".ics"),
        "token": local(plan["manage_url"]).removeprefix("/manage/"),
    }
    return client, tokens


# Values: mostly near the valid forms, sometimes anything ------------------------------

header_text = st.text(st.characters(codec="latin-1", exclude_categories=["Cc"]), max_size=60)
anything = st.text(max_size=40)
dates = st.dates(date(2025, 1, 1), date(2028, 12, 31)).map(date.isoformat)
value = st.one_of(
    dates,
    st.lists(st.sampled_from(WEEKDAYS), max_size=8).map(",".join),
    st.sampled_from(WEEKDAYS),
    st.builds("{:02d}:{:02d}".format, st.integers(0, 30), st.integers(0, 70)),
    st.sampled_from(ZONES),
    st.integers(-10, 20_000).map(str),
    st.sampled_from(["0", "1", "", "true", "null", "\x00", "é", "2027-02-30", "9" * 40]),
    anything,
)
query = st.lists(st.tuples(st.sampled_from(FEED_FIELDS) | anything, value), max_size=8).map(
    lambda pairs: [(k, v) for k, v in pairs if k]
)


def _json_value() -> st.SearchStrategy[Any]:
    leaf = st.none() | st.booleans() | st.integers() | st.floats() | value
    return st.recursive(leaf, lambda inner: st.lists(inner) | st.dictionaries(anything, inner))


api_object = st.dictionaries(st.sampled_from(API_FIELDS) | anything, value | _json_value())
depth = st.integers(900, 3000)
body = st.one_of(
    st.none(),
    api_object.map(lambda o: ("application/json", json.dumps(o).encode())),
    _json_value().map(lambda o: ("application/json", json.dumps(o).encode())),
    depth.map(lambda n: ("application/json", ("[" * n + "]" * n).encode())),
    depth.map(lambda n: ("application/json", ('{"a":' * n + "1" + "}" * n).encode())),
    st.binary(max_size=200).map(lambda b: ("application/json", b)),
    st.binary(max_size=200).map(lambda b: ("application/x-www-form-urlencoded", b)),
    query.map(lambda q: ("application/x-www-form-urlencoded", _form([*q, ("csrf_token", CSRF)]))),
    st.just(("application/json", b'{"race": "' + b"9" * 70_000 + b'"}')),
    st.tuples(header_text, st.binary(max_size=100)),
)
headers = st.fixed_dictionaries(
    {},
    optional={
        "Host": st.sampled_from(["plans.example.org", "a/b", "a b", "[::1]:80", ""]) | header_text,
        "If-None-Match": st.sampled_from(['"x"', "*", 'W/"1"', '"' + "0" * 64 + '"']) | header_text,
        "If-Modified-Since": st.sampled_from(["Sun, 06 Nov 1994 08:49:37 GMT"]) | header_text,
        "If-Match": st.sampled_from(['"0"', '"1"', "*"]) | header_text,
        "Origin": st.sampled_from(["https://plans.example.org", "https://evil.example"]),
        "Accept": header_text,
    },
)
methods = st.sampled_from(["GET", "HEAD", "POST", "PATCH", "DELETE", "PUT", "OPTIONS"])


def _form(pairs: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs).encode()


def _path(template: str, tokens: dict[str, str], odd: str, use_odd: bool) -> str:
    fills = {
        "distance": odd if use_odd else "10k",
        "routine": odd if use_odd else ROUTINES[0],
        "feed": odd if use_odd else tokens["feed"],
        "token": odd if use_odd else tokens["token"],
    }
    return template.format(**{k: quote(v, safe="") for k, v in fills.items()})


def send(
    client: FlaskClient, method: str, path: str, pairs: Any, extra: dict[str, str], sent: Any
) -> None:
    content_type, data = sent if sent else (None, None)
    all_headers = {**extra, **({"Content-Type": content_type} if content_type else {})}
    response = client.open(
        path, method=method, query_string=pairs or None, headers=all_headers, data=data
    )
    assert response.status_code < 500, (method, path, pairs, extra, response.get_data()[:300])


# The tests ----------------------------------------------------------------------------


@given(distance=st.sampled_from(DISTANCES) | anything, pairs=query, extra=headers)
def test_feeds_never_answer_a_server_error(
    fuzz: tuple[FlaskClient, dict[str, str]], distance: str, pairs: Any, extra: Any
) -> None:
    client, _ = fuzz
    send(client, "GET", f"/feeds/{quote(distance, safe='')}.ics", pairs, extra, None)


@given(
    template=st.sampled_from(PATHS),
    odd=anything,
    use_odd=st.booleans(),
    pairs=query,
    extra=headers,
    method=methods,
    sent=body,
)
def test_every_route_survives_any_method_header_and_body(
    fuzz: tuple[FlaskClient, dict[str, str]],
    template: str,
    odd: str,
    use_odd: bool,
    pairs: Any,
    extra: Any,
    method: str,
    sent: Any,
) -> None:
    client, tokens = fuzz
    send(client, method, _path(template, tokens, odd, use_odd), pairs, extra, sent)


@given(template=st.sampled_from(JSON_ROUTES), method=st.sampled_from(["POST", "PATCH"]), sent=body)
def test_the_json_api_survives_any_body(
    fuzz: tuple[FlaskClient, dict[str, str]], template: str, method: str, sent: Any
) -> None:
    client, tokens = fuzz
    send(client, method, _path(template, tokens, "", False), [], {}, sent)


@given(raw=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80))
def test_any_path_is_at_most_a_4xx(fuzz: tuple[FlaskClient, dict[str, str]], raw: str) -> None:
    client, _ = fuzz
    # A leading "//" would make the test client read a host name out of the path.
    send(client, "GET", "/" + quote(raw, safe="/?=&").lstrip("/"), [], {}, None)
