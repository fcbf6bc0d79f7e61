"""Point tasks queued before the vault's actions/ package to their new module.

The redaction tasks and the upload finisher moved from scape.vault.redaction
and scape.vault.uploads to scape.vault.actions.*; a task queued (or running)
under the old path would otherwise fail with "does not point to a Task" after
an upgrade. Reversible.
"""

from django.db import migrations

MOVES = {
    "scape.vault.redaction.detect_boxes": "scape.vault.actions.redaction.detect_boxes",
    "scape.vault.redaction.render_redaction": "scape.vault.actions.redaction.render_redaction",
    "scape.vault.uploads.finish_upload_task": "scape.vault.actions.uploads.finish_upload_task",
}


def _move(apps, mapping):
    result = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in mapping.items():
        result.objects.filter(task_path=old).update(task_path=new)


def forward(apps, schema_editor):
    _move(apps, MOVES)


def backward(apps, schema_editor):
    _move(apps, {new: old for old, new in MOVES.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("vault", "0002_redactionsession"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forward, backward)]
