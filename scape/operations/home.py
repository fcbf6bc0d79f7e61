"""The home-page card: incidents assigned to the user's organization, the user's patrols."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from scape.core.access import actor_of
from scape.operations.choices import IncidentStatus
from scape.operations.queries import get_incidents, upcoming_patrols


def panel_context(request: HttpRequest) -> dict[str, Any] | None:
    """Return the card's context, or None for users outside any organization."""
    actor = actor_of(request.user)
    if actor.organization_id is None:
        return None
    incidents = (
        get_incidents(request.user)
        .filter(assigned_organization_id=actor.organization_id)
        .exclude(status=IncidentStatus.CLOSED)[:10]
    )
    return {"incidents": list(incidents), "patrols": list(upcoming_patrols(request.user)[:5])}
