"""The runner's changes to single weeks: move a session, skip one, pause for a while (pure).

Stored as one text, `adjust`: items separated by `;`, each one of
`move:<slot>:<YYYY-MM-DD>` (that session on that day of its week), `skip:<slot>` and
`pause:<YYYY-MM-DD>+<days>` (no sessions on those days; the week re-flows around them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .errors import InvalidParameter
from .i18n import N_, _

SLOT = re.compile(r"[a-z0-9-]+/[a-z0-9-]+/\d{1,2}")
MOVE = re.compile(rf"move:({SLOT.pattern}):(\d{{4}}-\d{{2}}-\d{{2}})")
SKIP = re.compile(rf"skip:({SLOT.pattern})")
PAUSE = re.compile(r"pause:(\d{4}-\d{2}-\d{2})\+(\d{1,3})")
MAX_PAUSE_DAYS = 56
# Enough for a change in every session of the longest plan, small enough to store and read.
MAX_ITEMS = 120
SYNTAX = N_(
    "'adjust' must be changes separated by ';', each move:<session>:YYYY-MM-DD,"
    " skip:<session> or pause:YYYY-MM-DD+<days> (%(why)s); got '%(got)s'."
)


@dataclass(frozen=True)
class Pause:
    """No sessions from `start` for `days` days (illness, travel)."""

    start: date
    days: int

    @property
    def last(self) -> date:
        return self.start + timedelta(days=self.days - 1)

    def dates(self) -> frozenset[date]:
        return frozenset(self.start + timedelta(days=i) for i in range(self.days))


@dataclass(frozen=True)
class Adjustments:
    """Moves (slot to date), skipped slots and pauses, in a canonical order."""

    moves: tuple[tuple[str, date], ...] = ()
    skips: tuple[str, ...] = ()
    pauses: tuple[Pause, ...] = ()

    @property
    def text(self) -> str:
        items = [f"move:{slot}:{day.isoformat()}" for slot, day in self.moves]
        items += [f"skip:{slot}" for slot in self.skips]
        items += [f"pause:{p.start.isoformat()}+{p.days}" for p in self.pauses]
        return ";".join(items)

    def __bool__(self) -> bool:
        return bool(self.moves or self.skips or self.pauses)

    def paused(self) -> frozenset[date]:
        return frozenset().union(*(p.dates() for p in self.pauses))

    def moved_to(self, slot: str) -> date | None:
        return dict(self.moves).get(slot)

    def without(self, slot: str) -> Adjustments:
        """These changes less any move or skip of `slot`."""
        moves = tuple(m for m in self.moves if m[0] != slot)
        return replace(self, moves=moves, skips=tuple(s for s in self.skips if s != slot))

    def with_move(self, slot: str, day: date) -> Adjustments:
        moves = (*self.without(slot).moves, (slot, day))
        return replace(self.without(slot), moves=tuple(sorted(moves)))

    def with_skip(self, slot: str) -> Adjustments:
        return replace(self.without(slot), skips=tuple(sorted((*self.without(slot).skips, slot))))

    def with_pause(self, pause: Pause) -> Adjustments:
        pauses = sorted({*self.pauses, pause}, key=lambda p: (p.start, p.days))
        return replace(self, pauses=tuple(pauses))

    def items(self) -> tuple[str, ...]:
        """Each change on its own, as `text` writes it."""
        return tuple(item for item in self.text.split(";") if item)

    def undone(self, item: str) -> Adjustments:
        """These changes less the one `item` (one of `items`); one not here changes nothing."""
        one = parse(item)
        if len(one.items()) != 1:
            raise _error(_("one change to undo"), item)
        return Adjustments(
            tuple(m for m in self.moves if m not in one.moves),
            tuple(s for s in self.skips if s not in one.skips),
            tuple(p for p in self.pauses if p not in one.pauses),
        )


NO_CHANGES = Adjustments()


def parse(raw: str) -> Adjustments:
    """Read the `adjust` text; syntax and sizes only (whether a change fits is the plan's)."""
    items = [item.strip() for item in raw.split(";") if item.strip()]
    if len(items) > MAX_ITEMS:
        raise _error(_("at most %(most)s changes", most=MAX_ITEMS), raw)
    moves: dict[str, date] = {}
    skips: set[str] = set()
    pauses: set[Pause] = set()
    for item in items:
        if match := MOVE.fullmatch(item):
            _once(match[1], moves, skips)
            moves[match[1]] = _day(match[2], item)
        elif match := SKIP.fullmatch(item):
            _once(match[1], moves, skips)
            skips.add(match[1])
        elif match := PAUSE.fullmatch(item):
            pauses.add(_pause(match[1], match[2], item))
        else:
            raise _error(_("this change is not one of those"), item)
    ordered = sorted(pauses, key=lambda p: (p.start, p.days))
    return Adjustments(tuple(sorted(moves.items())), tuple(sorted(skips)), tuple(ordered))


def _once(slot: str, moves: dict[str, date], skips: set[str]) -> None:
    if slot in moves or slot in skips:
        raise _error(_("one change per session"), slot)


def _day(text: str, item: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _error(_("a real calendar date"), item) from None


def _pause(start: str, days: str, item: str) -> Pause:
    if not 1 <= int(days) <= MAX_PAUSE_DAYS:
        raise _error(_("a pause lasts 1 to %(most)s days", most=MAX_PAUSE_DAYS), item)
    return Pause(_day(start, item), int(days))


def _error(why: str, got: str) -> InvalidParameter:
    shown = "".join(c if c.isascii() and c.isprintable() else "?" for c in got)[:60]
    return InvalidParameter(_(SYNTAX, why=why, got=shown), field="adjust")
