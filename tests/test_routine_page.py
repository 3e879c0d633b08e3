"""The routine page: every variant with its kit, and search links called what they are."""

from __future__ import annotations

import re
from html import unescape

from flask.testing import FlaskClient

from feeds.plans import Library


def _page(client: FlaskClient, slug: str) -> str:
    response = client.get(f"/routines/{slug}")
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def test_every_variant_is_shown_with_its_kit(client: FlaskClient, library: Library) -> None:
    html = _page(client, "heavy-lower-b")
    assert "Gym: experienced lifters" in html
    assert "Gym · Home: new to lifting" in html
    assert "No equipment" in html
    for variant in library.routine("heavy-lower-b").variants:
        for item in variant.needs:
            assert item in html
        for exercise in variant.exercises:
            assert exercise.name in html


def test_a_light_routine_shows_one_variant_for_everyone(client: FlaskClient) -> None:
    html = _page(client, "hip-activation")
    assert "Gym · Home · No equipment: new and experienced lifters" in html


def test_a_search_link_is_labelled_as_a_search(client: FlaskClient, library: Library) -> None:
    html = _page(client, "hip-activation")
    video = library.routine("hip-activation").default.video
    assert video.search
    assert f'href="{video.url}"' in html
    assert "A video search: " in html
    assert "Watch how" not in html


def test_new_lifters_are_sent_to_the_routine_they_do_instead(
    client: FlaskClient, library: Library
) -> None:
    html = _page(client, "depth-jumps")
    instead = library.routine(library.routine("depth-jumps").new_lifters)
    assert f"New to lifting? Do {instead.name} in its place" in re.sub(r"<[^>]+>", "", html)
    assert f'href="/routines/{instead.slug}"' in html
