"""Progress of long work on its core Job row, shared by every app's tasks.

(An app's ``jobs.py`` is something else: its periodic jobs, run by the worker's
scheduler, ``scape.core.schedule``.)"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from scape.core.choices import JobStatus
from scape.core.models import Job

# Writing progress more often than this only loads the database.
PROGRESS_EVERY_S = 1.0
# The queue of the video work (face and plate finding, redacted copies,
# transcodes), served by `scape worker --queue-name vision` on GPU machines;
# every other task goes to "default" (settings.TASKS lists both).
VISION_QUEUE = "vision"


def update_job(job: Job | int | None, **fields: Any) -> None:
    """Write fields on the job row (given as a Job or its id); nothing when there is none."""
    if job is None:
        return
    pk = job.pk if isinstance(job, Job) else job
    Job.objects.filter(pk=pk).update(updated_at=timezone.now(), **fields)


def finish_job(job: Job | int | None, status: str, message: str, **result: Any) -> dict[str, Any]:
    """Record how the job ended (progress 1 on success) and return the task's result."""
    fields: dict[str, Any] = {"status": status, "message": message}
    if status == JobStatus.SUCCEEDED:
        fields["progress"] = 1.0
    update_job(job, **fields)
    return {"status": status, "message": message, **result}


def progress_reporter(job: Job | int | None) -> Callable[[float], None]:
    """Return report(fraction) that writes the job's progress at most once a second."""
    last = 0.0

    def report(fraction: float) -> None:
        nonlocal last
        now = time.monotonic()
        if job is not None and now - last >= PROGRESS_EVERY_S:
            last = now
            update_job(job, progress=round(min(1.0, max(0.0, fraction)), 3))

    return report


def enqueue_on_commit(task: Any, job: Job | int | None, *args: Any) -> None:
    """Queue ``task(*args)`` once the transaction commits, and note its result on the job.

    The job row then knows its task, so a worker that dies with it can be
    found and its work given back to the queue (scape.core.recovery).
    """
    pk = job.pk if isinstance(job, Job) else job

    def enqueue() -> None:
        result = task.enqueue(*args)
        if pk is not None:
            Job.objects.filter(pk=pk).update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)
