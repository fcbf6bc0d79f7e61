"""Periodic jobs run once per period, whichever worker asks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scape.core import schedule
from scape.core.models import ScheduleState

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(schedule, "REGISTRY", {})
    return schedule.REGISTRY


def test_a_job_runs_once_per_period_and_its_result_is_kept(registry):
    calls = []
    schedule.register("test.count", timedelta(hours=1), lambda: calls.append(1) or len(calls))
    assert schedule.run_due() == ["test.count"]
    assert schedule.run_due() == []  # a second worker asking now gets nothing
    assert calls == [1]
    assert ScheduleState.objects.get(name="test.count").last_result == "ok: 1"


def test_a_failing_job_is_recorded_and_the_others_still_run(registry):
    def broken():
        raise RuntimeError("disk full")

    schedule.register("test.broken", timedelta(hours=1), broken)
    schedule.register("test.fine", timedelta(hours=1), lambda: "done")
    assert sorted(schedule.run_due()) == ["test.broken", "test.fine"]
    assert "disk full" in ScheduleState.objects.get(name="test.broken").last_result


def test_the_vault_registers_its_integrity_and_retention_jobs():
    assert {"vault.verify", "vault.retention", "vault.uploads"} <= set(schedule.REGISTRY)
