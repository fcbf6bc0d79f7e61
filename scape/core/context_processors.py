"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from scape.core.access import actor_of
from scape.core.choices import Role
from scape.core.map_texts import draw_texts


def scape(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    actor = actor_of(user)
    return {
        "SCAPE_LANGUAGES": settings.LANGUAGES,
        "SCAPE_MAP_TILES_URL": settings.SCAPE_MAP_TILES_URL,
        "SCAPE_MAP_ATTRIBUTION": settings.SCAPE_MAP_ATTRIBUTION,
        "SCAPE_LIVE_POLL_SECONDS": settings.SCAPE_LIVE_POLL_SECONDS,
        # Made only on the pages whose maps draw (alerts, patrol areas).
        "SCAPE_DRAW_TEXTS": SimpleLazyObject(draw_texts),
        "scape_actor": actor,
        "scape_is_auditor": Role.AUDITOR in actor.roles,
        # Volunteers help at events and patrols; camera reads are not for them.
        "scape_is_volunteer_only": bool(actor.roles) and set(actor.roles) <= {Role.VOLUNTEER},
        # Plates, hits and incidents are for the operational roles; an auditor
        # reads the audit log about them (docs/decisions.md).
        "scape_sees_records": bool(actor.roles - {Role.VOLUNTEER, Role.AUDITOR}),
        "scape_is_admin": bool(
            user is not None and getattr(user, "is_staff", False) and user.is_active
        ),
    }
