"""The README is a contract: every route, parameter and setting is documented."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask

from feeds.params import ACCEPTED

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_readme_opens_with_the_two_commands() -> None:
    head = README[:600]
    assert "make run" in head and "make test" in head


def test_every_route_is_documented(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        documented = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", rule.rule)
        pattern = r"`(?:[A-Z]+ )?" + re.escape(documented) + r"[`?\s]"
        assert re.search(pattern, README), rule.rule


def test_every_feed_parameter_is_documented() -> None:
    for name in ACCEPTED:
        assert f"| `{name}` |" in README, name


def test_every_setting_is_documented(app: Flask) -> None:
    defaults = Flask("probe").config
    ours = [k for k in app.config if k not in defaults]
    assert ours
    for key in ours:
        assert f"`{key}`" in README, key


def test_the_code_map_lists_every_module() -> None:
    feeds = Path(__file__).resolve().parent.parent / "feeds"
    section = README.split("## Code map", 1)[1].split("\n## ", 1)[0]
    modules = [p for p in feeds.rglob("*.py") if "migrations" not in p.parts]
    missing = [
        str(p.relative_to(feeds))
        for p in modules
        if f"`{p.name}`" not in section and f"`{p.parent.name}/`" not in section
    ]
    assert missing == []
