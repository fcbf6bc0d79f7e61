"""The equipment API: the access door, custody, meters, trips, maintenance and flights."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from scape.activities.models import Competency
from scape.core.choices import Role
from scape.core.testing import token_client
from scape.equipment.actions import do_record_reading
from scape.equipment.choices import AssetKind, AssetStatus, MeterUnit
from scape.equipment.models import (
    Checkout,
    DroneFlight,
    MaintenanceRecord,
    MeterReading,
    Trip,
)
from tests.equipment.conftest import grant
from tests.equipment.test_flights import GPX

pytestmark = pytest.mark.django_db

BASE = "/api/v1/equipment/assets/"


def _api(person):
    return token_client(person.user)


def _times(minutes: int = 30) -> tuple[str, str]:
    start = timezone.now() - datetime.timedelta(hours=2)
    return start.isoformat(), (start + datetime.timedelta(minutes=minutes)).isoformat()


@pytest.fixture
def stranger(lv_org, persona):
    return persona(lv_org, Role.COORDINATOR, username="liga")


def test_it_lists_assets_filtered_by_kind_status_and_serial(make_asset, officer):
    make_asset(tag="BC-1", serial="SN-1")
    make_asset(tag="BC-2", serial="SN-2", status=AssetStatus.MAINTENANCE)
    make_asset(kind=AssetKind.DRONE, tag="DR-1")
    api = _api(officer)
    assert api.get(BASE).json()["count"] == 3
    assert [a["tag"] for a in api.get(BASE, {"kind": AssetKind.DRONE}).json()["results"]] == [
        "DR-1"
    ]
    assert [a["tag"] for a in api.get(BASE, {"status": "maintenance"}).json()["results"]] == [
        "BC-2"
    ]
    found = api.get(BASE, {"serial": "SN-1"}).json()["results"]
    assert [a["tag"] for a in found] == ["BC-1"]


def test_another_organization_sees_nothing_and_gets_404(make_asset, stranger):
    camera = make_asset(tag="BC-1")
    api = _api(stranger)
    assert api.get(BASE).json()["count"] == 0
    for suffix in ("", "history/", "readings/", "trips/", "maintenance/", "flights/"):
        assert api.get(f"{BASE}{camera.pk}/{suffix}").status_code == 404
    for suffix, body in (
        ("check-out/", {"person": stranger.pk}),
        ("check-in/", {}),
        ("readings/", {"unit": "km", "value": "5"}),
        ("maintenance/", {"kind": "service"}),
    ):
        assert api.post(f"{BASE}{camera.pk}/{suffix}", body).status_code == 404
    assert not MeterReading.objects.exists() and not Checkout.objects.exists()


def test_it_checks_out_and_in_and_shows_the_history(make_asset, desk, officer):
    camera = make_asset(tag="BC-1")
    api = _api(desk)
    back = (timezone.now() + datetime.timedelta(hours=8)).isoformat()
    response = api.post(
        f"{BASE}{camera.pk}/check-out/", {"person": officer.pk, "expected_return": back}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["person"] == officer.pk
    camera.refresh_from_db()
    assert camera.status == AssetStatus.CHECKED_OUT
    again = api.post(f"{BASE}{camera.pk}/check-out/", {"person": officer.pk})
    assert again.status_code == 400 and "already checked out" in str(again.json())
    response = api.post(f"{BASE}{camera.pk}/check-in/", {"condition": "scratched"})
    assert response.status_code == 200 and response.json()["condition"] == "scratched"
    rows = api.get(f"{BASE}{camera.pk}/history/").json()["results"]
    assert [(r["person_name"], r["condition"]) for r in rows] == [("Jonas Petraitis", "scratched")]


def test_an_officer_checks_out_to_themselves_only(make_asset, officer, lt_org, persona):
    camera = make_asset(tag="BC-1")
    colleague = persona(lt_org, Role.OFFICER, username="ona")
    api = _api(officer)
    response = api.post(f"{BASE}{camera.pk}/check-out/", {"person": colleague.pk})
    assert response.status_code == 403 and not Checkout.objects.exists()
    response = api.post(f"{BASE}{camera.pk}/check-out/", {"person": officer.pk})
    assert response.status_code == 201 and Checkout.objects.get().person == officer
    response = api.post(f"{BASE}{camera.pk}/check-in/", {"condition": "ok"})
    assert response.status_code == 200


def test_it_refuses_a_check_out_without_the_competency(make_asset, desk, officer, ebike_patrol):
    bike = make_asset(kind=AssetKind.E_BIKE, tag="EB-1")
    response = _api(desk).post(f"{BASE}{bike.pk}/check-out/", {"person": officer.pk})
    assert response.status_code == 400
    assert "E-bike patrol" in str(response.json())
    assert not Checkout.objects.exists()
    grant(officer, ebike_patrol)
    assert _api(desk).post(f"{BASE}{bike.pk}/check-out/", {"person": officer.pk}).status_code == 201


def test_it_refuses_a_backdated_reading_higher_than_a_later_one(make_asset, desk):
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    car = make_asset(kind=AssetKind.ELECTRIC_CAR, tag="EV-2")
    now = timezone.now()
    do_record_reading(
        car, MeterUnit.KM, "1000", actor=desk.user, read_at=now - datetime.timedelta(days=10)
    )
    do_record_reading(
        car, MeterUnit.KM, "1500", actor=desk.user, read_at=now - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="higher than a later one"):
        do_record_reading(
            car, MeterUnit.KM, "1700", actor=desk.user, read_at=now - datetime.timedelta(days=5)
        )
    do_record_reading(
        car, MeterUnit.KM, "1200", actor=desk.user, read_at=now - datetime.timedelta(days=5)
    )
    with pytest.raises(ValidationError, match="future"):
        do_record_reading(
            car, MeterUnit.KM, "1600", actor=desk.user, read_at=now + datetime.timedelta(days=1)
        )
    assert MeterReading.objects.filter(asset=car).count() == 3


def test_it_records_readings_and_refuses_a_decreasing_meter(make_asset, officer, desk):
    car = make_asset(kind=AssetKind.ELECTRIC_CAR, tag="EV-1")
    do_record_reading(car, MeterUnit.KM, "1200", actor=desk.user)
    api = _api(officer)
    response = api.post(f"{BASE}{car.pk}/readings/", {"unit": "km", "value": "1250.5"})
    assert response.status_code == 201 and response.json()["value"] == "1250.5"
    response = api.post(f"{BASE}{car.pk}/readings/", {"unit": "km", "value": "900"})
    assert response.status_code == 400
    assert "lower than the last one" in " ".join(response.json()["value"])
    assert MeterReading.objects.count() == 2
    replaced = api.post(
        f"{BASE}{car.pk}/readings/", {"unit": "km", "value": "3", "replacement": True}
    )
    assert replaced.status_code == 201
    assert [r["value"] for r in api.get(f"{BASE}{car.pk}/readings/").json()["results"]] == [
        "3.0",
        "1250.5",
        "1200.0",
    ]


def test_it_records_and_lists_trips(make_asset, officer):
    car = make_asset(kind=AssetKind.ELECTRIC_CAR, tag="EV-1")
    start, end = _times()
    api = _api(officer)
    body = {"started_at": start, "ended_at": end, "km": "42.5", "energy_kwh": "7.1"}
    response = api.post(f"{BASE}{car.pk}/trips/", body)
    assert response.status_code == 201, response.json()
    assert Trip.objects.get().driver == officer
    wrong = api.post(f"{BASE}{car.pk}/trips/", {**body, "ended_at": start})
    assert wrong.status_code == 400 and "end after it starts" in str(wrong.json())
    assert [t["km"] for t in api.get(f"{BASE}{car.pk}/trips/").json()["results"]] == ["42.5"]
    assert Trip.objects.count() == 1


def test_it_refuses_a_trip_for_equipment_that_is_not_a_vehicle(make_asset, officer):
    camera = make_asset(tag="BC-1")
    start, end = _times()
    response = _api(officer).post(
        f"{BASE}{camera.pk}/trips/", {"started_at": start, "ended_at": end, "km": "4"}
    )
    assert response.status_code == 400 and "vehicles only" in str(response.json())
    assert not Trip.objects.exists()


def test_managers_record_maintenance_and_officers_only_read_it(make_asset, desk, officer):
    car = make_asset(kind=AssetKind.ELECTRIC_CAR, tag="EV-1")
    refused = _api(officer).post(f"{BASE}{car.pk}/maintenance/", {"kind": "service"})
    assert refused.status_code == 403
    api = _api(desk)
    response = api.post(
        f"{BASE}{car.pk}/maintenance/",
        {"kind": "service", "description": "tyres", "cost": "80.00"},
    )
    assert response.status_code == 201, response.json()
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    wrong = api.post(f"{BASE}{car.pk}/maintenance/", {"kind": "repair", "done_on": future})
    assert wrong.status_code == 400 and "future" in str(wrong.json()["done_on"])
    listed = _api(officer).get(f"{BASE}{car.pk}/maintenance/").json()["results"]
    assert [(m["kind"], m["description"]) for m in listed] == [("service", "tyres")]
    assert MaintenanceRecord.objects.count() == 1


@pytest.fixture
def drone(make_asset):
    return make_asset(kind=AssetKind.DRONE, tag="DR-1")


@pytest.fixture
def pilot(officer):
    grant(officer, Competency.objects.get(code="drone-pilot"))
    return officer


def _flight(start: str, end: str, **extra):
    return {"started_at": start, "ended_at": end, "purpose": "Search", **extra}


def test_it_records_a_flight_with_a_track_file(drone, pilot):
    start, end = _times(20)
    track = SimpleUploadedFile("flight.gpx", GPX, content_type="application/gpx+xml")
    api = _api(pilot)
    response = api.post(
        f"{BASE}{drone.pk}/flights/", _flight(start, end, track=track), format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["track_points"], response.json()["track_file"]) == (2, "flight.gpx")
    listed = api.get(f"{BASE}{drone.pk}/flights/").json()["results"]
    assert [f["pilot"] for f in listed] == [pilot.pk]


def test_a_flight_with_a_malformed_track_stores_nothing(drone, pilot):
    start, end = _times(20)
    track = SimpleUploadedFile("flight.gpx", b"<gpx><trkpt lat='x'")
    response = _api(pilot).post(
        f"{BASE}{drone.pk}/flights/", _flight(start, end, track=track), format="multipart"
    )
    assert response.status_code == 400
    assert "Not a valid GPX file" in " ".join(response.json()["track"])
    assert not DroneFlight.objects.exists()


def test_it_refuses_a_flight_by_a_pilot_without_the_competency(drone, officer):
    start, end = _times(20)
    response = _api(officer).post(f"{BASE}{drone.pk}/flights/", _flight(start, end))
    assert response.status_code == 400 and "Drone pilot" in str(response.json())
    assert not DroneFlight.objects.exists()


def test_the_openapi_schema_documents_the_equipment_api(client, officer, logged_in):
    logged_in(officer)
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert "/api/v1/equipment/assets/{id}/flights/" in paths
    assert (
        "multipart/form-data"
        in paths["/api/v1/equipment/assets/{id}/flights/"]["post"]["requestBody"]["content"]
    )


def test_an_integrator_registers_and_changes_equipment_through_the_api(lt_org, persona) -> None:
    from scape.core.choices import Role
    from scape.core.models import AuditEvent
    from scape.core.testing import token_client
    from scape.equipment.models import Asset

    coordinator = persona(lt_org, Role.COORDINATOR, username="eq-coord")
    officer = persona(lt_org, Role.OFFICER, username="eq-officer")
    api = token_client(coordinator.user)
    made = api.post(
        "/api/v1/equipment/assets/",
        {"kind": "radio", "tag": "R-17", "serial": "TPH-9", "price": "412.50"},
        format="json",
    )
    assert made.status_code == 201, made.content
    asset = Asset.objects.get(pk=made.json()["id"])
    assert asset.organization == lt_org and str(asset.price) == "412.50"
    changed = api.patch(
        f"/api/v1/equipment/assets/{asset.pk}/", {"location": "Palanga station"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["location"] == "Palanga station"
    assert (
        api.post(
            "/api/v1/equipment/assets/", {"kind": "radio", "tag": "R-17"}, format="json"
        ).status_code
        == 400
    )  # the tag is taken
    refused = token_client(officer.user).patch(
        f"/api/v1/equipment/assets/{asset.pk}/", {"location": "home"}, format="json"
    )
    assert refused.status_code == 403
    assert Asset.objects.get(pk=asset.pk).location == "Palanga station"
    assert AuditEvent.objects.filter(action="equipment.asset_created").exists()


def test_the_desk_adds_a_photo_through_the_api_and_a_fake_picture_is_refused(
    lt_org, persona
) -> None:
    import cv2
    import numpy as np
    from django.core.files.uploadedfile import SimpleUploadedFile

    from scape.core.choices import Role
    from scape.core.testing import token_client
    from scape.equipment.actions import do_create_asset

    coordinator = persona(lt_org, Role.COORDINATOR, username="photo-coord")
    officer = persona(lt_org, Role.OFFICER, username="photo-officer")
    asset = do_create_asset(lt_org, kind="bicycle", tag="B-3", actor=coordinator.user)
    ok, png = cv2.imencode(".png", np.full((40, 60, 3), 120, dtype=np.uint8))
    assert ok
    url = f"/api/v1/equipment/assets/{asset.pk}/photos/"
    answer = token_client(coordinator.user).post(
        url,
        {"photo": SimpleUploadedFile("b3.png", png.tobytes()), "caption": "Front"},
        format="multipart",
    )
    assert answer.status_code == 201, answer.content
    assert asset.photos.get().caption == "Front"
    fake = token_client(coordinator.user).post(
        url, {"photo": SimpleUploadedFile("x.png", b"not a picture")}, format="multipart"
    )
    assert fake.status_code == 400
    refused = token_client(officer.user).post(
        url, {"photo": SimpleUploadedFile("b3.png", png.tobytes())}, format="multipart"
    )
    assert refused.status_code == 403 and asset.photos.count() == 1
