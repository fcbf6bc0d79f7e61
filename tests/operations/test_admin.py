"""Incident types are edited in the admin, and each save is audited."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from scape.core.models import AuditEvent
from scape.core.testing import login
from scape.operations.models import IncidentType

pytestmark = pytest.mark.django_db


def test_it_adds_a_child_incident_type_in_the_admin(client):
    admin_user = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 20)
    login(client, admin_user)
    assert client.get(reverse("admin:operations_incidenttype_changelist")).status_code == 200
    theft = IncidentType.objects.get(code="theft")
    response = client.post(
        reverse("admin:operations_incidenttype_add"),
        {
            "parent": theft.pk,
            "code": "bicycle-theft",
            "name_lt": "Dviračio vagystė",
            "name_lv": "Velosipēda zādzība",
            "name_en": "Bicycle theft",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    child = IncidentType.objects.get(code="bicycle-theft")
    assert child.parent == theft and str(child) == "Theft / Bicycle theft"
    assert AuditEvent.objects.filter(action="operations.incidenttype_created").exists()
