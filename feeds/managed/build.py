"""Which build computed a stored plan's fingerprints: this code, its catalogues, its plan data.

A plan's slot fingerprints are a pure function of its choices and of the build that computed
them: the `feeds` package (code and message catalogues), the plan data, the locale and the
libraries that write its dates. A read by the build that made the last write would compute the
very fingerprints that write stored, so it takes the stored states as they are; a read by any
other build (new code, revised plan data) computes them again, as `revisions.drift` describes.
"""

from __future__ import annotations

import hashlib
import sys
from functools import cache, lru_cache
from importlib import metadata, resources
from importlib.resources.abc import Traversable

from ..plans import Library

# What the package holds that can change an event's text: code and compiled catalogues.
SHAPING = (".py", ".mo")
# Libraries whose output reaches an event's text (Babel writes the dates).
LIBRARIES = ("babel", "flask-babel")


def build_id(library: Library, locale: str) -> int:
    """A 4-byte number naming this build for `library` and `locale` (never 0); 0 when the
    library's files are unknown (built in memory), so its plans are always checked in full."""
    if library.digest is None:
        return 0
    return _build(library.digest, locale)


@lru_cache(maxsize=16)
def _build(plans: str, locale: str) -> int:
    parts = [code_digest(), plans, locale, sys.version]
    parts += [f"{name}={metadata.version(name)}" for name in LIBRARIES]
    hashed = hashlib.blake2b("\n".join(parts).encode(), digest_size=4).digest()
    return int.from_bytes(hashed, "big") or 1


@cache
def code_digest() -> str:
    """A hash of every code and catalogue file of the installed `feeds` package."""
    hashed = hashlib.blake2b(digest_size=16)
    for name, data in sorted(_files(resources.files("feeds"), "")):
        hashed.update(f"{name}\0{len(data)}\0".encode())
        hashed.update(data)
    return hashed.hexdigest()


def _files(folder: Traversable, prefix: str) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for item in folder.iterdir():
        name = prefix + item.name
        if item.is_dir() and item.name != "__pycache__":
            out += _files(item, name + "/")
        elif item.is_file() and item.name.endswith(SHAPING):
            out.append((name, item.read_bytes()))
    return out
