"""The real server (gunicorn with gunicorn.conf.py): slow clients, broken bodies, its logs."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from feeds.cli import restamp
from feeds.managed import build

ROOT = Path(__file__).resolve().parent.parent
# The server reads the real clock; any race this far ahead is valid on every day.
RACE = (date.today() + timedelta(days=120)).isoformat()


@dataclass(frozen=True)
class Server:
    base: str
    port: int
    log: Path
    pid: int  # gunicorn's arbiter


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Gunicorn as `make run` starts it (the shipped worker and thread counts), on a free port."""
    tmp = tmp_path_factory.mktemp("server")
    with serving(tmp / "feeds.sqlite3", tmp / "gunicorn.log") as started:
        yield started


@contextmanager
def serving(database: Path, log: Path, **settings: str) -> Iterator[Server]:
    """Gunicorn with gunicorn.conf.py on a free port, on the SQLite file `database`, its output in
    `log`; `settings`: more of its environment."""
    port = free_port()
    env = {
        **os.environ,
        "BIND": f"127.0.0.1:{port}",
        "FEEDS_DATABASE_URL": f"sqlite:///{database}",
        "FEEDS_SECRET_KEY": "server-test",
        **settings,
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, process)
        yield Server(base, port, log, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited at start-up"
        try:
            if get(f"{base}/healthz", timeout=1)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer /healthz within 60 s")


def trickle(port: int, count: int) -> list[socket.socket]:
    """Open `count` connections that start a request and then send almost nothing."""
    slow = []
    for _ in range(count):
        conn = socket.create_connection(("127.0.0.1", port))
        conn.sendall(b"GET /feeds/10k.ics HTTP/1.1\r\nHost: x\r\n")
        slow.append(conn)
    return slow


def timed_get(url: str) -> tuple[int, float]:
    started = time.monotonic()
    status, _ = get(url, timeout=10)
    return status, time.monotonic() - started


def test_slow_clients_do_not_starve_the_server(server: Server) -> None:
    # Twice the two connections that held both sync workers; each keeps sending a header line,
    # a quarter of a second apart, for a second and a half.
    slow = trickle(server.port, 4)
    try:
        for second in range(6):
            for conn in slow:
                conn.sendall(f"X-{second}: 1\r\n".encode())
            health = timed_get(f"{server.base}/healthz")
            feed = timed_get(f"{server.base}/feeds/10k.ics?race={RACE}")
            assert health[0] == 200 and feed[0] == 200
            assert health[1] < 1.0 and feed[1] < 2.0, (health, feed)
            time.sleep(0.25)
    finally:
        for conn in slow:
            conn.close()


def test_a_worker_holds_no_more_connections_than_worker_connections(tmp_path: Path) -> None:
    """WORKER_CONNECTIONS=1: while a trickling request holds the one connection, the next waits
    in the queue the workers accept from, though a thread is free, and is answered once that
    request is done (the reason the setting is only for servers behind a proxy that reads each
    request whole)."""
    held = {"WORKERS": "1", "THREADS": "2", "WORKER_CONNECTIONS": "1", "RESTAMP_ON_START": "0"}
    with serving(tmp_path / "feeds.sqlite3", tmp_path / "gunicorn.log", **held) as started:
        slow = trickle(started.port, 1)[0]
        try:
            answered: list[tuple[int, float]] = []
            waiting = threading.Thread(
                target=lambda: answered.append(timed_get(f"{started.base}/healthz"))
            )
            waiting.start()
            waiting.join(1.5)
            assert waiting.is_alive() and not answered  # not accepted meanwhile
            slow.sendall(b"\r\n")  # the trickled request is whole: answered, then closed
            waiting.join(10)
            assert answered and answered[0][0] == 200
        finally:
            slow.close()


def workers_of(arbiter: int, count: int) -> list[int]:
    """The arbiter's worker processes (forked, so with its command line: not the restamp it
    starts), once `count` of them have started."""
    children = Path(f"/proc/{arbiter}/task/{arbiter}/children")
    command = Path(f"/proc/{arbiter}/cmdline").read_bytes()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        pids = [int(pid) for pid in children.read_text().split()]
        pids = [pid for pid in pids if _command_of(pid) == command]
        if len(pids) >= count:
            return pids
        time.sleep(0.05)
    raise AssertionError(f"gunicorn started fewer than {count} workers in 10 s")


def _command_of(pid: int) -> bytes | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # gone meanwhile
        return None


def test_each_worker_has_a_core_of_its_own(server: Server) -> None:
    # Where the machine has a core for each of the two workers, each is pinned to its own;
    # elsewhere (one core) both are left to the scheduler. Threads started later inherit it.
    cpus = os.sched_getaffinity(0)
    cores = [os.sched_getaffinity(pid) for pid in workers_of(server.pid, 2)]
    if len(cpus) >= 2:
        assert all(len(held) == 1 for held in cores), cores
        assert len(set().union(*cores)) == 2, cores
    else:
        assert all(held == cpus for held in cores), cores


def raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request)
        conn.shutdown(socket.SHUT_WR)
        return b"".join(iter(lambda: conn.recv(65536), b""))


def test_a_malformed_chunked_body_is_a_400(server: Server) -> None:
    answer = raw(
        server.port,
        b"POST /api/subscriptions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]


def test_the_server_logs_hold_no_token(server: Server) -> None:
    token = "Qm9vX2ZlZWRfdG9rZW5fdGhhdF9pc19sb25nX2Vub3VnaA"
    for path in (f"/s/{token}.ics", f"/manage/{token}", f"/manage//{token}"):
        get(f"{server.base}{path}")
    raw(server.port, f"GET /api/subscriptions/{token} HTTP/1.1\r\nHost: a b\r\n\r\n".encode())
    # The four access lines, once the workers have written them.
    deadline = time.monotonic() + 5
    while server.log.read_text().count("[redacted]") < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    text = server.log.read_text()
    assert text.count("[redacted]") >= 4
    assert token not in text


# Restamping at start-up (gunicorn.conf.py, `when_ready`) ---------------------------------------

PLANS = [
    {"distance": "10k", "race": RACE},
    {"distance": "marathon", "race": RACE, "time": "07:00", "tz": "Europe/Berlin"},
    {"distance": "5k", "race": RACE, "equipment": "none", "level": "new"},
]


def older_release_plans(
    database: Path, migrated_sqlite: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PLANS saved in a new SQLite file by an older release (other code, so another build)."""
    from conftest import app_on, sqlite_copy

    sqlite_copy(migrated_sqlite, database)
    monkeypatch.setattr(build, "code_digest", lambda: "an older release")
    build._build.cache_clear()
    apps = app_on(f"sqlite:///{database}")
    try:
        client = next(apps).test_client()
        for fields in PLANS:
            assert client.post("/api/subscriptions", json=fields).status_code == 201
    finally:
        apps.close()
        monkeypatch.undo()
        build._build.cache_clear()


def stored_by_another_build(database: Path) -> int:
    """How many plans in `database` this build reads by checking every event (`restamp --check`)."""
    from conftest import app_on

    apps = app_on(f"sqlite:///{database}")
    try:
        counted = next(apps).test_cli_runner().invoke(restamp, ["--check"]).output
    finally:
        apps.close()
    return int(counted.split(", ")[1].split(" stored by another build")[0])


def test_the_server_brings_saved_plans_up_to_its_release_by_itself(
    tmp_path: Path, migrated_sqlite: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "feeds.sqlite3"
    older_release_plans(database, migrated_sqlite, monkeypatch)
    assert stored_by_another_build(database) == len(PLANS)
    with serving(database, tmp_path / "gunicorn.log") as started:
        deadline = time.monotonic() + 60
        while "stored for this release" not in started.log.read_text():
            assert time.monotonic() < deadline, started.log.read_text()
            time.sleep(0.2)
        log = started.log.read_text()
        assert f"{len(PLANS)} plans read, {len(PLANS)} stored for this release" in log
        assert get(f"{started.base}/feeds/10k.ics?race={RACE}")[0] == 200
    assert stored_by_another_build(database) == 0


def test_restamp_on_start_can_be_turned_off(
    tmp_path: Path, migrated_sqlite: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "feeds.sqlite3"
    older_release_plans(database, migrated_sqlite, monkeypatch)
    with serving(database, tmp_path / "gunicorn.log", RESTAMP_ON_START="0") as started:
        # Long enough for the restamp of three plans, had one started (well under a second).
        time.sleep(3)
        assert "restamp" not in started.log.read_text().lower()
    assert stored_by_another_build(database) == len(PLANS)


def test_a_restamp_still_running_stops_with_the_server() -> None:
    """Stopping is safe at any point of a restamp: each batch is its own transaction."""
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    assert spec is not None and spec.loader is not None
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    conf._restamps.append(running)
    conf.on_exit(None)
    assert running.poll() is not None
