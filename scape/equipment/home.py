"""Equipment's home-page card: maintenance falling due."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from scape.core.choices import Action
from scape.equipment.queries import due_maintenance, fleet_organization_id

PANEL_LIMIT = 8


def panel_context(request: HttpRequest) -> dict[str, Any] | None:
    """Return the home card's context: the maintenance due in the user's organization.

    Shown to the people who run the equipment (coordinators, administrators),
    and only when something is due.
    """
    organization_id = fleet_organization_id(request.user, Action.CHANGE)
    if organization_id is None:
        return None
    due = due_maintenance(organization_id)
    if not due:
        return None
    return {"due": due[:PANEL_LIMIT], "more": max(0, len(due) - PANEL_LIMIT)}
