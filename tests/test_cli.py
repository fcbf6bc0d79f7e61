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


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_the_demo_refuses_a_taken_port_at_once_and_says_how_to_choose_another(instance):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run(["demo", "--addr", f"127.0.0.1:{port}"], instance, check=False)
    assert result.returncode != 0
    assert f"Cannot serve on 127.0.0.1:{port}" in result.stderr
    assert f"--addr 127.0.0.1:{port + 1}" in result.stderr and "make run ADDR=" in result.stderr
    assert not (Path(instance["SCAPE_VAR_DIR"]) / "scape.sqlite3").exists()  # nothing started


def test_the_demo_stops_its_worker_on_sigterm_and_shows_no_debug_pages(instance):
    import signal
    import socket
    import time
    import urllib.error
    import urllib.request

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    demo = subprocess.Popen(
        [*SCAPE, "demo", "--addr", f"127.0.0.1:{port}"],
        env=instance, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError):
                assert demo.poll() is None and time.monotonic() < deadline, "the demo did not start"
                time.sleep(0.5)
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=10)
        page = missing.value.read().decode()
        assert missing.value.code == 404
        assert "URLconf" not in page and "urlpatterns" not in page  # SCAPE's page, not Django's
        workers = _children(demo.pid)
        assert workers, "the demo started no worker"
        demo.send_signal(signal.SIGTERM)
        demo.wait(60)
    finally:
        if demo.poll() is None:
            demo.kill()
    for pid in workers:
        assert (
            not Path(f"/proc/{pid}").exists()
            or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
        ), f"worker {pid} outlived the demo"


def test_the_demo_explains_an_address_without_a_port(instance):
    result = _run(["demo", "--addr", "nonsense"], instance, check=False)
    assert result.returncode != 0
    assert "--addr nonsense: give address:port, e.g. 127.0.0.1:8080" in result.stderr
