"""Which build computed a stored plan's fingerprints: this code, its catalogues, its plan data.

A plan's slot fingerprints are a pure function of its choices and of the build that computed
them: the code that builds and fingerprints its events, the message catalogues, the plan data,
the locale and the libraries that write its dates. A read by the build that made the last write
would compute the very fingerprints that write stored, so it takes the stored states as they
are; a read by any other build (new code, revised plan data) computes them again, as
`revisions.drift` describes, until `plans restamp` stores them as the new build reads them.

The code is the modules a stored plan's events are built and fingerprinted with: those
`managed/service.py` imports, directly or through others, found by reading their imports (at
the top or inside a function), and the `__init__.py` of every package on the way. A release that
changes only the pages, forms, API, front layer or command line keeps every stored plan read as
stored: no restamp, and no window of dearer reads after it.
"""

from __future__ import annotations

import ast
import hashlib
import sys
from functools import cache, lru_cache
from importlib import metadata, resources
from importlib.resources.abc import Traversable

from ..plans import Library

# Where the modules that shape a stored plan's events are found from (`shaping`).
ROOT = "feeds.managed.service"
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
    """A hash of the installed `feeds` package's code that shapes events, and its catalogues."""
    return digest_of(resources.files("feeds"))


def digest_of(package: Traversable) -> str:
    """A hash of the `shaping` modules of the package at `package` and of every compiled
    catalogue (`.mo`) in it."""
    files = sorted({*shaping(package, ROOT), *_catalogues(package, "")})
    hashed = hashlib.blake2b(digest_size=16)
    for name in files:
        data = _file(package, name).read_bytes()
        hashed.update(f"{name}\0{len(data)}\0".encode())
        hashed.update(data)
    return hashed.hexdigest()


def shaping(package: Traversable, root: str) -> set[str]:
    """The files of `root` and of every module of the package it imports, directly or through
    others, and the `__init__.py` of each package on the way (paths inside `package`).

    A package on the way runs its `__init__.py` first, so that is hashed, but what it imports
    is followed only where a module imports the package itself (`from .runplan import x`, x
    not a module): `feeds/__init__.py` wires up the whole app, pages and all, and builds no event.
    """
    top = root.split(".")[0]
    files: set[str] = set()
    followed: set[str] = set()
    waiting = [root]
    while waiting:
        module = waiting.pop()
        if module in followed:
            continue
        name = _module_file(package, module)
        if name is None:
            continue
        followed.add(module)
        parts = module.split(".")
        files.add(name)
        files.update("/".join([*parts[1:i], "__init__.py"]) for i in range(1, len(parts)))
        waiting += _imported(package, _file(package, name).read_bytes(), module, name, top)
    return {name for name in files if _file(package, name).is_file()}


def _imported(package: Traversable, source: bytes, module: str, name: str, top: str) -> list[str]:
    """The modules of package `top` that `source` (module `module`, file `name`) imports: each
    `from X import a` as X.a where that is a module, else X."""
    here = module.split(".") if name.endswith("__init__.py") else module.split(".")[:-1]
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            origin = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                inner = f"{origin}.{alias.name}"
                out.append(inner if _module_file(package, inner) else origin)
    return [m for m in out if m == top or m.startswith(top + ".")]


def _module_file(package: Traversable, module: str) -> str | None:
    """The file of `module` inside `package` ("a/b.py" or "a/b/__init__.py"), if it has one."""
    path = "/".join(module.split(".")[1:])
    for name in (f"{path}.py", f"{path}/__init__.py".lstrip("/")):
        if _file(package, name).is_file():
            return name
    return None


def _file(package: Traversable, name: str) -> Traversable:
    return package.joinpath(*name.split("/"))


def _catalogues(folder: Traversable, prefix: str) -> list[str]:
    out: list[str] = []
    for item in folder.iterdir():
        name = prefix + item.name
        if item.is_dir() and item.name != "__pycache__":
            out += _catalogues(item, name + "/")
        elif item.is_file() and item.name.endswith(".mo"):
            out.append(name)
    return out
