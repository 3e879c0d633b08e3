"""List the phrases that bypass the catalogue: `PYTHONPATH=. python tests/i18n_leaks.py`.

Its output is what `i18n_not_yet_wrapped.txt` allows; wrap strings and regenerate to shrink it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from freezegun import freeze_time
from pseudo import data_strings, install, leaks, longest_first, visible_html
from test_i18n import ERROR_PAGES, FEEDS, PAGES, feed_texts
from tests_support import create_plan, local, with_store

from feeds.plans import DEFAULT_PLANS, load_library


def every_phrase() -> set[str]:
    """The leaking phrases of every page, feed and managed page the test renders."""
    lib = load_library(DEFAULT_PLANS)
    data = longest_first(data_strings(lib))
    app = with_store(Path(tempfile.mkdtemp()))
    install(app)
    client = app.test_client()
    urls = [*PAGES, *ERROR_PAGES, *(f"/routines/{s}" for s in sorted(lib.routines))]
    found = {p for u in urls for p in leaks(visible_html(client.get(u).text), data)}
    plan = create_plan(client)
    manage = local(plan["manage_url"])
    found |= set(leaks(visible_html(client.get(manage).text), data))
    feeds = [*FEEDS, local(plan["feed_url"])]
    found |= {p for u in feeds for p in leaks(feed_texts(client.get(u).data), data)}
    client.delete(local(plan["api_url"]))
    found |= set(leaks(visible_html(client.get(manage).text), data))
    app.extensions["store"].close()
    return found


if __name__ == "__main__":
    with freeze_time("2026-11-25"):
        sys.stdout.writelines(f"{phrase}\n" for phrase in sorted(every_phrase()))
