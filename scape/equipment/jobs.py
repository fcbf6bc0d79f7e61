"""Equipment's periodic job and home-page card: maintenance falling due."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from scape.core.choices import Action

PANEL_LIMIT = 8


def send_reminders() -> str:
    """Remind equipment desks of maintenance falling due; drop stale import previews."""
    from scape.equipment.models import ImportBatch
    from scape.equipment.reminders import do_send_maintenance_reminders

    sent = do_send_maintenance_reminders()
    stale = timezone.now() - datetime.timedelta(days=1)
    dropped, _by_model = ImportBatch.objects.filter(
        imported_at__isnull=True, created_at__lt=stale
    ).delete()
    return f"{sent} reminders, {dropped} stale import previews dropped"


def maintenance_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Return the home card's context: the maintenance due in the user's organization.

    Shown to the people who run the equipment (coordinators, administrators),
    and only when something is due.
    """
    from scape.equipment.queries import due_maintenance, fleet_organization_id

    organization_id = fleet_organization_id(request.user, Action.CHANGE)
    if organization_id is None:
        return None
    due = due_maintenance(organization_id)
    if not due:
        return None
    return {"due": due[:PANEL_LIMIT], "more": max(0, len(due) - PANEL_LIMIT)}
