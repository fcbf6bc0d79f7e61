"""A slow task for the worker-kill test, importable by a `scape worker` subprocess."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task

from scape.core.choices import JobStatus
from scape.core.progress import VISION_QUEUE, finish_job, update_job


@task()
def slow_count(job_id: int, steps: int, marker: str) -> dict:
    """Count slowly; note each start and each end in `marker`, as a side effect a test can see."""
    with Path(marker).open("a") as out:
        out.write("start\n")
    update_job(job_id, status=JobStatus.RUNNING)
    for step in range(steps):
        time.sleep(0.2)
        update_job(job_id, progress=round((step + 1) / steps, 3))
    with Path(marker).open("a") as out:
        out.write("end\n")
    return finish_job(job_id, JobStatus.SUCCEEDED, "counted")


@task()
def note_default(marker: str) -> None:
    """Write "default" in `marker` (a task of the default queue)."""
    with Path(marker).open("a") as out:
        out.write("default\n")


@task(queue_name=VISION_QUEUE)
def note_vision(marker: str) -> None:
    """Write "vision" in `marker` (a task of the vision queue)."""
    with Path(marker).open("a") as out:
        out.write("vision\n")
