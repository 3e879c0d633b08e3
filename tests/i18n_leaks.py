"""List the phrases that bypass the catalogue: `PYTHONPATH=. python tests/i18n_leaks.py`.

Its output is what `i18n_not_yet_wrapped.txt` allows; wrap strings and regenerate to shrink it.
"""

from __future__ import annotations

import sys
import tempfile
from http.server import ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from flask.testing import FlaskClient
from freezegun import freeze_time
from pseudo import DATE_LOCALE, data_strings, install, leaks, longest_first, visible_html
from test_i18n import (
    ERROR_PAGES,
    FEEDS,
    PAGES,
    RUNNING_PLAN,
    feed_texts,
    running_plan_pages,
    subscribe_pages,
    week_change_pages,
    with_running_plan,
)
from test_runplan_managed import Handler, readings
from tests_support import create_plan, local, serving, with_store

from feeds.plans import DEFAULT_PLANS, Library, load_library


def every_phrase() -> set[str]:
    """What leaks from every page, feed and managed page the test renders, by kind."""
    lib = load_library(DEFAULT_PLANS)
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as server:
        Handler.bodies, Handler.failing = {"/plan.ics": RUNNING_PLAN}, set()
        allow = server.removeprefix("http://")
        app = with_store(
            Path(tempfile.mkdtemp()), BABEL_DEFAULT_LOCALE=DATE_LOCALE, RUNPLAN_ALLOW=allow
        )
        install(app)
        try:
            found = _found(app.test_client(), server, lib)
        finally:
            readings(app).wait()
            app.extensions["store"].close()
    return found


def _found(client: FlaskClient, server: str, lib: Library) -> set[str]:
    data = with_running_plan(longest_first(data_strings(lib)))
    urls = [*PAGES, *ERROR_PAGES, *(f"/routines/{s}" for s in sorted(lib.routines))]
    pages = [client.get(u).text for u in urls]
    plan = create_plan(client)
    manage = local(plan["manage_url"])
    pages.append(client.get(manage).text)
    feeds = [feed_texts(client.get(u).data) for u in [*FEEDS, local(plan["feed_url"])]]
    client.delete(local(plan["api_url"]))
    pages.append(client.get(manage).text)
    pages += [*week_change_pages(client).values(), *subscribe_pages(client).values()]
    pages += running_plan_pages(client, server).values()
    found = {f"page: {words}" for page in pages for words in leaks(visible_html(page), data)}
    return found | {f"feed: {words}" for texts in feeds for words in leaks(texts, data)}


if __name__ == "__main__":
    with freeze_time("2026-11-25"):
        sys.stdout.writelines(f"{phrase}\n" for phrase in sorted(every_phrase()))
