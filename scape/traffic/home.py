"""The traffic card on the home page: hot-list hits not yet acknowledged."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from scape.core.access import actor_of
from scape.traffic.models import HIT_POLICY
from scape.traffic.queries import get_hits


def panel_context(request: HttpRequest) -> dict[str, Any] | None:
    """Return the card's context, or None for users who see no hits (volunteers, outsiders)."""
    if not actor_of(request.user).has_any(HIT_POLICY.own["view"]):
        return None
    return {"hits": list(get_hits(request.user).filter(acknowledged_at__isnull=True)[:5])}
