"""Saving a drawn area in the composer as a named area of the organization."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from scape.alerts.actions import do_save_area
from scape.alerts.models import Notice, SavedArea
from scape.core.choices import Role
from scape.core.models import AuditEvent
from tests.alerts.test_manage_pages import _post

pytestmark = pytest.mark.django_db

PIER = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[21.05, 55.93], [21.06, 55.93], [21.06, 55.92], [21.05, 55.93]]],
            },
        }
    ],
}
CIRCLE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"radius": 300},
            "geometry": {"type": "Point", "coordinates": [21.04, 55.92]},
        }
    ],
}


def _save(client: Any, name: str, drawn: Any = PIER, url: str = "/alerts/manage/new/") -> Any:
    return client.post(
        url,
        _post(
            saved_areas=[],
            save_area="1",
            area_name=name,
            drawn=json.dumps(drawn) if drawn else "",
            headline_lt="Prie tilto pavojinga",
        ),
    )


def test_a_specialist_saves_a_drawn_area_and_keeps_composing(
    palanga: Any, specialist: Any, logged_in: Any
) -> None:
    client = logged_in(specialist)
    assert (
        "Save as an area of my organization" in client.get("/alerts/manage/new/").content.decode()
    )
    response = _save(client, "Palanga pier")
    assert response.status_code == 200
    area = SavedArea.objects.get(name="Palanga pier")
    assert area.organization == palanga
    assert area.polygon[0] == [55.93, 21.05] and area.polygon[0] == area.polygon[-1]
    html = response.content.decode()
    assert "The area “Palanga pier” is saved and picked for this notice." in html
    # What was typed stays, and the new area is picked; no notice is written yet.
    assert 'value="Prie tilto pavojinga"' in html
    assert f'value="{area.pk}" id="id_saved_areas_' in html
    checkbox = html.split(f'value="{area.pk}"')[1].split(">")[0]
    assert "checked" in checkbox
    assert not Notice.objects.exists()
    event = AuditEvent.objects.get(action="alerts.area_saved")
    assert event.actor_username == specialist.user.username
    assert event.object_id == str(area.pk) and event.details["name"] == "Palanga pier"
    # Saving the draft with the picked area uses it.
    client.post("/alerts/manage/new/", _post(saved_areas=[area.pk]))
    assert [a.area_desc for a in Notice.objects.get().areas.all()] == ["Palanga pier"]


def test_the_composer_offers_own_and_shared_areas_only(
    palanga: Any, liepaja: Any, coordinator: Any, persona: Any, logged_in: Any
) -> None:
    do_save_area(palanga, actor=coordinator.user, name="Palanga pier", areas=[_area(CIRCLE)])
    saved = SavedArea.objects.get(name="Palanga pier")
    assert saved.is_circle and saved.circle_radius_km == 0.3
    own = logged_in(coordinator).get("/alerts/manage/new/").content.decode()
    assert "Palanga pier" in own and "Liepāja centre" in own
    latvian = persona(liepaja, Role.SPECIALIST, username="ilze")
    other = logged_in(latvian).get("/alerts/manage/new/").content.decode()
    assert "Palanga pier" not in other and "Liepāja centre" in other


def _area(drawn: Any) -> dict[str, Any]:
    from scape.alerts.areas import areas_from_geojson

    return areas_from_geojson(json.dumps(drawn), "")[0]


@pytest.mark.parametrize(
    ("name", "drawn", "message"),
    [
        ("", PIER, "Give the area a name."),
        ("  ", PIER, "Give the area a name."),
        ("palanga BEACH", PIER, "An area named “palanga BEACH” is already saved."),
        ("Pier", None, "Draw exactly one polygon or circle on the map"),
        ("Pier", {"features": PIER["features"] + CIRCLE["features"]}, "Draw exactly one"),
    ],
)
def test_a_wrong_area_is_refused_with_a_clear_message(
    specialist: Any, logged_in: Any, name: str, drawn: Any, message: str
) -> None:
    before = SavedArea.objects.count()
    response = _save(logged_in(specialist), name, drawn)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'role="alert"' in html
    # The typed name and drawing stay for the next try.
    assert 'value="Prie tilto pavojinga"' in html
    assert SavedArea.objects.count() == before and not Notice.objects.exists()


def test_a_name_is_unique_in_the_organization_not_across(
    palanga: Any, liepaja: Any, specialist: Any, persona: Any, logged_in: Any
) -> None:
    assert _save(logged_in(specialist), "Pier").status_code == 200
    again = _save(logged_in(specialist), "PIER")
    assert again.status_code == 400
    assert "An area named “PIER” is already saved. Choose another name." in again.content.decode()
    latvian = persona(liepaja, Role.COORDINATOR, username="dace")
    assert _save(logged_in(latvian), "Pier").status_code == 200
    assert SavedArea.objects.filter(name__iexact="pier").count() == 2


def test_an_officer_cannot_save_areas(palanga: Any, persona: Any, logged_in: Any) -> None:
    officer = persona(palanga, Role.OFFICER, username="jonas")
    client = logged_in(officer)
    page = client.get("/alerts/manage/new/")
    assert page.status_code == 200
    assert "Save as an area of my organization" not in page.content.decode()
    assert _save(client, "Pier").status_code == 403
    assert not SavedArea.objects.filter(name="Pier").exists()
    with pytest.raises(PermissionDenied):
        do_save_area(palanga, actor=officer.user, name="Pier", areas=[_area(PIER)])


def test_a_specialist_cannot_save_for_another_organization(liepaja: Any, specialist: Any) -> None:
    with pytest.raises(PermissionDenied):
        do_save_area(liepaja, actor=specialist.user, name="Pier", areas=[_area(PIER)])
    with pytest.raises(ValidationError):
        do_save_area(
            specialist.organization,
            actor=specialist.user,
            name="Far",
            areas=[{"area_desc": "", "polygon": [[95, 21], [55, 21], [55, 22]]}],
        )
    assert not SavedArea.objects.filter(organization__isnull=False).exists()


def test_saving_from_the_edit_page_keeps_the_draft(
    make_notice: Any, specialist: Any, logged_in: Any
) -> None:
    notice = make_notice()
    response = _save(logged_in(specialist), "Pier", url=f"/alerts/manage/{notice.pk}/edit/")
    assert response.status_code == 200
    assert SavedArea.objects.filter(name="Pier").exists()
    notice.refresh_from_db()
    assert notice.infos.get(language="lt").headline == "Paplūdimys uždarytas"
