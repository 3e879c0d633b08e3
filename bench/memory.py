"""How slow this machine's memory is right now: a random walk through Python objects.

The CPU rows of `make bench` swing 2.5-3.5x between hours on the same code, while instruction
counts stay put (`bench/instructions.py`). The machine's processor shares its 32 MB last-level
cache with neighbours; in slow phases they hold most of it, and every read that misses the
smaller caches goes to memory. A walk that reads one list slot and one int object a step, in an
order no prefetcher can guess, shows it: over a working set the size of a request's (megabytes)
against one that fits the core's own caches (kilobytes). It changes within seconds too (the 4 MB
walk read 51-160 ns in six runs one minute), so `make bench` walks before and after its CPU
rows, and each run says what memory was like around them.

    python bench/memory.py
"""

from __future__ import annotations

import random
import time

STEPS = 1_000_000
# Slots walked: about 40 kB and 4 MB of list slots and int objects (40 bytes a slot).
SMALL, LARGE = 1_000, 100_000


def cycle(slots: int) -> list[int]:
    """One random cycle through `slots` slots: each slot holds the next one's index (seeded:
    every run walks the same cycle)."""
    order = list(range(slots))
    random.Random(slots).shuffle(order)
    following = [0] * slots
    for here, there in zip(order, order[1:] + order[:1], strict=True):
        following[here] = there
    return following


def step_ns(slots: int, steps: int = STEPS) -> float:
    """Nanoseconds a step of a walk round `cycle(slots)`, each step reading the slot the last
    one named."""
    following = cycle(slots)
    at, start = 0, time.perf_counter()
    for _ in range(steps):
        at = following[at]
    return (time.perf_counter() - start) / steps * 1e9


def report() -> str:
    """One line: the walk over megabytes, over kilobytes, and the ratio (the best of three
    each)."""
    large = min(step_ns(LARGE) for _ in range(3))
    small = min(step_ns(SMALL) for _ in range(3))
    return (
        f"a random walk through 4 MB of objects takes {large:.0f} ns a step,"
        f" through 40 kB {small:.0f} ns ({large / small:.1f}x)"
    )


if __name__ == "__main__":
    print(f"memory now: {report()}")
