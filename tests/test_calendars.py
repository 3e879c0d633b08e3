"""The composed feed: its ETag is the hash of its bytes, taken once when it is rendered."""

from __future__ import annotations

import hashlib

from flask import Flask
from flask.testing import FlaskClient

from feeds.calendars import Feed


def test_the_etag_served_is_the_sha256_of_the_bytes_hashed_once(
    app: Flask, client: FlaskClient
) -> None:
    url = "/feeds/half-marathon.ics?race=2027-05-09&time=06:30&tz=Europe/London"
    served = client.get(url)
    (feed,) = app.extensions["feed_cache"]._items.values()
    assert isinstance(feed, Feed)
    assert feed.etag == hashlib.sha256(served.data).hexdigest()
    assert served.headers["ETag"] == f'"{feed.etag}"'
    again = client.get(url, headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304
