"""The partner organization an incident is assigned to works its status; nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from scape.core.models import AuditEvent
from scape.operations.actions import do_assign_incident, do_change_status, do_revoke_incident_share
from scape.operations.choices import IncidentStatus
from scape.operations.queries import active_grants

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(make_incident: Any, share: Any, lv_officer: Any, lt_org: Any) -> Any:
    incident = make_incident()
    share(incident)
    return do_assign_incident(incident, organization=lt_org, actor=lv_officer.user)


def test_it_lets_the_assigned_partner_work_the_status_from_the_page(
    assigned: Any, lt_specialist: Any, logged_in: Any
) -> None:
    client = logged_in(lt_specialist)
    url = assigned.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Change the status" in page
    assert f"/operations/incidents/{assigned.pk}/assign/" not in page  # assigning stays the owner's
    assert client.post(url + "status/", {"status": "in_progress"}).status_code == 302
    no_outcome = client.post(url + "status/", {"status": "closed", "outcome": ""})
    assert no_outcome.status_code == 400
    assert "Say how the incident ended" in no_outcome.content.decode()
    done = client.post(url + "status/", {"status": "closed", "outcome": "Bike found in Būtingė"})
    assert done.status_code == 302
    assigned.refresh_from_db()
    assert assigned.status == IncidentStatus.CLOSED and assigned.outcome == "Bike found in Būtingė"
    events = AuditEvent.objects.filter(action="operations.incident_status").order_by("pk")
    assert [(e.details["to"], e.actor_username, e.actor_org) for e in events] == [
        ("in_progress", "tomas", "lt-police"),
        ("closed", "tomas", "lt-police"),
    ]


def test_it_leaves_sending_back_and_reopening_to_the_owner(
    assigned: Any, lt_specialist: Any, lv_officer: Any
) -> None:
    with pytest.raises(ValidationError) as back:
        do_change_status(assigned, IncidentStatus.REPORTED, actor=lt_specialist.user)
    assert "owning organization" in str(back.value)
    closed = do_change_status(
        assigned, IncidentStatus.CLOSED, outcome="Done", actor=lt_specialist.user
    )
    with pytest.raises(ValidationError):
        do_change_status(closed, IncidentStatus.IN_PROGRESS, actor=lt_specialist.user)
    reopened = do_change_status(closed, IncidentStatus.IN_PROGRESS, actor=lv_officer.user)
    assert reopened.status == IncidentStatus.IN_PROGRESS


def test_it_keeps_everyone_else_out(
    make_incident: Any,
    share: Any,
    assigned: Any,
    lv_officer: Any,
    lt_org: Any,
    lt_specialist: Any,
    persona: Any,
    other_org_officer: Any,
    logged_in: Any,
) -> None:
    url = assigned.get_absolute_url() + "status/"
    # The partner's auditor (who reads the audit log, not incidents), a partner
    # it is only shared with, another organization.
    auditor = logged_in(persona(lt_org, "auditor", username="jonas"))
    assert auditor.get(assigned.get_absolute_url()).status_code == 404
    assert auditor.post(url, {"status": "in_progress"}).status_code == 404
    merely_shared = make_incident(title="Only shared")
    share(merely_shared)
    with pytest.raises(PermissionDenied):
        do_change_status(merely_shared, IncidentStatus.ASSIGNED, actor=lt_specialist.user)
    assert logged_in(other_org_officer).post(url, {"status": "in_progress"}).status_code == 404
    # Once the share is revoked, the assignment no longer opens the door.
    do_revoke_incident_share(active_grants(assigned).get(), actor=lv_officer.user)
    assert logged_in(lt_specialist).post(url, {"status": "in_progress"}).status_code == 404
    assigned.refresh_from_db()
    assert assigned.status == IncidentStatus.ASSIGNED
    assert not AuditEvent.objects.filter(action="operations.incident_status").exists()


def test_it_lets_the_assigned_partner_move_the_status_through_the_api(
    assigned: Any, lt_specialist: Any, other_org_officer: Any, logged_in: Any
) -> None:
    url = f"/api/v1/operations/incidents/{assigned.pk}/status/"
    response = logged_in(lt_specialist).post(
        url, {"status": "in_progress"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    refused = logged_in(other_org_officer).post(
        url, {"status": "closed", "outcome": "x"}, content_type="application/json"
    )
    assert refused.status_code == 404
