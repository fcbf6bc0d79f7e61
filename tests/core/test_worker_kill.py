"""A `scape worker` killed with SIGKILL mid-job: another worker takes the job over and finishes it.

This runs real worker processes on their own SQLite database, as an operator
runs them; nothing in the worker or the recovery is called in-process.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCAPE = [sys.executable, "-m", "scape.cli"]


@pytest.fixture
def instance(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(
        SCAPE_VAR_DIR=str(tmp_path / "var"),
        SCAPE_MEDIA_ROOT=str(tmp_path / "media"),
        SCAPE_TESTING="1",
        SCAPE_WORKER_HEARTBEAT_SECONDS="0.5",
        PYTHONPATH=str(ROOT),
    )
    subprocess.run(
        [*SCAPE, "migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True, timeout=240
    )
    return env


def _job(db: Path) -> tuple[str, float, str]:
    with sqlite3.connect(db, timeout=20) as conn:
        row = conn.execute("SELECT status, progress, worker_id FROM core_job").fetchone()
    return row


def _wait(predicate, log: Path, timeout: float = 180.0) -> None:
    # Generous: on a loaded 2-core machine a worker takes a while to start.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate(_job(log.parent / "var" / "scape.sqlite3")):
            return
        time.sleep(0.2)
    raise AssertionError(f"waited too long; the worker said:\n{log.read_text()}")


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*SCAPE, "worker", "--interval", "0.1"],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def test_a_job_of_a_killed_worker_is_finished_by_another_once(instance, tmp_path):
    db = tmp_path / "var" / "scape.sqlite3"
    marker = tmp_path / "marker.txt"
    enqueue = (
        "from scape.core.models import Job\n"
        "from tests.core.slow_tasks import slow_count\n"
        "job = Job.objects.create(kind='test', title='count')\n"
        f"result = slow_count.enqueue(job.pk, 40, {str(marker)!r})\n"
        "Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))\n"
    )
    subprocess.run(
        [*SCAPE, "shell", "-c", enqueue], env=instance, cwd=ROOT, check=True, timeout=120
    )

    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = _worker(instance, first_log)
    try:
        # Killed half-way, once its job has beaten and made progress.
        _wait(lambda job: job[0] == "running" and job[1] >= 0.3 and bool(job[2]), first_log)
        killed_by = _job(db)[2]
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert marker.read_text() == "start\n"
    time.sleep(0.5)
    assert _job(db)[0] == "running"  # nothing else would ever finish it

    second = _worker(instance, second_log)
    try:
        _wait(lambda job: job[0] == "succeeded", second_log)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)

    _status, progress, worker = _job(db)
    assert progress == 1.0 and worker != killed_by
    # Run again from the start, finished once.
    assert marker.read_text() == "start\nstart\nend\n"
    with sqlite3.connect(db) as conn:
        (task_status,) = conn.execute(
            "SELECT status FROM django_tasks_database_dbtaskresult"
        ).fetchone()
        requeued = conn.execute(
            "SELECT COUNT(*) FROM core_auditevent WHERE action = 'core.task_requeued'"
        ).fetchone()[0]
        beating = {w for (w,) in conn.execute("SELECT worker_id FROM core_workerheartbeat")}
    assert task_status == "SUCCESSFUL" and requeued == 1
    # The killed worker could not clean up after itself; the stopped one did.
    assert beating == {killed_by}
