"""Flight hours advance the drone's meter; tracks are shown on the shared map."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from scape.core.choices import Role
from scape.equipment.actions import do_record_reading
from scape.equipment.actions.reminders import do_send_maintenance_reminders
from scape.equipment.choices import MaintenanceKind, MeterUnit
from scape.equipment.models import MaintenanceSchedule, MeterReading
from scape.equipment.queries import current_meter, due_maintenance, flight_track_features
from tests.equipment.test_flights import GPX, _fly

pytestmark = pytest.mark.django_db


def test_a_flight_adds_its_hours_to_the_drone_meter(drone, pilot, desk, lt_org):
    do_record_reading(drone, MeterUnit.FLIGHT_HOURS, "49.8", actor=desk.user)
    MaintenanceSchedule.objects.create(
        organization=lt_org,
        asset=drone,
        kind=MaintenanceKind.INSPECTION,
        every_meter=Decimal("50"),
        meter_unit=MeterUnit.FLIGHT_HOURS,
    )
    assert not any(d.by_meter and d.overdue for d in due_maintenance(lt_org))
    _fly(drone, pilot, desk)  # 20 minutes
    assert current_meter(drone, MeterUnit.FLIGHT_HOURS) == Decimal("50.1")
    [due] = due_maintenance(lt_org)
    assert due.by_meter and due.overdue
    assert do_send_maintenance_reminders() == 1


def test_a_drone_without_an_hour_meter_gets_none(drone, pilot, desk):
    _fly(drone, pilot, desk)
    assert not MeterReading.objects.exists()


def test_it_shows_the_track_on_the_flight_page_and_as_geojson(drone, pilot, desk, logged_in):
    flight = _fly(drone, pilot, desk, "flight.gpx", GPX)
    client = logged_in(desk)
    page = client.get(flight.get_absolute_url()).text
    track_url = reverse("equipment:flight_track", args=[flight.pk])
    assert "data-map" in page and track_url in page and "core/map.js" in page
    answer = client.get(track_url)
    assert answer["Content-Type"] == "application/geo+json"
    [feature] = answer.json()["features"]
    assert feature["geometry"] == {
        "type": "LineString",
        "coordinates": [[21.068, 55.918], [21.069, 55.9185]],
    }
    assert feature["properties"]["url"] == flight.get_absolute_url()
    drone_page = client.get(drone.get_absolute_url()).text
    assert reverse("equipment:asset_tracks", args=[drone.pk]) in drone_page
    assert client.get(reverse("equipment:asset_tracks", args=[drone.pk])).json()["features"]


def test_another_organization_sees_no_track(drone, pilot, desk, lv_org, persona, logged_in):
    flight = _fly(drone, pilot, desk, "flight.gpx", GPX)
    stranger = persona(lv_org, Role.COORDINATOR, username="lv-desk")
    client = logged_in(stranger)
    assert client.get(flight.get_absolute_url()).status_code == 404
    assert client.get(reverse("equipment:flight_track", args=[flight.pk])).status_code == 404
    assert flight_track_features(stranger.user) == []


def test_flight_track_features_for_the_operations_map(drone, pilot, desk):
    old = _fly(drone, pilot, desk, "flight.gpx", GPX)
    old.started_at -= datetime.timedelta(days=3)
    old.ended_at -= datetime.timedelta(days=3)
    old.save()
    new = _fly(drone, pilot, desk, "flight.gpx", GPX)
    _fly(drone, pilot, desk)  # no track: not on the map
    features = flight_track_features(pilot.user)
    assert [f["properties"]["url"] for f in features] == [
        new.get_absolute_url(),
        old.get_absolute_url(),
    ]
    feature = features[0]
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "LineString"
    assert set(feature["properties"]) >= {"title", "subtitle", "url", "time"}
    assert "DR-1" in feature["properties"]["title"]
    since = timezone.now() - datetime.timedelta(days=1)
    assert [f["properties"]["url"] for f in flight_track_features(pilot.user, since)] == [
        new.get_absolute_url()
    ]
