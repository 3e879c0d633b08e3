"""The instance folder: the app's own files (the default database, a generated secret key)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask


def init_app(app: Flask) -> None:
    """Create the instance folder; without a configured SECRET_KEY, keep a generated one there."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")


def _instance_secret(path: Path) -> str:
    """Read the instance's secret key, creating it once (atomically: workers start together)."""
    if not path.exists():
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
