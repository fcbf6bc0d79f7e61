"""People involved (Directive 2016/680 Art. 6 categories): shown only to those entitled."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from scape.core.models import AuditEvent
from scape.operations.actions import (
    do_add_person,
    do_assign_incident,
    do_revoke_incident_share,
)
from scape.operations.choices import PersonCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(make_incident: Any, lv_officer: Any) -> Any:
    incident = make_incident()
    do_add_person(
        incident, category=PersonCategory.SUSPECT, name="Pēteris Aizdomās", actor=lv_officer.user
    )
    return incident


def test_it_shows_the_people_to_the_owners_officer(
    incident: Any, lv_officer: Any, logged_in: Any
) -> None:
    page = logged_in(lv_officer).get(incident.get_absolute_url()).content.decode()
    assert "Pēteris Aizdomās" in page and "suspect" in page
    # Consulting personal data is logged: who, what, why.
    event = AuditEvent.objects.get(action="operations.people_viewed")
    assert event.actor_username == "edgars" and event.object_id == str(incident.pk)
    assert event.reason


def test_it_hides_the_people_from_an_assigned_volunteer(
    incident: Any, lv_officer: Any, lv_volunteer: Any, logged_in: Any
) -> None:
    do_assign_incident(incident, person=lv_volunteer, actor=lv_officer.user)
    response = logged_in(lv_volunteer).get(incident.get_absolute_url())
    assert response.status_code == 200
    assert "Pēteris" not in response.content.decode()
    with pytest.raises(PermissionDenied):
        do_add_person(incident, category="witness", name="X", actor=lv_volunteer.user)


def test_it_hides_the_people_from_a_partner_unless_the_share_includes_them(
    incident: Any,
    share: Any,
    lv_officer: Any,
    lt_officer: Any,
    lt_specialist: Any,
    logged_in: Any,
) -> None:
    grant = share(incident)
    page = logged_in(lt_officer).get(incident.get_absolute_url())
    assert page.status_code == 200 and "Pēteris" not in page.content.decode()
    api = logged_in(lt_officer).get(f"/api/v1/operations/incidents/{incident.pk}/people/")
    assert api.status_code == 403
    # Recording one is refused before the body is read: an empty body is 403, not 400.
    url = f"/api/v1/operations/incidents/{incident.pk}/people/"
    for body in ({}, {"category": "witness", "name": "X"}):
        assert (
            logged_in(lt_officer).post(url, body, content_type="application/json").status_code
            == 403
        )
    do_revoke_incident_share(grant, actor=lv_officer.user)
    share(incident, include_people=True)
    assert "Pēteris" in logged_in(lt_officer).get(incident.get_absolute_url()).content.decode()
    # A partner's specialist does not see them even then.
    assert (
        "Pēteris" not in logged_in(lt_specialist).get(incident.get_absolute_url()).content.decode()
    )
