"""`scape worker`: run background tasks and periodic jobs; report a heartbeat for /healthz."""

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
from scape.core.models import WorkerHeartbeat


def _beat(worker_id: str, started: Any, stop: threading.Event) -> None:
    interval = settings.SCAPE_WORKER_HEARTBEAT_SECONDS
    try:
        while not stop.is_set():
            close_old_connections()
            # A failing periodic job is logged in its ScheduleState; the beat goes on.
            with contextlib.suppress(Exception):
                schedule.run_due()
            # A missed beat must never stop the worker.
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
            stop.wait(interval)
        WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
    finally:
        connection.close()


class Command(BaseCommand):
    help = "Run the background task worker (django-tasks database backend) with a heartbeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default="*", help="queues to serve ('*' for all)")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        stop = threading.Event()
        beat = threading.Thread(
            target=_beat, args=(worker_id, timezone.now(), stop), name="heartbeat", daemon=True
        )
        beat.start()
        try:
            call_command(
                "db_worker",
                queue_name=options["queue_name"],
                interval=options["interval"],
                worker_id=worker_id[:64],
            )
        finally:
            stop.set()
            beat.join(timeout=5)
