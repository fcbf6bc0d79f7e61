"""The home-page card of activities: the user's upcoming activities."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from scape.activities.queries import upcoming_for


def panel_context(request: HttpRequest) -> dict[str, Any] | None:
    """Return the card's context, or None when the user has nothing coming up."""
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    if person is None:
        return None
    registrations = upcoming_for(person)
    return {"registrations": registrations} if registrations else None
