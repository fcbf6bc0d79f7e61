"""The equipment demo: realistic fleets for the four partners, loaded once."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from scape.directory.demo import load_demo as load_directory
from scape.directory.models import Organization
from scape.equipment.demo import load_demo
from scape.equipment.models import Asset, DroneFlight, Trip
from scape.equipment.queries import co2_report, flight_track_features

pytestmark = pytest.mark.django_db


def test_it_loads_each_partners_equipment_once():
    load_directory()
    created = load_demo()
    assert created > 50
    assert set(Asset.objects.values_list("organization__code", flat=True)) == {
        "palanga", "klaipeda-police", "vp-kurzeme", "liepaja-mp",
    }  # fmt: skip
    assert Asset.objects.get(tag="PAL-RD-01").details["issi"] == "2620111"
    flight = DroneFlight.objects.get()
    assert len(flight.track) == 24
    assert flight_track_features(flight.recorded_by) != []
    palanga = Organization.objects.get(code="palanga")
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    report = co2_report(palanga, last_month.year, last_month.month)
    assert report.rows and report.total_avoided_kg and report.total_avoided_kg > 0
    trips = Trip.objects.count()
    assert load_demo() == 0
    assert Trip.objects.count() == trips
