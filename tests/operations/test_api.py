"""The operations API: incidents, their log, patrols and map layers, through the access door."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from scape.directory.models import Organization, Person

pytestmark = pytest.mark.django_db


def test_it_lists_only_visible_incidents(
    make_incident: Any, share: Any, lt_specialist: Any, logged_in: Any
) -> None:
    shared = make_incident(title="Shared one")
    make_incident(title="Hidden one")
    share(shared)
    response = logged_in(lt_specialist).get("/api/v1/operations/incidents/")
    assert response.status_code == 200
    assert [i["title"] for i in response.json()["results"]] == ["Shared one"]
    hidden_pk = shared.pk + 1
    assert (
        logged_in(lt_specialist).get(f"/api/v1/operations/incidents/{hidden_pk}/").status_code
        == 404
    )


def test_it_reports_and_works_an_incident(lv_officer: Any, logged_in: Any) -> None:
    client = logged_in(lv_officer)
    response = client.post(
        "/api/v1/operations/incidents/",
        {"type": "theft", "title": "Bike", "latitude": "56.06", "longitude": "21.07"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["reference"].startswith("LV-POLICE-")
    bad = client.post(
        f"/api/v1/operations/incidents/{pk}/status/",
        {"status": "closed"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "outcome" in bad.json()
    log = client.post(
        f"/api/v1/operations/incidents/{pk}/log/",
        {"text": "On the way"},
        content_type="application/json",
    )
    assert log.status_code == 201 and log.json()["organization"] == "lv-police"
    entries = client.get(f"/api/v1/operations/incidents/{pk}/log/").json()["results"]
    assert [e["text"] for e in entries] == ["On the way"]


def test_it_lets_a_partner_write_in_the_log_only_while_shared(
    make_incident: Any, share: Any, lt_specialist: Any, logged_in: Any
) -> None:
    incident = make_incident()
    url = f"/api/v1/operations/incidents/{incident.pk}/log/"
    client = logged_in(lt_specialist)
    assert client.post(url, {"text": "x"}, content_type="application/json").status_code == 404
    share(incident)
    assert client.post(url, {"text": "Seen"}, content_type="application/json").status_code == 201


def test_it_plans_and_lists_patrols(
    lt_coordinator: Any, lv_officer: Any, other_org_officer: Any, logged_in: Any
) -> None:
    start = timezone.now() + datetime.timedelta(hours=1)
    response = logged_in(lt_coordinator).post(
        "/api/v1/operations/patrols/",
        {
            "title": "Joint",
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=3)).isoformat(),
            "route": "Palanga - Šventoji",
            "members": [
                {"person": lt_coordinator.pk, "role": "leader", "transport": "e_bike"},
                {"person": lv_officer.pk, "transport": "e_bike"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert {m["organization"] for m in response.json()["members"]} == {"lt-police", "lv-police"}
    assert len(logged_in(lv_officer).get("/api/v1/operations/patrols/").json()["results"]) == 1
    assert logged_in(other_org_officer).get("/api/v1/operations/patrols/").json()["results"] == []


def test_it_serves_map_layers(
    make_incident: Any, lv_officer: Any, lt_specialist: Any, logged_in: Any
) -> None:
    make_incident()
    answer = logged_in(lv_officer).get("/api/v1/operations/geo/incidents/")
    assert answer["Content-Type"] == "application/geo+json"
    own = answer.json()
    assert len(own["features"]) == 1
    other = logged_in(lt_specialist).get("/api/v1/operations/geo/incidents/").json()
    assert other["features"] == []
    assert logged_in(lt_specialist).get("/api/v1/operations/geo/bogus/").status_code == 404


def test_it_shares_and_revokes_through_the_api(
    make_incident: Any, lv_officer: Any, lt_specialist: Any, logged_in: Any
) -> None:
    incident = make_incident()
    owner = logged_in(lv_officer)
    expires = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    response = owner.post(
        f"/api/v1/operations/incidents/{incident.pk}/share/",
        {"grantee": "lt-police", "purpose": "Search", "expires_at": expires},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    grant_id = response.json()["id"]
    partner = logged_in(lt_specialist)
    assert partner.get(f"/api/v1/operations/incidents/{incident.pk}/").status_code == 200
    # The partner may not re-share the owner's incident.
    assert (
        partner.post(
            f"/api/v1/operations/incidents/{incident.pk}/share/",
            {"grantee": "lv-police", "purpose": "x", "expires_at": expires},
            content_type="application/json",
        ).status_code
        == 403
    )
    owner = logged_in(lv_officer)
    revoked = owner.post(f"/api/v1/operations/incidents/{incident.pk}/revoke/{grant_id}/")
    assert revoked.status_code == 204
    partner = logged_in(lt_specialist)
    assert partner.get(f"/api/v1/operations/incidents/{incident.pk}/").status_code == 404


def test_it_takes_involved_organizations_and_team_members_among_the_active_ones(
    lt_coordinator: Any, lv_officer: Any, other_org_officer: Any, logged_in: Any
) -> None:
    client = logged_in(lv_officer)
    body = {"type": "theft", "title": "Bike", "address": "Nīca"}
    response = client.post(
        "/api/v1/operations/incidents/",
        {**body, "involved_organizations": ["lt-police", "kurzeme"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert sorted(response.json()["involved_organizations"]) == ["kurzeme", "lt-police"]
    Organization.objects.filter(code="kurzeme").update(is_active=False)
    refused = client.post(
        "/api/v1/operations/incidents/",
        {**body, "involved_organizations": ["kurzeme"]},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "involved_organizations" in refused.json()
    start = timezone.now() + datetime.timedelta(hours=1)
    plan = {
        "title": "Joint",
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=3)).isoformat(),
        "route": "Nīca - Rucava",
    }
    Person.objects.filter(pk=other_org_officer.pk).update(is_active=False)
    refused = logged_in(lt_coordinator).post(
        "/api/v1/operations/patrols/",
        {**plan, "members": [{"person": other_org_officer.pk}]},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "members" in refused.json()


def test_it_revokes_through_the_api_only_a_grant_of_that_incident(
    make_incident: Any, share: Any, lv_officer: Any, logged_in: Any
) -> None:
    incident, other = make_incident(), make_incident(title="Other")
    grant = share(other)
    owner = logged_in(lv_officer)
    assert (
        owner.post(f"/api/v1/operations/incidents/{incident.pk}/revoke/{grant.pk}/").status_code
        == 404
    )
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_a_patrol_is_started_and_reported_through_the_api(
    lt_coordinator: Any, lv_officer: Any, other_org_officer: Any, logged_in: Any
) -> None:
    from scape.core.models import AuditEvent
    from scape.operations.models import Patrol

    start = timezone.now() + datetime.timedelta(minutes=5)
    api = logged_in(lt_coordinator)
    made = api.post(
        "/api/v1/operations/patrols/",
        {
            "title": "Beach",
            "route": "Palanga pier - Birutė park",
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
            "members": [{"person": lt_coordinator.pk, "role": "leader", "transport": "e_bike"}],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    made = made.json()
    outsider = logged_in(other_org_officer).post(
        f"/api/v1/operations/patrols/{made['id']}/start/", {}, content_type="application/json"
    )
    assert outsider.status_code == 404
    api = logged_in(lt_coordinator)
    started = api.post(
        f"/api/v1/operations/patrols/{made['id']}/start/", {}, content_type="application/json"
    )
    assert started.status_code == 200, started.content
    assert started.json()["patrol"]["status"] == "active" and started.json()["problems"] == []
    member = Patrol.objects.get(pk=made["id"]).members.get()
    reported = api.post(
        f"/api/v1/operations/patrols/{made['id']}/report/",
        {"report": "Quiet evening, two warnings.", "km": {str(member.pk): "14.5"}},
        content_type="application/json",
    )
    assert reported.status_code == 200, reported.content
    patrol = Patrol.objects.get(pk=made["id"])
    assert patrol.status == "done" and float(patrol.members.get().km) == 14.5
    again = api.post(
        f"/api/v1/operations/patrols/{made['id']}/report/",
        {"report": "Again"},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert {"operations.patrol_started", "operations.patrol_reported"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )
