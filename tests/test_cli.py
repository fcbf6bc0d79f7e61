"""The `scape` command on its own database, as an operator runs it."""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

SCAPE = [sys.executable, "-m", "scape.cli"]


def _run(args: list[str], env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SCAPE, *args], env=env, capture_output=True, text=True, timeout=240, check=check
    )


@pytest.fixture
def instance(tmp_path: Path) -> dict[str, str]:
    """An independent SCAPE instance: its own SQLite database and media folder."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        SCAPE_VAR_DIR=str(tmp_path / "var"),
        SCAPE_MEDIA_ROOT=str(tmp_path / "media"),
        SCAPE_TESTING="1",
    )
    return env


def test_demo_data_loads_once_and_the_audit_chain_verifies(instance, tmp_path):
    first = _run(["demo", "--load-only"], instance)
    assert "records created" in first.stdout
    second = _run(["demo", "--load-only"], instance)
    assert "nothing changed" in second.stdout
    verify = _run(["audit", "verify"], instance)
    assert "intact" in verify.stdout and "signed checkpoints" in verify.stdout

    db = sqlite3.connect(tmp_path / "var" / "scape.sqlite3")
    with db:
        db.execute("UPDATE core_auditevent SET reason = 'tampered' WHERE id = 7")
    db.close()
    broken = _run(["audit", "verify"], instance, check=False)
    assert broken.returncode == 1
    assert "event 7" in broken.stderr


def test_it_runs_any_manage_py_command(instance):
    result = _run(["check"], instance)
    assert "no issues" in result.stdout


def test_production_settings_pass_the_deployment_check(instance):
    env = dict(
        instance,
        SCAPE_ENV="production",
        SCAPE_SECRET_KEY=secrets.token_urlsafe(50),
        SCAPE_ALLOWED_HOSTS="scape.example.org",
    )
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(instance):
    env = dict(instance, SCAPE_ENV="production")
    env.pop("SCAPE_SECRET_KEY", None)
    result = _run(["check"], env, check=False)
    assert result.returncode != 0
    assert "SCAPE_SECRET_KEY must be set" in result.stderr
