"""`scape worker`: run background tasks and periodic jobs; beat for /healthz and for each job.

Three threads: the task loop (django-tasks' ``db_worker``), the heartbeat, and
the periodic jobs. The heartbeat has its own thread so that a long periodic job
(a checkpoint, a sweep) never delays it: a late beat would make the other
workers take this one's running job away from it and run it twice.

Each beat marks the worker alive (``WorkerHeartbeat``, shown by /healthz) and
the job it is running (``Job.heartbeat_at``); ``scape.core.recovery`` gives a
running job whose beat stopped back to the queue. When the task loop dies the
process exits with an error and its heartbeat row is removed, so health fails
instead of saying "worker ok" about a worker that does nothing.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import uuid
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone

from scape.core import schedule
from scape.core.choices import JobStatus
from scape.core.models import Job, WorkerHeartbeat


class _Running:
    """The ids of the task results this process is running now (one at a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: set[str] = set()

    def add(self, task_id: str) -> None:
        with self._lock:
            self._ids.add(task_id)

    def discard(self, task_id: str) -> None:
        with self._lock:
            self._ids.discard(task_id)

    def ids(self) -> list[str]:
        with self._lock:
            return list(self._ids)


def _mark_jobs(worker_id: str, task_ids: list[str]) -> None:
    if task_ids:
        Job.objects.filter(
            task_result_id__in=task_ids, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).update(worker_id=worker_id, heartbeat_at=timezone.now())


def _beat(worker_id: str, started: Any, running: _Running, stop: threading.Event) -> None:
    interval = settings.SCAPE_WORKER_HEARTBEAT_SECONDS
    try:
        while not stop.is_set():
            close_old_connections()
            # A missed beat must never stop the worker; the next one comes.
            with contextlib.suppress(Exception):
                WorkerHeartbeat.objects.update_or_create(
                    worker_id=worker_id,
                    defaults={
                        "hostname": socket.gethostname()[:255],
                        "pid": os.getpid(),
                        "started_at": started,
                        "seen_at": timezone.now(),
                    },
                )
                _mark_jobs(worker_id, running.ids())
            stop.wait(interval)
        WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
    finally:
        connection.close()


def _periodic(stop: threading.Event) -> None:
    interval = min(settings.SCAPE_WORKER_HEARTBEAT_SECONDS, 10)
    try:
        while not stop.is_set():
            close_old_connections()
            # A failing periodic job is logged in its ScheduleState; the others go on.
            with contextlib.suppress(Exception):
                schedule.run_due()
            stop.wait(interval)
    finally:
        connection.close()


class Command(BaseCommand):
    help = (
        "Run a background worker: it takes tasks from the database queue (django-tasks), "
        "beats every SCAPE_WORKER_HEARTBEAT_SECONDS for itself and its job, gives back the "
        "tasks of workers that stopped beating, and (when it serves 'default') runs the "
        "periodic jobs. SIGTERM stops it once the task in hand is done; a second one at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue-name",
            "--queue",
            dest="queue_name",
            default="*",
            help=(
                "queues to serve, comma-separated: 'default' (exports, reports, "
                "notifications, ingest), 'vision' (face and plate finding, redacted "
                "copies, video transcodes: run it on GPU machines), or '*' for all "
                "(the default, for a single machine)"
            ),
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help=(
                "seconds to wait before looking again when the queue is empty "
                "(default 1; a lower value starts work sooner and asks the database more)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django_tasks.signals import task_finished, task_started

        worker_id = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"[:64]
        running = _Running()

        def started(sender: Any, task_result: Any, **kwargs: Any) -> None:
            running.add(str(task_result.id))
            with contextlib.suppress(Exception):
                _mark_jobs(worker_id, [str(task_result.id)])

        def finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
            running.discard(str(task_result.id))

        task_started.connect(started, weak=False, dispatch_uid=f"scape-beat-{worker_id}")
        task_finished.connect(finished, weak=False, dispatch_uid=f"scape-done-{worker_id}")
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=_beat,
                args=(worker_id, timezone.now(), running, stop),
                name="heartbeat",
                daemon=True,
            ),
        ]
        # The periodic jobs (integrity checks, retention, report figures) belong
        # to the machines that serve the default queue, not to vision workers.
        queues = {name.strip() for name in options["queue_name"].split(",")}
        if queues & {"*", "default"}:
            threads.append(
                threading.Thread(target=_periodic, args=(stop,), name="periodic", daemon=True)
            )
        for thread in threads:
            thread.start()
        try:
            call_command(
                "db_worker",
                queue_name=options["queue_name"],
                interval=options["interval"],
                worker_id=worker_id,
                # Never under the code reloader, even with DEBUG: it runs the
                # tasks in a child process, so the beat here would speak for a
                # process it does not watch, and a kill would leave the child.
                reload=False,
            )
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=5)
            task_started.disconnect(dispatch_uid=f"scape-beat-{worker_id}")
            task_finished.disconnect(dispatch_uid=f"scape-done-{worker_id}")
