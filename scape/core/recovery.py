"""Give back the work of a worker that died, and sweep what it left behind.

A worker killed mid-task (``kill -9``, a machine lost, out of memory) leaves its
task result RUNNING and its Job "running" for ever: nothing would run the task
again and the page would wait. Every worker beats for itself
(``WorkerHeartbeat``) and for the job it runs (``Job.heartbeat_at``, see
``scape worker``). A running task is given back to the queue, and its Job says
so, when the beat of its job stopped for ``dead_after`` — or, for a task with
no job, when the worker that claimed it stopped beating. Tasks are idempotent
(ARCHITECTURE.md, rule 5), so running one again from the start leaves no
duplicate.

The re-queue runs under a row lock on the task result: two workers sweeping at
the same moment re-queue it once, and a task its worker finished in the
meantime is left alone.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scape.core import audit
from scape.core.choices import JobStatus
from scape.core.models import Job, WorkerHeartbeat

# Temporary folders a killed task leaves: tempfile's own "tmp…" folders inside
# a staging folder that only SCAPE writes to, and "scape-…" folders anywhere.
# They are removed once older than the longest task could run.
TEMP_MAX_AGE = timedelta(hours=12)


def dead_after() -> timedelta:
    """Return how long a silent worker is given before its tasks are taken back."""
    return timedelta(seconds=3 * settings.SCAPE_WORKER_HEARTBEAT_SECONDS)


def requeue_orphans() -> int:
    """Put back in the queue the running tasks whose beat stopped; return how many."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    limit = now - dead_after()
    live = {
        w[:64]
        for w in WorkerHeartbeat.objects.filter(seen_at__gte=limit).values_list(
            "worker_id", flat=True
        )
    }
    candidates = list(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=limit
        ).values_list("pk", "worker_ids")
    )
    beats = dict(
        Job.objects.filter(
            task_result_id__in=[str(pk) for pk, _w in candidates], heartbeat_at__isnull=False
        ).values_list("task_result_id", "heartbeat_at")
    )
    requeued = 0
    for pk, worker_ids in candidates:
        beat = beats.get(str(pk))
        if beat is not None and beat >= limit:
            continue  # its job's beat goes on
        if beat is None and worker_ids and worker_ids[-1] in live:
            continue  # no job beats for it: its worker's own beat decides
        with transaction.atomic():
            result = DBTaskResult.objects.select_for_update().filter(pk=pk).first()
            if result is None or result.status != TaskResultStatus.RUNNING:
                continue
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            Job.objects.filter(
                task_result_id=str(pk), status__in=[JobStatus.RUNNING, JobStatus.QUEUED]
            ).update(
                status=JobStatus.QUEUED,
                progress=0.0,
                heartbeat_at=None,
                message=_("The worker doing this stopped; the work was queued again."),
                updated_at=now,
            )
            audit.record(
                "core.task_requeued",
                object_type="django_tasks_db.dbtaskresult",
                object_id=str(pk),
                object_repr=result.task_path[:200],
                details={"worker": worker_ids[-1] if worker_ids else ""},
            )
        requeued += 1
    return requeued


def sweep_temp(
    root: Path | None = None,
    *,
    prefixes: tuple[str, ...] = ("scape-",),
    max_age: timedelta = TEMP_MAX_AGE,
) -> int:
    """Remove folders named with ``prefixes`` older than ``max_age`` in ``root``; return how many.

    ``root`` defaults to the system temporary folder, where only "scape-" folders
    are ours; a staging folder of SCAPE's own may be swept with ``("tmp",)`` too.
    """
    root = root or Path(tempfile.gettempdir())
    cutoff = time.time() - max_age.total_seconds()
    removed = 0
    for path in root.iterdir() if root.is_dir() else ():
        if not path.name.startswith(prefixes) or not path.is_dir() or path.is_symlink():
            continue
        try:
            if path.stat().st_mtime >= cutoff:
                continue
        except FileNotFoundError:
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed += 1
    return removed
