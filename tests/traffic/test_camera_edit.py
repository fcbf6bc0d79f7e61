"""The camera edit page: coordinators and admins of the camera's organization change it."""

from __future__ import annotations

from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.equipment.actions import do_create_asset
from scape.traffic.actions import do_update_camera
from scape.traffic.models import TrafficCamera

FIELDS = {
    "name": "A13 Palanga south",
    "road": "A13",
    "direction": "S",
    "latitude": "55.91",
    "longitude": "21.08",
    "zone": "0,400 1920,400 1920,1080 0,1080",
    "active": "on",
}


def _url(camera):
    return f"/traffic/cameras/{camera.pk}/edit/"


def test_a_coordinator_edits_the_camera_and_it_is_audited(camera, palanga, pal_coord, logged_in):
    asset = do_create_asset(palanga, kind="traffic_camera", tag="TC-01", actor=pal_coord.user)
    client = logged_in(pal_coord)
    page = client.get(_url(camera))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="A13 Palanga north"' in html and 'id="camera-pick-map"' in html
    assert 'data-pick="id_latitude,id_longitude"' in html and "<script>" not in html
    response = client.post(_url(camera), {**FIELDS, "asset": asset.pk})
    assert response.status_code == 302
    camera.refresh_from_db()
    assert camera.name == "A13 Palanga south" and camera.direction == "S"
    assert (camera.latitude, camera.longitude) == (55.91, 21.08)
    assert camera.zone == [[0, 400], [1920, 400], [1920, 1080], [0, 1080]]
    assert camera.asset == asset and camera.active
    event = AuditEvent.objects.get(action="traffic.camera_updated")
    assert event.details["changed"]["name"] == {
        "from": "A13 Palanga north",
        "to": "A13 Palanga south",
    }
    # The detail page links to the edit page and shows the saved zone.
    detail = client.get(camera.get_absolute_url()).content.decode()
    assert _url(camera) in detail and "1920" in detail


def test_the_edit_form_shows_the_zone_as_points_and_switches_off(camera, pal_coord, logged_in):
    do_update_camera(
        camera, actor=pal_coord.user, name=camera.name, latitude=camera.latitude,
        longitude=camera.longitude, zone=[[1, 2], [3, 4], [5, 6]],
    )  # fmt: skip
    client = logged_in(pal_coord)
    assert 'value="1,2 3,4 5,6"' in client.get(_url(camera)).content.decode()
    fields = {k: v for k, v in FIELDS.items() if k not in ("active", "zone")}
    assert client.post(_url(camera), fields).status_code == 302
    camera.refresh_from_db()
    assert not camera.active and camera.zone == []


def test_a_bad_zone_is_refused_with_a_clear_message(camera, pal_coord, logged_in):
    client = logged_in(pal_coord)
    for zone, message in (
        ("0,0 10,10", "at least three points"),
        ("0,0 10,-5 20,20", "“10,-5” is not a point"),
        ("0,0 10 20,20", "“10” is not a point"),
        ("0,0 a,b 20,20", "“a,b” is not a point"),
        ("0,0 1.5,2 20,20", "“1.5,2” is not a point"),
    ):
        response = client.post(_url(camera), {**FIELDS, "zone": zone})
        assert response.status_code == 400, zone
        assert message in response.content.decode(), zone
    camera.refresh_from_db()
    assert camera.name == "A13 Palanga north" and camera.zone == []
    assert not AuditEvent.objects.filter(action="traffic.camera_updated").exists()


def test_only_traffic_cameras_of_the_same_organization_are_offered(
    camera, palanga, liepaja, pal_coord, lie_officer, logged_in
):
    own = do_create_asset(palanga, kind="traffic_camera", tag="TC-01", actor=pal_coord.user)
    radio = do_create_asset(palanga, kind="radio", tag="R-01", actor=pal_coord.user)
    foreign = do_create_asset(liepaja, kind="traffic_camera", tag="TC-09", actor=lie_officer.user)
    client = logged_in(pal_coord)
    html = client.get(_url(camera)).content.decode()
    assert "TC-01" in html and "R-01" not in html and "TC-09" not in html
    for other in (radio, foreign):
        response = client.post(_url(camera), {**FIELDS, "asset": other.pk})
        assert response.status_code == 400
    camera.refresh_from_db()
    assert camera.asset is None
    assert client.post(_url(camera), {**FIELDS, "asset": own.pk}).status_code == 302


def test_a_taken_name_is_refused(camera, palanga, pal_coord, logged_in):
    TrafficCamera.objects.create(
        organization=palanga, name="A13 Palanga south", latitude=55.9, longitude=21.1,
        token_hash="x" * 64,
    )  # fmt: skip
    response = logged_in(pal_coord).post(_url(camera), FIELDS)
    assert response.status_code == 400
    assert "already used in this organization" in response.content.decode()


def test_others_may_not_edit(camera, palanga, persona, pal_officer, lie_officer, logged_in):
    assert logged_in(pal_officer).get(_url(camera)).status_code == 403
    assert logged_in(pal_officer).post(_url(camera), FIELDS).status_code == 403
    assert logged_in(lie_officer).get(_url(camera)).status_code == 404
    admin = persona(palanga, Role.ORG_ADMIN, username="admin")
    assert logged_in(admin).get(_url(camera)).status_code == 200
    camera.refresh_from_db()
    assert camera.name == "A13 Palanga north"
