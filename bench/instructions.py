"""Instructions per request, this tree against a baseline commit, counted by valgrind.

    python bench/instructions.py [--base REF] [--requests N] [KIND ...]

Timings on a shared 2-core machine swing by half between runs, so a change that saves 5% cannot
be seen in them; an instruction count can: the same code counts the same to within about 0.5%.
Each KIND of `bench/workload.py` runs under cachegrind (no cache simulation) twice per tree, with
N requests and with none, and the difference over N is one request's instructions; the runs go
side by side, one a core (about 5 minutes on 2 cores for the four kinds). The baseline
is REF (default HEAD) checked out in a temporary worktree, run in the same invocation.

Instructions are not time: memory stalls are not counted, so a change that trades instructions
for memory traffic needs the timed rows of `make bench` too.
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

from workload import KINDS, MOST

ROOT = Path(__file__).resolve().parent.parent
COUNTED = re.compile(r"I\s+refs:\s+([\d,]+)")
Key = tuple[Path, str]


class Failed(Exception):
    """A run that did not finish, with what it printed."""


def counted(report: str) -> int:
    """The instruction count in cachegrind's summary."""
    found = COUNTED.search(report)
    if found is None:
        raise Failed(f"no instruction count in valgrind's output:\n{report[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_request(with_requests: int, without: int, requests: int) -> float:
    """One request's instructions, from a run with `requests` requests and one with none."""
    return (with_requests - without) / requests


def run(tree: Path, kind: str, requests: int) -> int:
    """Instructions of one workload run on `tree`'s code (this tree's workload, so a baseline
    older than it runs the same requests; hash seed fixed: string hashes decide which caches
    meet which keys)."""
    env = os.environ | {"PYTHONPATH": f"{tree}:{ROOT / 'bench'}", "PYTHONHASHSEED": "0"}
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    command += [sys.executable, str(ROOT / "bench" / "workload.py"), kind, str(requests)]
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or f"done {tree}" not in done.stdout:
        raise Failed(f"{kind} on {tree} failed:\n{done.stdout[-1000:]}{done.stderr[-2000:]}")
    return counted(done.stderr)


def measure(trees: Sequence[Path], kinds: Sequence[str], requests: int) -> dict[Key, float]:
    """One request's instructions for each tree and kind: the runs side by side, one a core
    (a count does not depend on what else runs)."""
    runs = [(tree, kind, n) for tree in trees for kind in kinds for n in (requests, 0)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        counts = dict(zip(runs, pool.map(lambda r: run(*r), runs), strict=True))
    return {
        (tree, kind): per_request(counts[tree, kind, requests], counts[tree, kind, 0], requests)
        for tree in trees
        for kind in kinds
    }


def arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="HEAD", help="the baseline commit (default HEAD)")
    parser.add_argument("--requests", type=int, default=40, help=f"per run, 1 to {MOST}")
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
            found = measure((ROOT, base), kinds, args.requests)
            print(f"Instructions per request (valgrind), this tree against {args.base}")
            print(f"   {'request':34} {'this tree':>12} {'baseline':>12}  ratio")
            for kind in kinds:
                ours, theirs = found[ROOT, kind], found[base, kind]
                ratio = ours / theirs
                print(f"   {kind:34} {ours / 1e6:11.2f}M {theirs / 1e6:11.2f}M  {ratio:.3f}")
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
