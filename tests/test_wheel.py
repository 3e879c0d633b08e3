"""The service installs as a wheel and starts from it: plans and migrations ship inside."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = """
import json, sys
from freezegun import freeze_time
freeze_time("2026-11-25").start()  # the race below stays in the future whatever today is
import feeds
from feeds import create_app
app = create_app({"DATABASE_URL": "sqlite:///" + sys.argv[1], "SECRET_KEY": "t"})
client = app.test_client()
feed = client.get("/feeds/5k.ics?race=2027-06-06")
plan = client.post("/api/subscriptions", json={"distance": "10k", "race": "2027-06-06"})
print(json.dumps({"file": feeds.__file__, "feed": feed.status_code,
                  "events": feed.data.count(b"BEGIN:VEVENT"), "plan": plan.status_code}))
"""


def test_the_built_wheel_installs_and_serves_feeds_and_plans(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    build = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)]
    subprocess.run(build, check=True, capture_output=True)
    [wheel] = wheels.glob("strength_feeds-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # The dependencies come from the test environment; the service itself only from the wheel.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site)]
    subprocess.run([*install, str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ran = subprocess.run(
        [python, "-c", RUN, str(tmp_path / "plans.sqlite3")],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
    )
    got = json.loads(ran.stdout.strip().splitlines()[-1])
    assert got["file"].startswith(str(site))
    assert got["feed"] == 200 and got["events"] > 40
    assert got["plan"] == 201
