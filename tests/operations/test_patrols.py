"""Joint patrols: planning with a mixed team, visibility, start with check-out, report, briefing."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from scape.core.choices import Role
from scape.directory.models import Notification
from scape.equipment.actions import do_create_asset
from scape.equipment.choices import AssetKind
from scape.operations.actions import do_plan_patrol, do_report_patrol, do_start_patrol
from scape.operations.choices import MemberRole, PatrolStatus, Transport
from scape.operations.models import Patrol

pytestmark = pytest.mark.django_db

AREA = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[21.04, 55.93], [21.05, 55.90], [21.06, 55.93], [21.04, 55.93]]],
            },
        }
    ],
}


@pytest.fixture
def team(lt_specialist: Any, lv_officer: Any, lt_org: Any, persona: Any) -> list[Any]:
    volunteer = persona(lt_org, Role.VOLUNTEER, username="mantas", ui_language="lt")
    lt_specialist.ui_language = "lt"
    lt_specialist.save()
    lv_officer.ui_language = "lv"
    lv_officer.save()
    return [
        {"person": lt_specialist, "role": MemberRole.LEADER, "transport": Transport.E_BIKE},
        {"person": lv_officer, "role": MemberRole.MEMBER, "transport": Transport.E_BIKE},
        {"person": volunteer, "role": MemberRole.MEMBER, "transport": Transport.E_BIKE},
    ]


@pytest.fixture
def patrol(lt_coordinator: Any, team: list[Any]) -> Patrol:
    start = timezone.now() + datetime.timedelta(hours=2)
    return do_plan_patrol(
        title="Joint e-bike patrol",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        area=AREA,
        talk_group="LT-LV JOINT 1",
        members=team,
        actor=lt_coordinator.user,
    )


def test_it_plans_a_patrol_with_a_mixed_team_and_tells_them(
    patrol: Patrol, team: list[Any], lt_org: Any, lv_org: Any
) -> None:
    organizations = {m.person.organization for m in patrol.members.all()}
    assert organizations == {lt_org, lv_org}
    assert patrol.members.get(role=MemberRole.LEADER).person == team[0]["person"]
    for member in team:
        note = Notification.objects.get(recipient=member["person"], kind="operations-patrol")
        assert note.url == patrol.get_absolute_url()
    # Each member is told in their own language.
    assert Notification.objects.filter(kind="operations-patrol").count() == 3


def test_it_shows_the_patrol_to_the_team_members_organizations(
    patrol: Patrol, lv_officer: Any, lv_org: Any, persona: Any, other_org_officer: Any,
    logged_in: Any,
) -> None:  # fmt: skip
    colleague = persona(lv_org, Role.COORDINATOR, username="dace")
    assert logged_in(colleague).get(patrol.get_absolute_url()).status_code == 200
    assert logged_in(lv_officer).get(patrol.get_absolute_url()).status_code == 200
    assert logged_in(other_org_officer).get(patrol.get_absolute_url()).status_code == 404
    lv_volunteer = persona(lv_org, Role.VOLUNTEER, username="arturs")
    assert logged_in(lv_volunteer).get(patrol.get_absolute_url()).status_code == 404


def test_it_refuses_a_patrol_without_area_or_team(lt_coordinator: Any, team: list[Any]) -> None:
    start = timezone.now()
    with pytest.raises(ValidationError) as no_area:
        do_plan_patrol(
            title="X", starts_at=start, ends_at=start + datetime.timedelta(hours=1),
            members=team, actor=lt_coordinator.user,
        )  # fmt: skip
    assert "area" in no_area.value.message_dict
    with pytest.raises(ValidationError):
        do_plan_patrol(
            title="X", starts_at=start, ends_at=start + datetime.timedelta(hours=1),
            route="Beach", members=[], actor=lt_coordinator.user,
        )  # fmt: skip


def test_it_plans_a_patrol_from_the_page(
    lt_coordinator: Any, lt_specialist: Any, lv_officer: Any, logged_in: Any
) -> None:
    client = logged_in(lt_coordinator)
    page = client.get("/operations/patrols/new/").content.decode()
    assert 'data-draw-input="id_area"' in page
    data = {
        "title": "Beach patrol",
        "starts_at": "2026-07-01T10:00",
        "ends_at": "2026-07-01T16:00",
        "area": json.dumps(AREA),
        "talk_group": "JOINT 1",
        "team-TOTAL_FORMS": "4",
        "team-INITIAL_FORMS": "0",
        "team-0-person": lt_specialist.pk,
        "team-0-role": "leader",
        "team-0-transport": "e_bike",
        "team-1-person": lv_officer.pk,
        "team-1-role": "member",
        "team-1-transport": "e_bike",
        "team-2-role": "member",
        "team-2-transport": "foot",
        "team-3-role": "member",
        "team-3-transport": "foot",
    }
    response = client.post("/operations/patrols/new/", data)
    patrol = Patrol.objects.get()
    assert response.status_code == 302 and response["Location"] == patrol.get_absolute_url()
    assert patrol.area == AREA and patrol.members.count() == 2
    assert "Beach patrol" in client.get("/operations/patrols/").content.decode()


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ("", "Draw the area on the map or describe the route."),
        ("{not json", "The drawn area could not be read; draw it again."),
    ],
)
def test_it_tells_the_planner_what_is_wrong_with_the_area(
    lt_coordinator: Any, lt_specialist: Any, logged_in: Any, area: str, message: str
) -> None:
    """The area's input is hidden (the map fills it), so its errors were never shown."""
    data = {
        "title": "Beach patrol",
        "starts_at": "2026-07-01T10:00",
        "ends_at": "2026-07-01T16:00",
        "area": area,
        "team-TOTAL_FORMS": "1",
        "team-INITIAL_FORMS": "0",
        "team-0-person": lt_specialist.pk,
        "team-0-role": "leader",
        "team-0-transport": "e_bike",
    }
    response = logged_in(lt_coordinator).post("/operations/patrols/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Patrol.objects.exists()


def test_it_links_only_the_equipment_the_viewer_may_open(
    lt_coordinator: Any, team: list[Any], lt_org: Any, lv_officer: Any, logged_in: Any
) -> None:
    """A Latvian team member was shown links to Palanga's equipment pages that answered 404."""
    camera = do_create_asset(
        lt_org, kind=AssetKind.BODY_CAMERA, tag="BC-9", actor=lt_coordinator.user
    )
    start = timezone.now() + datetime.timedelta(hours=1)
    patrol = do_plan_patrol(
        title="Dunes", starts_at=start, ends_at=start + datetime.timedelta(hours=3),
        route="Dunes", members=team, equipment=[camera], actor=lt_coordinator.user,
    )  # fmt: skip
    link = f'href="{camera.get_absolute_url()}"'
    page = logged_in(lv_officer).get(patrol.get_absolute_url()).content.decode()
    assert "BC-9" in page and link not in page
    assert logged_in(lv_officer).get(camera.get_absolute_url()).status_code == 404
    page = logged_in(lt_coordinator).get(patrol.get_absolute_url()).content.decode()
    assert link in page


def test_it_checks_the_equipment_out_when_the_patrol_starts(
    lt_coordinator: Any, team: list[Any], lt_org: Any
) -> None:
    bike = do_create_asset(
        lt_org, kind=AssetKind.BODY_CAMERA, tag="BC-7", actor=lt_coordinator.user
    )
    start = timezone.now()
    patrol = do_plan_patrol(
        title="Beach", starts_at=start, ends_at=start + datetime.timedelta(hours=3),
        route="Beach", members=team, equipment=[bike], actor=lt_coordinator.user,
    )  # fmt: skip
    problems = do_start_patrol(patrol, check_out=True, actor=lt_coordinator.user)
    assert problems == []
    patrol.refresh_from_db()
    assert patrol.status == PatrolStatus.ACTIVE
    checkout = bike.checkouts.get()
    assert checkout.person == team[0]["person"] and checkout.expected_return == patrol.ends_at
    with pytest.raises(ValidationError):
        do_start_patrol(patrol, actor=lt_coordinator.user)


def test_it_reports_km_and_incidents_after_the_patrol(
    patrol: Patrol, lt_coordinator: Any, make_incident: Any, lt_specialist: Any, logged_in: Any
) -> None:
    incident = make_incident(actor=lt_specialist)
    do_start_patrol(patrol, actor=lt_coordinator.user)
    members = list(patrol.members.all())
    client = logged_in(lt_coordinator)
    data = {"report": "Beach checked, one theft", "incidents": [incident.pk]}
    for member in members:
        data[f"km_{member.pk}"] = "12.5"
    response = client.post(f"/operations/patrols/{patrol.pk}/report/", data)
    assert response.status_code == 302
    patrol.refresh_from_db()
    assert patrol.status == PatrolStatus.DONE
    assert list(patrol.incidents.all()) == [incident]
    assert {m.km for m in patrol.members.all()} == {Decimal("12.5")}
    page = client.get(patrol.get_absolute_url()).content.decode()
    assert "Beach checked, one theft" in page and "37.5" in page
    with pytest.raises(ValidationError):
        do_report_patrol(patrol, report="again", actor=lt_coordinator.user)


def test_it_names_the_means_of_transport_with_the_km(
    patrol: Patrol, lt_coordinator: Any, logged_in: Any
) -> None:
    do_start_patrol(patrol, actor=lt_coordinator.user)
    km = {member.pk: "12.5" for member in patrol.members.all()}
    do_report_patrol(patrol, report="Beach checked", km=km, actor=lt_coordinator.user)
    page = logged_in(lt_coordinator).get(patrol.get_absolute_url()).content.decode()
    assert "e-bike: 37.5 km" in page and "e_bike" not in page


def _pages(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def test_it_prints_the_briefing_in_each_members_language(
    patrol: Patrol, lt_coordinator: Any, lt_org: Any, lv_org: Any, logged_in: Any
) -> None:
    response = logged_in(lt_coordinator).get(f"/operations/patrols/{patrol.pk}/briefing.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = _pages(response.content)
    assert len(pages) == 2
    lithuanian, latvian = pages
    assert "Lietuvių" in lithuanian and lt_org.name_lt in lithuanian
    assert "Latviešu" in latvian and lt_org.name_lv in latvian
    for page in pages:
        assert "LT-LV JOINT 1" in page and "Joint e-bike patrol" in page
        assert "Edgars Vītols" in page
    only = _pages(
        logged_in(lt_coordinator)
        .get(f"/operations/patrols/{patrol.pk}/briefing.pdf?lang=lv")
        .content
    )
    assert len(only) == 1 and "Latviešu" in only[0]


def test_a_long_briefing_flows_onto_more_pages_with_words_whole(
    patrol: Patrol, lt_coordinator: Any, lt_org: Any, logged_in: Any
) -> None:
    lt_org.name_lt = "Palangos miesto savivaldybės administracijos Viešosios tvarkos skyrius"
    lt_org.save()
    words = [f"žodis{n:03d}" for n in range(900)]
    Patrol.objects.filter(pk=patrol.pk).update(briefing=" ".join(words) + " PABAIGA")
    response = logged_in(lt_coordinator).get(
        f"/operations/patrols/{patrol.pk}/briefing.pdf?lang=lt"
    )
    pages = _pages(response.content)
    assert len(pages) >= 2  # the paragraph went on to a second page, not off the first
    text = " ".join(" ".join(pages).split())
    assert "PABAIGA" in text  # the end of the paragraph is printed
    printed = [w for w in text.split() if w.startswith("žodis")]
    assert printed == words  # every word whole and in order: none cut across lines
    assert "administracijos" in text.split()


def test_it_starts_the_patrol_from_its_page(
    patrol: Patrol, lt_coordinator: Any, lv_officer: Any, logged_in: Any
) -> None:
    # A team member of another organization sees the patrol but does not run it.
    assert logged_in(lv_officer).post(f"/operations/patrols/{patrol.pk}/start/").status_code == 403
    client = logged_in(lt_coordinator)
    page = client.get(patrol.get_absolute_url()).content.decode()
    assert "?lang=lt" in page and "?lang=lv" in page and 'id="patrol-map"' in page
    response = client.post(f"/operations/patrols/{patrol.pk}/start/", {"check_out": "on"})
    assert response.status_code == 302
    patrol.refresh_from_db()
    assert patrol.status == PatrolStatus.ACTIVE
    area = client.get(f"/operations/geo/patrols.geojson?patrol={patrol.pk}").json()
    assert len(area["features"]) == 1


def test_it_feeds_the_ebike_km_to_the_eco_figures(
    lt_coordinator: Any, team: list[Any], lt_org: Any
) -> None:
    from scape.equipment.models import Trip

    ebike = do_create_asset(lt_org, kind=AssetKind.E_BIKE, tag="EB-2", actor=lt_coordinator.user)
    start = timezone.now()
    patrol = do_plan_patrol(
        title="Dunes", starts_at=start, ends_at=start + datetime.timedelta(hours=3),
        route="Dunes", members=team, equipment=[ebike], actor=lt_coordinator.user,
    )  # fmt: skip
    assert do_start_patrol(patrol, check_out=True, actor=lt_coordinator.user) == []
    leader = patrol.members.get(role=MemberRole.LEADER)
    do_report_patrol(
        patrol, report="Dunes checked", km={leader.pk: "18.4"}, actor=lt_coordinator.user
    )
    trip = Trip.objects.get(asset=ebike)
    assert trip.km == Decimal("18.4") and trip.driver == leader.person


def test_a_volunteer_sees_only_the_patrols_they_are_on(
    patrol: Patrol, team: list[Any], lt_coordinator: Any, lt_org: Any, persona: Any,
    logged_in: Any,
) -> None:  # fmt: skip
    start = timezone.now() + datetime.timedelta(days=1)
    other = do_plan_patrol(
        title="Night patrol of the old town",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        area=AREA,
        briefing="Informant Jonas at Vytauto 5 reports dealing after 22:00.",
        members=[{"person": team[0]["person"], "role": MemberRole.LEADER}],
        actor=lt_coordinator.user,
    )
    volunteer = team[2]["person"]
    client = logged_in(volunteer)
    assert client.get(patrol.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    listing = client.get("/operations/patrols/").content.decode()
    assert "Night patrol of the old town" not in listing and "Joint e-bike patrol" in listing
    auditor = logged_in(persona(lt_org, Role.AUDITOR, username="dalia.audit"))
    assert auditor.get(other.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("area", "why"),
    [
        ({"type": "Bogus"}, "FeatureCollection"),
        ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
          "geometry": {"type": "Polygon", "coordinates": [[[21.0, 55.9], [21.1, 55.9], [21.1, 56.0]]]}}]},
         "four positions"),
        ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
          "geometry": {"type": "Point", "coordinates": [500, -300]}}]}, "longitude"),
        ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"radius": -5},
          "geometry": {"type": "Point", "coordinates": [21.0, 55.9]}}]}, "radius"),
        ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
          "geometry": {"type": "LineString", "coordinates": [[21.0, 55.9], [21.1, 56.0]]}}]},
         "polygons and circles"),
    ],
)  # fmt: skip
def test_a_bad_area_is_refused_with_the_reason(area: Any, why: str) -> None:
    from scape.core.geojson import AreaError, valid_area

    with pytest.raises(AreaError, match=why):
        valid_area(area)


def test_a_polygon_drawn_clockwise_is_stored_by_the_right_hand_rule() -> None:
    from scape.core.geojson import valid_area

    clockwise = [[21.0, 55.9], [21.0, 56.0], [21.1, 56.0], [21.1, 55.9], [21.0, 55.9]]
    area = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [clockwise]}}
    ]}  # fmt: skip
    [ring] = valid_area(area)["features"][0]["geometry"]["coordinates"]
    assert ring == clockwise[::-1]  # exterior rings counter-clockwise (RFC 7946 3.1.6)
    import itertools

    twice = sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))
    assert twice > 0
