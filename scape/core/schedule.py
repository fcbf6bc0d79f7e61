"""Periodic jobs run by `scape worker` (integrity checks, retention, expiries).

Apps register jobs in their AppConfig.ready(). Each worker's scheduler thread
claims a due job through its ScheduleState row, so with many workers a job
still runs once per period.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from scape.core.context import actor_context

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    run: Callable[[], object]


REGISTRY: dict[str, Periodic] = {}


def register(name: str, every: timedelta, run: Callable[[], object]) -> None:
    """Run `run` every `every` in some worker."""
    REGISTRY[name] = Periodic(name, every, run)


def _claim(job: Periodic) -> bool:
    from scape.core.models import ScheduleState

    now = timezone.now()
    with transaction.atomic():
        state, _created = ScheduleState.objects.select_for_update().get_or_create(name=job.name)
        if state.last_run_at is not None and state.last_run_at + job.every > now:
            return False
        state.last_run_at = now
        state.save(update_fields=["last_run_at"])
    return True


def run_due() -> list[str]:
    """Run every registered job whose period has passed; return their names."""
    from scape.core.models import ScheduleState

    ran = []
    for job in list(REGISTRY.values()):
        if not _claim(job):
            continue
        try:
            with actor_context(None):
                result = job.run()
            outcome = f"ok: {result}"[:500]
        except Exception:
            log.exception("periodic job %s failed", job.name)
            outcome = "failed: " + traceback.format_exc(limit=3)[-480:]
        ScheduleState.objects.filter(name=job.name).update(last_result=outcome)
        ran.append(job.name)
    return ran
