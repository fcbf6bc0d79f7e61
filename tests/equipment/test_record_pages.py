"""Asset page forms: meter readings, trips, maintenance and drone flights."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from scape.activities.models import Competency
from scape.core.choices import Role
from scape.equipment.actions import do_record_reading
from scape.equipment.choices import AssetKind, MeterUnit
from scape.equipment.models import (
    DroneFlight,
    MaintenanceRecord,
    MeterReading,
    Trip,
)
from tests.equipment.conftest import grant
from tests.equipment.test_flights import GPX

pytestmark = pytest.mark.django_db

FORMAT = "%Y-%m-%dT%H:%M"


def _times(minutes: int = 30) -> tuple[str, str]:
    start = timezone.localtime() - datetime.timedelta(hours=2)
    return start.strftime(FORMAT), (start + datetime.timedelta(minutes=minutes)).strftime(FORMAT)


@pytest.fixture
def car(make_asset):
    return make_asset(kind=AssetKind.ELECTRIC_CAR, tag="EV-1")


@pytest.fixture
def drone(make_asset):
    return make_asset(kind=AssetKind.DRONE, tag="DR-1")


def test_the_asset_page_offers_the_forms_each_user_may_use(car, drone, desk, officer, logged_in):
    officer_page = logged_in(officer).get(car.get_absolute_url()).text
    assert "Record a meter reading" in officer_page and "Record a trip" in officer_page
    assert "Record maintenance" not in officer_page and "Record a drone flight" not in officer_page
    desk_page = logged_in(desk).get(drone.get_absolute_url()).text
    assert "Record maintenance" in desk_page and "Record a drone flight" in desk_page
    assert 'enctype="multipart/form-data"' in desk_page and "Record a trip" not in desk_page


def test_it_records_a_meter_reading(car, officer, logged_in):
    client = logged_in(officer)
    url = reverse("equipment:reading", args=[car.pk])
    response = client.post(url, {"unit": "km", "value": "1234.5"}, follow=True)
    assert response.redirect_chain and "Reading recorded" in response.text
    assert MeterReading.objects.get().value == pytest.approx(1234.5)


def test_it_refuses_a_decreasing_meter_and_records_nothing(car, officer, desk, logged_in):
    do_record_reading(car, MeterUnit.KM, "1200", actor=desk.user)
    response = logged_in(officer).post(
        reverse("equipment:reading", args=[car.pk]), {"unit": "km", "value": "900"}
    )
    assert response.status_code == 400
    assert "lower than the last one" in response.text and "Nothing was recorded" in response.text
    assert MeterReading.objects.count() == 1


def test_it_records_a_trip(car, officer, logged_in):
    start, end = _times()
    response = logged_in(officer).post(
        reverse("equipment:trip", args=[car.pk]),
        {
            "driver": officer.pk,
            "started_at": start,
            "ended_at": end,
            "km": "18.2",
            "energy_kwh": "3",
        },
        follow=True,
    )
    assert "Trip recorded: 18.2 km" in response.text
    trip = Trip.objects.get()
    assert (trip.driver, str(trip.km)) == (officer, "18.2")


def test_it_refuses_a_trip_with_fuel_for_an_electric_car(car, officer, logged_in):
    start, end = _times()
    response = logged_in(officer).post(
        reverse("equipment:trip", args=[car.pk]),
        {"driver": officer.pk, "started_at": start, "ended_at": end, "km": "5", "fuel_l": "2"},
    )
    assert response.status_code == 400 and "does not use fuel" in response.text
    assert not Trip.objects.exists()


def test_it_refuses_a_trip_for_a_driver_of_another_organization(
    car, officer, lv_org, persona, logged_in
):
    foreigner = persona(lv_org, Role.OFFICER)
    start, end = _times()
    response = logged_in(officer).post(
        reverse("equipment:trip", args=[car.pk]),
        {"driver": foreigner.pk, "started_at": start, "ended_at": end, "km": "5"},
    )
    assert response.status_code == 400 and not Trip.objects.exists()


def test_managers_record_maintenance(car, desk, logged_in):
    response = logged_in(desk).post(
        reverse("equipment:maintenance", args=[car.pk]),
        {"kind": "service", "done_on": timezone.localdate().isoformat(), "cost": "99.90"},
        follow=True,
    )
    assert "Maintenance recorded: Service" in response.text
    assert str(MaintenanceRecord.objects.get().cost) == "99.90"


def test_it_refuses_maintenance_in_the_future_and_from_officers(car, desk, officer, logged_in):
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    url = reverse("equipment:maintenance", args=[car.pk])
    response = logged_in(desk).post(url, {"kind": "repair", "done_on": future})
    assert response.status_code == 400 and "cannot be recorded in the future" in response.text
    today = timezone.localdate().isoformat()
    assert logged_in(officer).post(url, {"kind": "repair", "done_on": today}).status_code == 403
    assert not MaintenanceRecord.objects.exists()


def test_another_organization_gets_404_and_records_nothing(car, lv_org, persona, logged_in):
    client = logged_in(persona(lv_org, Role.COORDINATOR))
    assert client.get(car.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("equipment:reading", args=[car.pk]), {"unit": "km", "value": "1"}
    )
    assert response.status_code == 404 and not MeterReading.objects.exists()


def _flight(pilot, **extra):
    start, end = _times(20)
    return {"pilot": pilot.pk, "started_at": start, "ended_at": end, "purpose": "Search", **extra}


def test_it_records_a_drone_flight_with_its_track(drone, officer, logged_in):
    grant(officer, Competency.objects.get(code="drone-pilot"))
    track = SimpleUploadedFile("flight.gpx", GPX)
    response = logged_in(officer).post(
        reverse("equipment:flight", args=[drone.pk]), _flight(officer, track=track), follow=True
    )
    assert "Flight recorded, with 2 track points" in response.text
    flight = DroneFlight.objects.get()
    assert (flight.pilot, flight.track_file, len(flight.track)) == (officer, "flight.gpx", 2)


def test_a_malformed_track_stores_no_flight(drone, officer, logged_in):
    grant(officer, Competency.objects.get(code="drone-pilot"))
    track = SimpleUploadedFile("log.csv", b"time,alt\n1,2\n")
    response = logged_in(officer).post(
        reverse("equipment:flight", args=[drone.pk]), _flight(officer, track=track)
    )
    assert response.status_code == 400 and "latitude and longitude" in response.text
    assert not DroneFlight.objects.exists()


def test_it_refuses_a_flight_by_a_pilot_without_the_competency(drone, officer, logged_in):
    response = logged_in(officer).post(
        reverse("equipment:flight", args=[drone.pk]), _flight(officer)
    )
    assert response.status_code == 400 and "Drone pilot" in response.text
    assert not DroneFlight.objects.exists()
