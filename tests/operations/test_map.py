"""The shared map: GeoJSON layers behind the access door, filters, the page, links."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from scape.core.choices import Role
from scape.equipment.actions import do_create_asset
from scape.equipment.choices import AssetKind
from scape.equipment.models import DroneFlight
from scape.operations.actions import do_link_record
from scape.operations.choices import LinkKind
from scape.operations.models import Incident, IncidentType

pytestmark = pytest.mark.django_db


def _titles(client: Any, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return [f["properties"]["title"] for f in response.json()["features"]]


def test_it_serves_only_the_incidents_the_user_may_see(
    make_incident: Any, share: Any, lt_specialist: Any, other_org_officer: Any, logged_in: Any
) -> None:
    own = make_incident(actor=lt_specialist, title="Palanga pier fight")
    border = make_incident(title="Border theft")
    hidden = make_incident(title="Liepāja only")
    share(border)
    titles = _titles(logged_in(lt_specialist), "/operations/geo/incidents.geojson")
    assert any(own.title in t for t in titles)
    assert any(border.title in t for t in titles)
    assert not any(hidden.title in t for t in titles)
    assert _titles(logged_in(other_org_officer), "/operations/geo/incidents.geojson") == []


def test_a_poll_sends_only_what_changed_within_the_visible_area(
    make_incident: Any, lv_officer: Any, logged_in: Any
) -> None:
    from decimal import Decimal

    from scape.operations.actions import do_change_status

    quiet = make_incident(title="Quiet pier")
    busy = make_incident(title="Busy market")
    far = make_incident(title="Far away", latitude=Decimal("57.5"), longitude=Decimal("24.1"))
    # Reported an hour ago (a poll's "as of" reaches back a little before its answer).
    Incident.objects.update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    client = logged_in(lv_officer)
    url = "/operations/geo/incidents.geojson"
    bbox = "20.9,55.9,21.3,56.3"  # Palanga and Šventoji: not the far one
    full = client.get(url, {"bbox": bbox}).json()
    assert {f["properties"]["id"] for f in full["features"]} == {quiet.pk, busy.pk}
    assert "delta" not in full
    # Nothing changed: no features, only the ids still on the map.
    as_of = full["as_of"]
    later = timezone.now() + datetime.timedelta(seconds=5)
    nothing = client.get(url, {"bbox": bbox, "changed_since": later.isoformat()}).json()
    assert nothing["delta"] is True and nothing["features"] == []
    assert set(nothing["ids"]) == {quiet.pk, busy.pk}
    # One incident changes: the next poll sends that one alone, as it is now.
    do_change_status(busy, "assigned", actor=lv_officer.user)
    delta = client.get(url, {"bbox": bbox, "changed_since": as_of}).json()
    assert [f["properties"]["id"] for f in delta["features"]] == [busy.pk]
    assert delta["features"][0]["properties"]["status"] == "assigned"
    # A bad area or time is no filter at all, never an error.
    everything = client.get(url, {"bbox": "x,1,2", "changed_since": "yesterday"}).json()
    assert {f["properties"]["id"] for f in everything["features"]} == {quiet.pk, busy.pk, far.pk}


def test_it_filters_the_layer_by_type_time_and_organization(
    make_incident: Any, lv_officer: Any, lt_specialist: Any, share: Any, logged_in: Any
) -> None:
    violence = IncidentType.objects.get(code="violence")
    make_incident(title="Old theft", occurred_at=timezone.now() - datetime.timedelta(days=3))
    make_incident(title="Fresh fight", type=violence)
    client = logged_in(lv_officer)
    by_type = _titles(client, f"/operations/geo/incidents.geojson?type={violence.pk}")
    assert len(by_type) == 1 and "Fresh fight" in by_type[0]
    recent = _titles(client, "/operations/geo/incidents.geojson?hours=24")
    assert len(recent) == 1 and "Fresh fight" in recent[0]
    lithuanian = make_incident(actor=lt_specialist, title="LT only")
    assert lithuanian.title not in " ".join(_titles(client, "/operations/geo/incidents.geojson"))
    by_org = _titles(
        client, f"/operations/geo/incidents.geojson?organization={lv_officer.organization_id}"
    )
    assert len(by_org) == 2


def test_it_serves_patrol_areas_flights_and_sites_by_access(
    lt_coordinator: Any, lt_org: Any, lv_officer: Any, other_org_officer: Any, logged_in: Any
) -> None:
    from scape.operations.actions import do_plan_patrol

    start = timezone.now()
    area = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"radius": 300},
             "geometry": {"type": "Point", "coordinates": [21.05, 55.92]}}
        ],
    }  # fmt: skip
    do_plan_patrol(
        title="Pier watch", starts_at=start, ends_at=start + datetime.timedelta(hours=2),
        area=area, members=[{"person": lt_coordinator}], actor=lt_coordinator.user,
    )  # fmt: skip
    drone = do_create_asset(lt_org, kind=AssetKind.DRONE, tag="DR-1", actor=lt_coordinator.user)
    DroneFlight.objects.create(
        asset=drone, pilot=lt_coordinator, started_at=start,
        ended_at=start + datetime.timedelta(minutes=20),
        purpose="Beach search", recorded_by=lt_coordinator.user,
        track=[{"lat": 55.92, "lon": 21.05}, {"lat": 55.93, "lon": 21.06}],
    )  # fmt: skip
    own = logged_in(lt_coordinator)
    features = own.get("/operations/geo/patrols.geojson").json()["features"]
    assert features[0]["properties"]["radius"] == 300
    assert "Beach search" in _titles(own, "/operations/geo/flights.geojson")[0]
    outsider = logged_in(other_org_officer)
    assert _titles(outsider, "/operations/geo/patrols.geojson") == []
    assert _titles(outsider, "/operations/geo/flights.geojson") == []
    # Without the traffic app's layers the map still answers, empty.
    assert isinstance(_titles(outsider, "/operations/geo/cameras.geojson"), list)
    assert own.get("/operations/geo/nothing.geojson").status_code == 404


def test_it_refuses_the_layers_to_anonymous_visitors(client: Any, make_incident: Any) -> None:
    make_incident()
    response = client.get("/operations/geo/incidents.geojson")
    assert response.status_code == 302


def test_it_draws_the_map_page_with_live_layers(
    lv_officer: Any, make_incident: Any, logged_in: Any, settings: Any
) -> None:
    settings.SCAPE_LIVE_POLL_SECONDS = 3
    incident = make_incident()
    client = logged_in(lv_officer)
    page = client.get("/operations/map/?hours=24").content.decode()
    assert 'data-refresh="3"' in page and "data-map" in page
    assert "/operations/geo/incidents.geojson?hours=24" in page.replace("&quot;", '"')
    fragment = client.get("/operations/map/list/").content.decode()
    assert incident.reference in fragment


def test_it_links_only_records_the_user_may_see(
    make_incident: Any, lv_officer: Any, lv_org: Any, lt_org: Any, persona: Any
) -> None:
    incident = make_incident()
    desk = persona(lv_org, Role.COORDINATOR, username="desk")
    camera = do_create_asset(lv_org, kind=AssetKind.BODY_CAMERA, tag="BC-9", actor=desk.user)
    lt_desk = persona(lt_org, Role.COORDINATOR, username="ltdesk")
    foreign = do_create_asset(lt_org, kind=AssetKind.BODY_CAMERA, tag="BC-1", actor=lt_desk.user)
    link = do_link_record(incident, LinkKind.ASSET, camera.pk, actor=lv_officer.user)
    assert "BC-9" in link.label
    with pytest.raises(ValidationError):
        do_link_record(incident, LinkKind.ASSET, foreign.pk, actor=lv_officer.user)
    with pytest.raises(ValidationError):
        do_link_record(incident, LinkKind.EVIDENCE_ITEM, 999999, actor=lv_officer.user)


def test_it_shows_the_home_panel(
    make_incident: Any, lv_officer: Any, lv_org: Any, logged_in: Any
) -> None:
    from scape.operations.actions import do_assign_incident

    incident = make_incident()
    do_assign_incident(incident, organization=lv_org, actor=lv_officer.user)
    page = logged_in(lv_officer).get("/").content.decode()
    assert incident.reference in page
    assert json.dumps(incident.reference)  # a reference is plain text


def test_it_shows_the_incidents_place_on_its_page(
    make_incident: Any, lv_officer: Any, lt_specialist: Any, logged_in: Any
) -> None:
    incident = make_incident()
    make_incident(title="Another")
    client = logged_in(lv_officer)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert 'id="incident-map"' in page and 'data-center="56.060000,21.070000"' in page
    one = _titles(client, f"/operations/geo/incidents.geojson?incident={incident.pk}")
    assert one == [f"{incident.reference} {incident.title}"]
    assert (
        _titles(
            logged_in(lt_specialist), f"/operations/geo/incidents.geojson?incident={incident.pk}"
        )
        == []
    )
