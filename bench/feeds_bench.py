"""Benchmark: serving stateless feeds with the render cache against the uncached baseline.

Both are measured in the same run through the WSGI test client, on the same requests:
the baseline renders every feed (cache off); the candidate serves repeat subscribers from
the LRU, as happens when many runners subscribe to the same race with the same options.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from flask.testing import FlaskClient
from freezegun import freeze_time

from feeds import create_app

TODAY = date(2026, 11, 25)
ROUNDS = 5


def urls() -> list[str]:
    races = [TODAY + timedelta(weeks=w, days=d) for w, d in ((18, 0), (20, 3), (26, 6), (30, 2))]
    out = []
    for distance in ("5k", "10k", "half-marathon", "marathon", "ultra"):
        for race in races:
            out.append(f"/feeds/{distance}.ics?race={race}")
            out.append(f"/feeds/{distance}.ics?race={race}&time=07:00&tz=Europe/Berlin")
    return out


def per_request_ms(
    cache_size: int,
    folder: Path,
    targets: Callable[[FlaskClient], list[str]],
    *,
    memo_size: int = 20000,
    conditional: bool = False,
) -> list[float]:
    """Milliseconds per request for each round over all targets.

    With `conditional`, each client sends back the ETag it got first (as Apple Calendar,
    Thunderbird and Evolution do) and expects a 304.
    """
    app = create_app(
        {
            "FEED_CACHE_SIZE": cache_size,
            "ETAG_MEMO_SIZE": memo_size,
            "PUBLIC_URL": "https://plans.example.org/",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "SECRET_KEY": "bench",
        }
    )
    client = app.test_client()
    urls = targets(client)
    etags = {url: client.get(url).headers["ETag"] if conditional else "" for url in urls}
    expected = 304 if conditional else 200
    rounds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for url in urls:
            got = client.get(url, headers={"If-None-Match": etags[url]} if conditional else {})
            assert got.status_code == expected
        rounds.append((time.perf_counter() - start) * 1000 / len(urls))
    app.extensions["store"].close()
    return rounds


def managed_urls(client: FlaskClient) -> list[str]:
    """Create one managed plan per stateless target and return their feed paths."""
    paths = []
    for url in urls():
        distance = url.split("/")[2].split(".ics")[0]
        race = url.split("race=")[1][:10]
        body = {"distance": distance, "race": race}
        response = client.post("/api/subscriptions", json=body)
        assert response.status_code == 201, response.get_json()
        paths.append(response.get_json()["feed_url"].removeprefix("https://plans.example.org"))
    return paths


def report(title: str, baseline: list[float], cached: list[float]) -> None:
    base, cand = statistics.median(baseline), statistics.median(cached[1:])
    print(f"{title}")
    print(f"  baseline (render every time): {base:.1f} ms per feed (median round)")
    print(f"  cached (repeat fetches):      {cand:.2f} ms per feed (median of warm rounds)")
    print(f"  first, cold round with cache: {cached[0]:.1f} ms per feed")
    print(f"  speed-up: {base / cand:.1f}x; one core: ~{1000 / cand:.0f} feeds/s warm,")
    print(f"  ~{1000 / base:.0f} feeds/s uncached")


def main() -> int:
    print(f"{len(urls())} distinct feeds per round, {ROUNDS} rounds, in-process WSGI client")
    with freeze_time(TODAY, tick=True), tempfile.TemporaryDirectory() as tmp:
        folders = [Path(tmp) / name for name in "abcdef"]
        for folder in folders:
            folder.mkdir()
        report(
            "stateless /feeds/<distance>.ics",
            per_request_ms(0, folders[0], lambda _: urls()),
            per_request_ms(256, folders[1], lambda _: urls()),
        )
        report(
            "managed /s/<token>.ics (SQLite)",
            per_request_ms(0, folders[2], managed_urls),
            per_request_ms(256, folders[3], managed_urls),
        )
        # Many runners each own a feed, so most polls miss the small render cache (size 0
        # here); a current client's conditional GET is then answered from the ETag memo.
        report(
            "managed conditional GETs, feeds not in the render cache",
            per_request_ms(0, folders[4], managed_urls, memo_size=0, conditional=True),
            per_request_ms(0, folders[5], managed_urls, conditional=True),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
