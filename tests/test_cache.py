"""The render cache: shared bytes for repeat subscribers, never a stale validation."""

from __future__ import annotations

import gc
from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time

from feeds.cache import LRU, Kept, Sightings, plain


def test_lru_keeps_the_most_recent_values() -> None:
    cache: LRU[int] = LRU(2)
    made: list[str] = []

    def make(key: str) -> int:
        made.append(key)
        return len(made)

    for key in ("a", "b", "a", "c", "b"):
        assert cache.full() == (len(made) >= 2)
        cache.get_or_make(key, lambda key=key: make(key))
    assert made == ["a", "b", "c", "b"]  # "b" was evicted by "c" after "a" was used again
    assert len(cache) == 2 and cache.full()
    assert (cache.hits, cache.misses) == (1, 4)


def test_size_zero_turns_the_cache_off() -> None:
    cache: LRU[int] = LRU(0)
    assert cache.get_or_make("a", lambda: 1) == 1
    assert len(cache) == 0


def test_sightings_tell_a_first_meeting_and_forget_all_when_full() -> None:
    seen = Sightings(3)
    assert [seen.first(k) for k in ("a", "b", "a", ("c", 1), ("c", 1))] == [
        True,
        True,
        False,
        True,
        False,
    ]
    assert seen.first("d") and len(seen) == 1  # full at three: all forgotten, "d" remembered
    assert seen.first("a")


def test_kept_values_are_found_only_for_the_very_objects_they_were_made_from() -> None:
    kept: Kept[str] = Kept(2)
    one, other = ["plan data"], ["plan data"]  # equal, not the same object
    assert kept.get((one,), ("x",), lambda: "made from one") == "made from one"
    assert kept.peek((one,), ("x",)) == "made from one"
    assert kept.peek((other,), ("x",)) is None and kept.peek((one,), ("y",)) is None
    kept.put((other,), ("x",), "made from other")
    kept.put((other,), ("z",), "third")  # over the size: everything before is forgotten
    assert kept.peek((one,), ("x",)) is None and len(kept) == 1


def test_repeat_requests_share_one_rendering(app: Flask, client: FlaskClient) -> None:
    cache = app.extensions["feed_cache"]
    url = "/feeds/10k.ics?race=2027-04-18&days=tue,thu"
    first = client.get(url)
    again = client.get(url)  # answered by its raw query string, before the render cache
    reordered = client.get("/feeds/10k.ics?days=thu,tue&race=2027-04-18")
    assert first.data == again.data == reordered.data
    assert (cache.hits, cache.misses) == (1, 1)
    client.get("/feeds/10k.ics?race=2027-04-25")
    assert cache.misses == 2


def test_a_cached_feed_is_still_refused_once_its_weeks_after_the_race_are_over(
    client: FlaskClient,
) -> None:
    url = "/feeds/5k.ics?race=2026-12-20"
    assert client.get(url).status_code == 200
    with freeze_time("2026-12-21"):
        assert client.get(url).status_code == 200
    with freeze_time("2027-02-08"):
        assert client.get(url).status_code == 422


def test_a_request_as_plain_values_keys_it_without_being_walked() -> None:
    """`plain` names a request by values alone: equal requests alike, whatever order their
    days were given in, different ones apart, and nothing the collector walks once collected."""
    from feeds.adjustments import Adjustments
    from feeds.schedule import Request

    race = date(2027, 4, 18)
    one = Request("marathon", race, days=frozenset({1, 3, 5}), hard=frozenset({2}))
    same = Request("marathon", race, days=frozenset({5, 3, 1}), hard=frozenset({2}))
    assert plain(one) == plain(same) and hash(plain(one)) == hash(plain(same))
    for other in (
        Request("marathon", race, days=frozenset({1, 3}), hard=frozenset({2})),
        Request("marathon", race, days=frozenset({1, 3, 5}), hard=frozenset({4})),
        Request("marathon", race, days=frozenset({1, 3, 5}), hard=frozenset({2}), level="new"),
        Request(
            "marathon",
            race,
            days=frozenset({1, 3, 5}),
            hard=frozenset({2}),
            adjust=Adjustments(skips=("w3-s1",)),
        ),
    ):
        assert plain(other) != plain(one)
    key = ("marathon", *plain(one))
    for _level in ("sets", "adjustments' parts", "adjustments", "key"):  # one untracked each
        gc.collect()
    assert not gc.is_tracked(key)
