"""Activities written through the API: an activity created with its partners, a session
added — through the page's actions, by those the page allows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from scape.activities.models import Activity
from scape.core.models import AuditEvent
from scape.core.testing import token_client

pytestmark = pytest.mark.django_db


def test_a_coordinator_creates_an_activity_and_adds_a_session(
    rasa: Any, dace: Any, liepaja: Any, persona: Any
) -> None:
    api = token_client(rasa.user)
    start = timezone.now() + datetime.timedelta(days=10)
    made = api.post(
        "/api/v1/activities/activities/",
        {
            "kind": "training",
            "title_en": "First aid on the beach",
            "title_lt": "Pirmoji pagalba paplūdimyje",
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(days=1)).isoformat(),
            "city": "Palanga",
            "partners": [liepaja.code],
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    activity = Activity.objects.get(pk=made.json()["id"])
    assert made.json()["partners"] == [liepaja.code] and activity.status == "draft"
    added = api.post(
        f"/api/v1/activities/activities/{activity.pk}/sessions/",
        {
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=3)).isoformat(),
        },
        format="json",
    )
    assert added.status_code == 201, added.content
    assert activity.sessions.count() == 1
    wrong = api.post(
        f"/api/v1/activities/activities/{activity.pk}/sessions/",
        {"starts_at": start.isoformat(), "ends_at": start.isoformat()},
        format="json",
    )
    assert wrong.status_code == 400
    # A sitting of years (a typo, or a generated request) is refused, not a 500
    # when its hours are counted.
    endless = api.post(
        f"/api/v1/activities/activities/{activity.pk}/sessions/",
        {"starts_at": "1900-01-01T00:00:00Z", "ends_at": "9999-12-31T00:00:00Z"},
        format="json",
    )
    assert endless.status_code == 400 and "7 days" in endless.json()["ends_at"][0]
    assert activity.sessions.count() == 1
    assert AuditEvent.objects.filter(action="activities.activity_created").exists()
    # A co-organizer adds sittings too; an organization that is not one does not.
    from scape.core.choices import Role
    from scape.directory.testing import make_org

    outsider = persona(make_org("klaipeda-x", country="LT"), Role.COORDINATOR, username="kx")
    partner = token_client(outsider.user)
    answer = partner.post(
        f"/api/v1/activities/activities/{activity.pk}/sessions/",
        {
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
        },
        format="json",
    )
    assert answer.status_code in (403, 404)
    assert activity.sessions.count() == 1
