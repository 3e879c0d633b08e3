"""Read TOML tables and check their keys, types and text, reporting each problem with its place."""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

# The only keys whose text may span lines (a program's introduction); every other text is one line.
MULTILINE_KEYS = frozenset({"text"})


class Problems:
    """Collects problems, each prefixed with its place."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, place: str, message: str) -> None:
        self.items.append(f"{place}: {message}")


def table(
    problems: Problems,
    place: str,
    raw: Any,
    required: Mapping[str, type],
    optional: Mapping[str, type] = MappingProxyType({}),
) -> dict[str, Any]:
    """Check one TOML table's keys and value types; return the values that are usable."""
    if not isinstance(raw, dict):
        problems.add(place, "expected a table")
        return {}
    out: dict[str, Any] = {}
    for key in sorted(set(raw) - set(required) - set(optional)):
        problems.add(place, f"unknown key '{key}' (allowed: {', '.join([*required, *optional])})")
    for key, kind in [*required.items(), *optional.items()]:
        if key not in raw:
            if key in required:
                problems.add(place, f"missing key '{key}'")
            continue
        if _usable(problems, place, key, raw[key], kind):
            out[key] = raw[key]
    return out


def _usable(problems: Problems, place: str, key: str, value: Any, kind: type) -> bool:
    if not _is_kind(value, kind):
        problems.add(place, f"'{key}' must be {_kind_name(kind)}")
        return False
    if isinstance(value, str):
        return text_ok(problems, place, f"'{key}'", value, multiline=key in MULTILINE_KEYS)
    return True


def text_ok(
    problems: Problems, place: str, label: str, value: str, *, multiline: bool = False
) -> bool:
    """Printable text on one line (several only where `multiline`), without escapes."""
    if not value.strip():
        problems.add(place, f"{label} is empty")
        return False
    if "\n" in value and not multiline:
        problems.add(place, f"{label} must be one line, found a line break")
        return False
    if "\\" in value:
        problems.add(place, f"{label} holds a backslash; write the text without escapes")
        return False
    bad = [c for c in value if c != "\n" and unicodedata.category(c) == "Cc"]
    if bad:
        problems.add(place, f"{label} holds a control character ({ord(bad[0]):#04x})")
        return False
    return True


def text_list(problems: Problems, place: str, key: str, raw: Any) -> tuple[str, ...]:
    """A list of one-line texts; every bad item is reported."""
    if not isinstance(raw, list):
        problems.add(place, f"'{key}' must be a list of text")
        return ()
    items = []
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, str):
            problems.add(place, f"'{key}' item {i} must be text")
        elif text_ok(problems, place, f"'{key}' item {i}", item):
            items.append(item)
    return tuple(items)


def _is_kind(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is date:
        return isinstance(value, date) and not hasattr(value, "hour")
    return isinstance(value, kind)


def _kind_name(kind: type) -> str:
    names = {
        str: "text",
        int: "a whole number",
        bool: "true or false",
        date: "a date (YYYY-MM-DD)",
        list: "a list",
    }
    return names.get(kind, "a table")


def read(problems: Problems, path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        problems.add(path.name, "file is missing")
    except tomllib.TOMLDecodeError as exc:
        problems.add(path.name, f"not valid TOML: {exc}")
    return {}
