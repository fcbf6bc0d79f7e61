"""Reference data is edited in the admin, and each save is audited."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from scape.core.models import AuditEvent
from scape.core.testing import login
from scape.equipment.models import EmissionFactor

pytestmark = pytest.mark.django_db


def test_it_audits_an_emission_factor_added_in_the_admin(client):
    admin_user = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 20)
    login(client, admin_user)
    assert client.get(reverse("admin:equipment_emissionfactor_changelist")).status_code == 200
    response = client.post(
        reverse("admin:equipment_emissionfactor_add"),
        {
            "kind": EmissionFactor.Kind.GRID,
            "country": "EE",
            "value": "400",
            "year": "2023",
            "source": "test source",
        },
    )
    assert response.status_code == 302
    factor = EmissionFactor.objects.get(country="EE")
    event = AuditEvent.objects.get(action="equipment.emissionfactor_created")
    assert event.object_id == str(factor.pk) and event.actor_username == "root"
