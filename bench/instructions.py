"""Instructions per request, this tree against a baseline commit, counted by valgrind.

    python bench/instructions.py [--base REF] [--requests N] [KIND ...]

Timings on a shared 2-core machine swing by half between runs, so a change that saves 5% cannot
be seen in them; an instruction count can: the same code counts the same to within about 0.5%.
Each KIND of `bench/workload.py` runs under cachegrind (no cache simulation) twice per tree, with
N requests and with none, and the difference over N is one request's instructions; the runs go
side by side, one a core (about 5 minutes on 2 cores for the four kinds). The baseline
is REF (default HEAD) checked out in a temporary worktree, run in the same invocation.

Instructions are not time: memory stalls are not counted, so a change that trades instructions
for memory traffic needs the timed rows of `make bench` too. With `--misses`, cachegrind also
simulates the caches, with a last-level cache of LAST_LEVEL (2 MB) for the 32 MB this machine's
processor has: in its slow phases neighbours hold most of it (a pointer chase over 4 MB then
took 45 ns a step, not the 15 ns of a cache hit), and a request's misses there go to memory.
Each request's last-level misses are printed beside its instructions (about twice as long to
run). A proxy, not a timing: on 3 December the 24,000 misses of a stateless feed with new
options, at about 200 ns each, were most of what its slow phase added to its time, but a
change that added misses to the plan page did not make it slower in the same hour.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from workload import KINDS, MOST

ROOT = Path(__file__).resolve().parent.parent
COUNTED = re.compile(r"I\s+refs:\s+([\d,]+)")
MISSED = re.compile(r"LL misses:\s+([\d,]+)")
# The last-level cache cachegrind simulates with --misses: size, ways, line (bytes).
LAST_LEVEL = "--LL=2097152,16,64"
Key = tuple[Path, str]


class Failed(Exception):
    """A run that did not finish, with what it printed."""


class Count(NamedTuple):
    """What one run counted: instructions, and last-level misses where simulated (else 0)."""

    instructions: int
    misses: int = 0


def counted(report: str) -> int:
    """The instruction count in cachegrind's summary."""
    return _number(COUNTED, report, "instruction count")


def missed(report: str) -> int:
    """The last-level misses (reads and writes) in cachegrind's summary."""
    return _number(MISSED, report, "last-level miss count")


def _number(pattern: re.Pattern[str], report: str, what: str) -> int:
    found = pattern.search(report)
    if found is None:
        raise Failed(f"no {what} in valgrind's output:\n{report[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_request(with_requests: int, without: int, requests: int) -> float:
    """One request's instructions, from a run with `requests` requests and one with none."""
    return (with_requests - without) / requests


def run(tree: Path, kind: str, requests: int, misses: bool = False) -> Count:
    """What one workload run on `tree`'s code counted (this tree's workload, so a baseline
    older than it runs the same requests; hash seed fixed: string hashes decide which caches
    meet which keys)."""
    env = os.environ | {"PYTHONPATH": f"{tree}:{ROOT / 'bench'}", "PYTHONHASHSEED": "0"}
    command = ["valgrind", "--tool=cachegrind", "--cachegrind-out-file=/dev/null"]
    command += ["--cache-sim=yes", LAST_LEVEL] if misses else ["--cache-sim=no"]
    command += [sys.executable, str(ROOT / "bench" / "workload.py"), kind, str(requests)]
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or f"done {tree}" not in done.stdout:
        raise Failed(f"{kind} on {tree} failed:\n{done.stdout[-1000:]}{done.stderr[-2000:]}")
    return Count(counted(done.stderr), missed(done.stderr) if misses else 0)


def measure(
    trees: Sequence[Path], kinds: Sequence[str], requests: int, misses: bool = False
) -> dict[Key, Count]:
    """One request's instructions (and misses) for each tree and kind: the runs side by side,
    one a core (a count does not depend on what else runs)."""
    runs = [(tree, kind, n) for tree in trees for kind in kinds for n in (requests, 0)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        counts = dict(zip(runs, pool.map(lambda r: run(*r, misses), runs), strict=True))
    found = {}
    for tree in trees:
        for kind in kinds:
            with_requests, without = counts[tree, kind, requests], counts[tree, kind, 0]
            found[tree, kind] = Count(
                *(per_request(a, b, requests) for a, b in zip(with_requests, without, strict=True))
            )
    return found


def arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="HEAD", help="the baseline commit (default HEAD)")
    parser.add_argument("--requests", type=int, default=40, help=f"per run, 1 to {MOST}")
    parser.add_argument(
        "--misses", action="store_true", help="also count last-level cache misses (2 MB)"
    )
    parser.add_argument("kinds", nargs="*", metavar="KIND", help=", ".join(KINDS))
    args = parser.parse_args(argv)
    unknown = [k for k in args.kinds if k not in KINDS]
    if unknown or not 1 <= args.requests <= MOST:
        parser.error(f"KIND is one of: {', '.join(KINDS)}; --requests is 1 to {MOST}")
    return args


def main(argv: Sequence[str]) -> int:
    args = arguments(argv)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(base), args.base],
            cwd=ROOT,
            check=True,
        )
        try:
            kinds = args.kinds or list(KINDS)
            found = measure((ROOT, base), kinds, args.requests, args.misses)
            print(f"Instructions per request (valgrind), this tree against {args.base}")
            print(f"   {'request':34} {'this tree':>12} {'baseline':>12}  ratio")
            for kind in kinds:
                ours, theirs = found[ROOT, kind].instructions, found[base, kind].instructions
                print(
                    f"   {kind:34} {ours / 1e6:11.2f}M {theirs / 1e6:11.2f}M  {ours / theirs:.3f}"
                )
            if args.misses:
                print("Last-level misses per request (cachegrind, a 2 MB last-level cache)")
                for kind in kinds:
                    ours, theirs = found[ROOT, kind].misses, found[base, kind].misses
                    ratio = ours / theirs if theirs else float("nan")
                    print(f"   {kind:34} {ours / 1e3:11.1f}k {theirs / 1e3:11.1f}k  {ratio:.3f}")
        except Failed as failed:
            print(failed, file=sys.stderr)
            return 1
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
