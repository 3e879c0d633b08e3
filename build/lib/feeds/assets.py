"""Static files under content-hashed names, so browsers keep them for a year.

`asset_url("css/site.css")` gives `/static/css/site.<digest>.css`; the digests are computed once
at start-up. A hashed name is served with `immutable`; a plain name (an old page, a bookmark) or
a stale digest (a page from before a deploy) still gets the current file, cached briefly.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, cast

from flask import Flask, Response, current_app, request, send_from_directory, url_for

from .form import time_zones

YEAR = 365 * 24 * 3600
# Plain names may be served to a page that is about to change: revalidate soon.
SHORT = 300
DIGEST_LENGTH = 12
HASHED = re.compile(rf"^(?P<stem>.+)\.[0-9a-f]{{{DIGEST_LENGTH}}}(?P<suffix>\.[^./]+)$")


@dataclass(frozen=True)
class Assets:
    """Where the static files are, each file's hashed name, and the time-zone list."""

    folder: Path
    hashed: Mapping[str, str]
    real: Mapping[str, str]
    zones: bytes
    zones_digest: str


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:DIGEST_LENGTH]


def hashed_name(path: str, body: bytes) -> str:
    """'css/site.css' -> 'css/site.<digest>.css'."""
    pure = PurePosixPath(path)
    return str(pure.with_name(f"{pure.stem}.{digest(body)}{pure.suffix}"))


def scan(folder: Path) -> Assets:
    """Hash every file under `folder` and the time-zone list, once."""
    hashed = {}
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        path = file.relative_to(folder).as_posix()
        hashed[path] = hashed_name(path, file.read_bytes())
    zones = json.dumps(time_zones(), separators=(",", ":")).encode()
    real = {v: k for k, v in hashed.items()}
    return Assets(folder, hashed, real, zones, digest(zones))


def assets() -> Assets:
    return cast(Assets, current_app.extensions["assets"])


def asset_url(path: str) -> str:
    """The URL of a static file under its hashed name; an unknown file is an error."""
    if path not in assets().hashed:
        raise LookupError(f"There is no static file '{path}' in {assets().folder}.")
    return url_for("static", filename=path)


def zones_url() -> str:
    """The time-zone list's URL; its version changes when the list does."""
    return url_for("pages.time_zones", v=assets().zones_digest)


def zones_response() -> Response:
    """The time-zone list as JSON: a year under its current version, else a few minutes."""
    found = assets()
    response = Response(found.zones, mimetype="application/json")
    return cache(response, immutable=request.args.get("v") == found.zones_digest)


def cache(response: Response, *, immutable: bool) -> Response:
    """A year and `immutable` for a versioned URL; a few minutes for anything else."""
    response.cache_control.no_cache = None
    response.cache_control.public = True
    response.cache_control.max_age = YEAR if immutable else SHORT
    response.cache_control.immutable = immutable
    return response


def serve(filename: str) -> Response:
    """The static view: hashed names for a year, plain and stale names for a few minutes."""
    found = assets()
    real = found.real.get(filename)
    if real is None:
        stale = HASHED.match(filename)
        plain = f"{stale['stem']}{stale['suffix']}" if stale else filename
        real = plain if plain in found.hashed else filename
    response = send_from_directory(found.folder, real)
    return cache(response, immutable=filename in found.real)


def _hash_static_urls(endpoint: str | None, values: dict[str, Any]) -> None:
    """Make every url_for('static', filename=...) give the hashed name, in any template."""
    if endpoint == "static" and "filename" in values:
        values["filename"] = assets().hashed.get(values["filename"], values["filename"])


def init_app(app: Flask) -> None:
    if app.static_folder is None:
        raise RuntimeError("The app needs its static folder.")
    app.extensions["assets"] = scan(Path(app.static_folder))
    app.view_functions["static"] = serve
    app.url_defaults(_hash_static_urls)
    app.add_template_global(asset_url)
    app.add_template_global(zones_url)
