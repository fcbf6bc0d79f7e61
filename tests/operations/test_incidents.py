"""Incidents: reporting, reference numbers, the status workflow, assignment."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from scape.directory.models import Notification
from scape.operations.actions import do_assign_incident, do_change_status
from scape.operations.choices import IncidentStatus
from scape.operations.models import Incident, IncidentType

pytestmark = pytest.mark.django_db


def test_it_seeds_the_incident_types_as_a_hierarchy() -> None:
    codes = set(IncidentType.objects.filter(parent=None).values_list("code", flat=True))
    assert {
        "public-order", "traffic", "theft", "violence", "missing-person",
        "water-safety", "environmental", "other",
    } <= codes  # fmt: skip
    drowning = IncidentType.objects.get(code="drowning")
    assert drowning.parent is not None and drowning.parent.code == "water-safety"
    assert drowning.name_lv == "Slīkšana"


def test_it_numbers_incidents_per_organization(
    make_incident: Any, lt_specialist: Any, lv_org: Any
) -> None:
    first = make_incident()
    second = make_incident()
    lithuanian = make_incident(actor=lt_specialist)
    year = first.occurred_at.year
    assert first.reference == f"LV-POLICE-{year}-0001"
    assert second.reference == f"LV-POLICE-{year}-0002"
    assert lithuanian.reference == f"LT-POLICE-{year}-0001"
    assert first.organization == lv_org


def test_it_refuses_reports_from_volunteers(make_incident: Any, lv_volunteer: Any) -> None:
    with pytest.raises(PermissionDenied):
        make_incident(actor=lv_volunteer)


def test_it_needs_a_place(make_incident: Any) -> None:
    with pytest.raises(ValidationError):
        make_incident(latitude=None, longitude=None)
    assert make_incident(latitude=None, longitude=None, address="Rucava").address == "Rucava"


def test_it_follows_the_status_workflow(make_incident: Any, lv_officer: Any) -> None:
    incident = make_incident()
    user = lv_officer.user
    with pytest.raises(ValidationError) as refused:
        do_change_status(incident, IncidentStatus.IN_PROGRESS, actor=user)
    assert "status" in refused.value.message_dict
    incident = do_change_status(incident, IncidentStatus.ASSIGNED, actor=user)
    incident = do_change_status(incident, IncidentStatus.IN_PROGRESS, actor=user)
    with pytest.raises(ValidationError) as no_outcome:
        do_change_status(incident, IncidentStatus.CLOSED, actor=user)
    assert "outcome" in no_outcome.value.message_dict
    incident = do_change_status(incident, IncidentStatus.CLOSED, outcome="Bike found", actor=user)
    assert incident.status == IncidentStatus.CLOSED
    assert incident.outcome == "Bike found" and incident.closed_at is not None
    with pytest.raises(ValidationError):
        do_change_status(incident, IncidentStatus.ASSIGNED, actor=user)


def test_it_shows_the_workflow_error_on_the_page(
    make_incident: Any, lv_officer: Any, logged_in: Any
) -> None:
    incident = make_incident()
    client = logged_in(lv_officer)
    response = client.post(
        f"/operations/incidents/{incident.pk}/status/", {"status": "closed", "outcome": ""}
    )
    assert response.status_code == 400
    assert "Say how the incident ended" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.REPORTED


def test_it_reports_an_incident_from_the_page(
    lv_officer: Any, logged_in: Any, theft: Any, lt_org: Any
) -> None:
    client = logged_in(lv_officer)
    page = client.get("/operations/incidents/new/")
    assert page.status_code == 200
    assert 'id="pick-map"' in page.content.decode()
    response = client.post(
        "/operations/incidents/new/",
        {
            "type": theft.pk,
            "title": "Stolen e-bike",
            "severity": "high",
            "occurred_at": "2026-07-01T12:00",
            "latitude": "56.06",
            "longitude": "21.07",
            "involved_organizations": [lt_org.pk],
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert incident.severity == "high"
    assert list(incident.involved_organizations.all()) == [lt_org]
    listing = client.get("/operations/").content.decode()
    assert incident.reference in listing


def test_it_hides_incidents_of_other_organizations(
    make_incident: Any, lt_specialist: Any, logged_in: Any
) -> None:
    incident = make_incident()
    client = logged_in(lt_specialist)
    assert client.get(incident.get_absolute_url()).status_code == 404
    assert incident.reference not in client.get("/operations/").content.decode()


def test_it_assigns_to_a_person_and_tells_them(
    make_incident: Any, lv_officer: Any, lv_org: Any, persona: Any
) -> None:
    colleague = persona(lv_org, "officer", username="anna")
    incident = do_assign_incident(make_incident(), person=colleague, actor=lv_officer.user)
    assert incident.status == IncidentStatus.ASSIGNED
    assert incident.assigned_organization == lv_org
    note = Notification.objects.get(recipient=colleague)
    assert incident.reference in note.title and note.url == incident.get_absolute_url()


def test_it_assigns_to_a_partner_only_after_sharing(
    make_incident: Any, lv_officer: Any, lt_org: Any, lt_specialist: Any, share: Any
) -> None:
    incident = make_incident()
    with pytest.raises(ValidationError):
        do_assign_incident(incident, organization=lt_org, actor=lv_officer.user)
    share(incident)
    do_assign_incident(incident, organization=lt_org, actor=lv_officer.user)
    titles = list(
        Notification.objects.filter(recipient=lt_specialist).values_list("title", flat=True)
    )
    assert any("assigned to your organization" in t for t in titles)
    assert any("shared with your organization" in t for t in titles)


def test_it_works_an_incident_from_its_page(
    make_incident: Any, lv_officer: Any, lv_org: Any, persona: Any, logged_in: Any
) -> None:
    colleague = persona(lv_org, "officer", username="anna", first_name="Anna", last_name="K")
    desk = persona(lv_org, "coordinator", username="desk")
    from scape.equipment.actions import do_create_asset

    camera = do_create_asset(lv_org, kind="body_camera", tag="BC-3", actor=desk.user)
    incident = make_incident()
    client = logged_in(lv_officer)
    url = incident.get_absolute_url()
    assert client.post(url + "assign/", {"person": colleague.pk}).status_code == 302
    assert client.post(url + "people/", {"category": "witness", "name": "Ilze"}).status_code == 302
    assert client.post(url + "links/", {"kind": "asset", "object_id": camera.pk}).status_code == 302
    refused = client.post(url + "links/", {"kind": "plate_hit", "object_id": 424242})
    assert refused.status_code == 400
    assert "no such record that you may see" in refused.content.decode()
    page = client.get(url).content.decode()
    assert "Anna K" in page and "Ilze" in page and "BC-3" in page
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ASSIGNED and incident.assigned_person == colleague


def test_it_names_organizations_as_people_know_them(
    make_incident: Any, lv_org: Any, lv_officer: Any, logged_in: Any
) -> None:
    """The list showed the internal code ("lv-police") where a reader expects a name."""
    lv_org.short_name = "VP Kurzeme"
    lv_org.save(update_fields=["short_name"])
    make_incident()
    listing = logged_in(lv_officer).get("/operations/").content.decode()
    assert "<td>VP Kurzeme</td>" in listing and "<td>lv-police</td>" not in listing


def test_it_says_what_is_wrong_with_an_empty_log_entry(
    make_incident: Any, lv_officer: Any, logged_in: Any
) -> None:
    incident = make_incident()
    lv_officer.ui_language = "lv"
    lv_officer.save()
    client = logged_in(lv_officer)
    # Spaces only: the browser lets it through, the page must say why it is refused.
    response = client.post(incident.get_absolute_url() + "log/", {"text": "   "})
    assert response.status_code == 400
    assert "Ieraksts nevar būt tukšs." in response.content.decode()
    assert not incident.log.exists()
