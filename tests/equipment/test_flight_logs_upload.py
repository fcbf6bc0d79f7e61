"""A flight log attached on the drone's page and through the API fills what it records."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scape.core.testing import token_client
from scape.equipment.models import DroneFlight

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "flightlogs"


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes())


def test_the_page_takes_times_distance_and_altitude_from_the_log(drone, pilot, logged_in):
    response = logged_in(pilot).post(
        reverse("equipment:flight", args=[drone.pk]),
        {"pilot": pilot.pk, "purpose": "Search", "track": _upload("airdata.csv")},
        follow=True,
    )
    assert "Flight recorded, with 3 track points over 1.00 km." in response.text
    flight = DroneFlight.objects.get()
    assert flight.started_at == datetime.datetime(2026, 5, 2, 10, 0, 1, tzinfo=datetime.UTC)
    assert (flight.hours * 60, flight.max_altitude_m) == (pytest.approx(2), 119)


def test_the_page_offers_every_format(drone, pilot, logged_in):
    page = logged_in(pilot).get(drone.get_absolute_url()).text
    assert 'accept=".gpx,.kml,.srt,.csv,.txt"' in page


def test_the_page_asks_for_times_or_a_log(drone, pilot, logged_in):
    response = logged_in(pilot).post(
        reverse("equipment:flight", args=[drone.pk]), {"pilot": pilot.pk, "purpose": "Search"}
    )
    assert response.status_code == 400
    assert "or attach the flight&#x27;s track file" in response.text
    assert not DroneFlight.objects.exists()


def test_the_page_shows_why_a_log_was_refused(drone, pilot, logged_in):
    response = logged_in(pilot).post(
        reverse("equipment:flight", args=[drone.pk]),
        {"pilot": pilot.pk, "purpose": "Search", "track": _upload("waypoints_only.gpx")},
    )
    assert response.status_code == 400 and "no track (trk)" in response.text
    assert not DroneFlight.objects.exists()


def test_the_api_takes_the_times_from_the_log(drone, pilot):
    response = token_client(pilot.user).post(
        f"/api/v1/equipment/assets/{drone.pk}/flights/",
        {"purpose": "Search", "track": _upload("matrice_300.SRT")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["started_at"].startswith("2022-06-21T")
    assert (body["distance_m"], body["max_altitude_m"], body["track_points"]) == (111, 119, 3)
    assert (body["track"][0]["lat"], body["track"][0]["lon"]) == (36.5325, -6.2991)


def test_the_api_asks_for_the_times_a_log_lacks(drone, pilot):
    response = token_client(pilot.user).post(
        f"/api/v1/equipment/assets/{drone.pk}/flights/",
        {"purpose": "Search", "track": _upload("phantom_4_pro.SRT")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "records no clock time" in str(response.json())
    assert not DroneFlight.objects.exists()
