"""Work of a worker that died goes back to the queue and finishes; its leftovers are swept."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import task

from scape.core.choices import JobStatus
from scape.core.models import AuditEvent, Job, WorkerHeartbeat
from scape.core.progress import finish_job
from scape.core.recovery import requeue_orphans, sweep_temp

pytestmark = pytest.mark.django_db


@task()
def count_to(job_id: int, n: int) -> dict:
    """A task that, like every SCAPE task, may be run again from the start."""
    return finish_job(job_id, JobStatus.SUCCEEDED, "counted", total=sum(range(n)))


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _claimed(worker: str, *, minutes_ago: int = 5):
    from django_tasks_db.models import DBTaskResult

    job = Job.objects.create(kind="test", title="count", status=JobStatus.RUNNING, progress=0.4)
    result = count_to.enqueue(job.pk, 10)
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker)  # what the worker did before it was killed
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return job, row


def test_a_task_of_a_killed_worker_is_queued_again_and_finishes(db_tasks):
    job, row = _claimed("host-123-dead")
    assert requeue_orphans() == 1
    row.refresh_from_db()
    job.refresh_from_db()
    assert row.status == "READY"
    assert job.status == JobStatus.QUEUED and "queued again" in job.message
    assert AuditEvent.objects.filter(action="core.task_requeued").count() == 1
    assert requeue_orphans() == 0  # once, not on every sweep

    # A new worker finds it among the ready tasks and runs it (the worker's own
    # loop would also close the test's database connection between polls).
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready().get()
    assert ready.pk == row.pk
    ready.claim("host-456-new")
    worker = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=1, worker_id="host-456-new", excluded_queue_names=[],
    )  # fmt: skip
    worker.run_task(ready)
    job.refresh_from_db()
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and job.status == JobStatus.SUCCEEDED


def test_a_task_of_a_live_worker_is_left_alone(db_tasks):
    WorkerHeartbeat.objects.create(
        worker_id="host-789-alive",
        hostname="host",
        pid=789,
        started_at=timezone.now(),
        seen_at=timezone.now(),
    )
    job, _row = _claimed("host-789-alive")
    assert requeue_orphans() == 0
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def test_it_sweeps_old_leftover_folders_only(tmp_path):
    old, fresh, other = tmp_path / "tmpabc", tmp_path / "tmpdef", tmp_path / "keep-me"
    for path in (old, fresh, other):
        path.mkdir()
        (path / "frame.jpg").write_bytes(b"x")
    past = time.time() - 13 * 3600
    os.utime(old, (past, past))
    os.utime(other, (past, past))
    assert sweep_temp(tmp_path, prefixes=("tmp",)) == 1
    assert not old.exists() and fresh.exists() and other.exists()


def test_the_beat_of_the_job_decides_over_the_worker_row(db_tasks):
    # The job's own beat goes on: left alone, even if its worker's row is gone.
    beating, _row = _claimed("host-321-busy")
    Job.objects.filter(pk=beating.pk).update(heartbeat_at=timezone.now())
    assert requeue_orphans() == 0
    # Its worker still beats, but this job's beat stopped (the worker lost it).
    WorkerHeartbeat.objects.create(
        worker_id="host-321-busy", hostname="host", pid=321,
        started_at=timezone.now(), seen_at=timezone.now(),
    )  # fmt: skip
    Job.objects.filter(pk=beating.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert requeue_orphans() == 1
    beating.refresh_from_db()
    assert beating.status == JobStatus.QUEUED and beating.heartbeat_at is None
