"""Gunicorn settings: `make run` locally, and the app servers of a deployment (README).

Environment: BIND (default 127.0.0.1:$PORT, PORT default 8000), WORKERS (processes, default 2),
THREADS (per process, default 8), WORKER_CONNECTIONS (connections a process holds at once,
default gunicorn's 1000; see below), ACCESS_LOG ("-" for standard output, the default; a file; or
"off"), PIN_WORKERS ("0" leaves every worker to the scheduler; see `post_fork`),
RESTAMP_ON_START ("0": no restamp at start-up; see `when_ready`).
"""

import gc
import os
import subprocess
import sys
from typing import Any

bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WORKERS", "2"))
# Threads, not sync workers: a slow or trickling client holds one thread, not a whole process,
# and gunicorn parks connections that send nothing for a while without using a thread at all.
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "8"))
# A threaded worker accepts every connection it can hold and queues it for its own threads, so
# under load each worker has a queue of its own: a request can wait behind a busy worker while
# the other is free. Holding no more connections than it has threads (THREADS=2
# WORKER_CONNECTIONS=2) leaves the rest in the one queue both workers accept from: a much lower
# p99 on the million plans at 350 fetches a second (measured: README, Scaling, "The server's
# shape"). It also turns keep-alive off, and a client that trickles its request holds a
# connection a worker could have accepted: four such clients starve a 2 x 2 server. So only
# behind a proxy that reads each request whole before passing it on (nginx does by default);
# the default stays gunicorn's.
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", "1000"))
# ACCESS_LOG: where the access log goes ("-": standard output), or "off" (a load test, or a proxy
# in front that logs the same requests).
accesslog = None if os.environ.get("ACCESS_LOG") == "off" else os.environ.get("ACCESS_LOG", "-")
# Gunicorn 25+ opens a control socket at one fixed path in $HOME, which two servers on one
# machine would fight over; nothing here uses it.
control_socket_disable = True
# Feed and manage URLs carry secrets: keep them out of the access and error logs.
logger_class = "feeds.logs.RedactingLogger"


def post_worker_init(worker: object) -> None:
    """Move the loaded app (plan data, templates, modules) out of the garbage collector's sight.

    Those objects live as long as the worker, so every full collection would walk them again.
    """
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    """Give the new worker a core of its own (Linux), where there is one for every worker.

    Left to the scheduler, both workers of a 2-core machine often ran on one core while the other
    served PostgreSQL: at 200 cold feeds a second on a million plans, p99 was 275-386 ms unpinned
    and 55-57 ms pinned, alternating in one period (README, Scaling). Threads the worker starts
    later inherit its core. A worker that replaces another takes a core no live sibling holds.
    """
    if os.environ.get("PIN_WORKERS") == "0" or not hasattr(os, "sched_setaffinity"):
        return
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2 or len(cpus) < workers:
        return
    taken: set[int] = set()
    for pid in server.WORKERS:  # the siblings the arbiter had when it forked this worker
        if pid == os.getpid():
            continue
        try:
            held = os.sched_getaffinity(pid)
        except OSError:  # gone meanwhile
            continue
        if len(held) == 1:
            taken |= held
    free = [cpu for cpu in cpus if cpu not in taken]
    if free:
        os.sched_setaffinity(0, {free[0]})


# The restamp `when_ready` starts, stopped with the server (`on_exit`).
_restamps: list[subprocess.Popen[bytes]] = []


def when_ready(server: Any) -> None:
    """Once the server listens, bring saved plans up to this release in the background.

    A plan stored by another build (new code or plan data) is read by checking every event again,
    about twice a read's CPU, until `flask plans restamp` has stored its states as this build
    reads them (README, "Reads by the build that wrote"). Started here, it is never forgotten
    after a release: at the lowest priority, so it takes only CPU the workers leave, and with
    `--share`, so servers on one PostgreSQL share the work, each taking the parts of the plans no
    other holds. Plans already this build's are only read (`plans restamp --check` reads a
    million in about 41 s).
    """
    if os.environ.get("RESTAMP_ON_START") == "0":
        return
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "plans", "restamp", "--share"]
    server.log.info("Restamping saved plans in the background: %s", " ".join(command[1:]))
    # The arbiter runs no threads of its own, so a function before exec is safe here.
    _restamps.append(subprocess.Popen(command, preexec_fn=_lowest_priority))


def _lowest_priority() -> None:
    os.nice(19)


def on_exit(server: Any) -> None:
    """Stop a restamp still running (safe at any point: each batch is its own transaction)."""
    for process in _restamps:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
