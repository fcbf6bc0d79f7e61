"""A task queued before an upgrade still runs after the vault's modules moved."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

pytestmark = pytest.mark.django_db

migration = importlib.import_module("scape.vault.migrations.0003_queued_task_paths")


def test_queued_tasks_under_the_old_module_paths_point_to_their_tasks_again():
    from django_tasks_db.models import DBTaskResult

    rows = [
        DBTaskResult.objects.create(
            task_path=old,
            args_kwargs={"args": [1], "kwargs": {}},
            queue_name="default",
            backend_name="default",
            priority=0,
            enqueued_at=timezone.now(),
        )
        for old in migration.MOVES
    ]
    migration.forward(apps, None)
    for row in rows:
        row.refresh_from_db()
        assert row.task_path in migration.MOVES.values()
        assert row.task.name in row.task_path  # imports and is a Task
    migration.backward(apps, None)
    assert {r.task_path for r in DBTaskResult.objects.all()} == set(migration.MOVES)
