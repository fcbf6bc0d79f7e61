"""Equipment's periodic job: reminders of maintenance falling due."""

from __future__ import annotations

import datetime

from django.utils import timezone


def send_reminders() -> str:
    """Remind equipment desks of maintenance falling due; drop stale import previews."""
    from scape.equipment.actions.reminders import do_send_maintenance_reminders
    from scape.equipment.models import ImportBatch

    sent = do_send_maintenance_reminders()
    stale = timezone.now() - datetime.timedelta(days=1)
    dropped, _by_model = ImportBatch.objects.filter(
        imported_at__isnull=True, created_at__lt=stale
    ).delete()
    return f"{sent} reminders, {dropped} stale import previews dropped"
