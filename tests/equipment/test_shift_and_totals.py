"""Bulk entry of a shift's trips, and flight hours per drone and pilot."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from scape.core.choices import Role
from scape.equipment.choices import AssetKind
from scape.equipment.models import Trip
from scape.equipment.queries import flight_totals
from tests.equipment.test_flights import _fly

pytestmark = pytest.mark.django_db


def _row(prefix, vehicle, driver, km, start, **extra):
    data = {
        f"form-{prefix}-vehicle": vehicle.pk,
        f"form-{prefix}-driver": driver.pk,
        f"form-{prefix}-started_at": start.strftime("%Y-%m-%dT%H:%M"),
        f"form-{prefix}-ended_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        f"form-{prefix}-km": km,
    }
    data.update({f"form-{prefix}-{k}": v for k, v in extra.items()})
    return data


def _management(total=6):
    return {"form-TOTAL_FORMS": total, "form-INITIAL_FORMS": 0}


def test_it_records_the_trips_of_a_shift(make_asset, officer, logged_in):
    bike = make_asset(kind=AssetKind.BICYCLE, tag="BK-1")
    car = make_asset(kind=AssetKind.ELECTRIC_CAR, tag="EV-1")
    make_asset(tag="BC-1")
    client = logged_in(officer)
    page = client.get(reverse("equipment:shift_trips"))
    assert page.status_code == 200 and "EV-1" in page.text and "BC-1" not in page.text
    start = timezone.localtime() - datetime.timedelta(hours=6)
    data = {
        **_management(),
        **_row(0, bike, officer, "12.5", start),
        **_row(1, car, officer, "48", start, energy_kwh="8.2"),
    }
    response = client.post(reverse("equipment:shift_trips"), data)
    assert response.status_code == 302
    assert sorted(Trip.objects.values_list("km", flat=True)) == [12.5, 48]


def test_one_wrong_trip_records_none(make_asset, officer, logged_in):
    bike = make_asset(kind=AssetKind.BICYCLE, tag="BK-1")
    start = timezone.localtime() - datetime.timedelta(hours=6)
    data = {
        **_management(),
        **_row(0, bike, officer, "12.5", start),
        **_row(1, bike, officer, "3", start, fuel_l="2"),
    }
    response = logged_in(officer).post(reverse("equipment:shift_trips"), data)
    assert response.status_code == 400 and "This vehicle does not use fuel." in response.text
    assert not Trip.objects.exists()


def test_another_organizations_vehicle_cannot_be_chosen(make_asset, lv_org, persona, logged_in):
    bike = make_asset(kind=AssetKind.BICYCLE, tag="BK-1")
    stranger = persona(lv_org, Role.OFFICER, username="lv-officer")
    start = timezone.localtime() - datetime.timedelta(hours=6)
    data = {**_management(), **_row(0, bike, stranger, "5", start)}
    response = logged_in(stranger).post(reverse("equipment:shift_trips"), data)
    assert response.status_code == 400 and not Trip.objects.exists()


def test_it_totals_flight_hours_per_drone_and_pilot(drone, pilot, desk, logged_in, lv_org, persona):
    _fly(drone, pilot, desk)
    _fly(drone, pilot, desk)
    by_drone, by_pilot = flight_totals(desk.user)
    assert [(t.label, t.flights, str(t.hours)) for t in by_drone] == [("DR-1", 2, "0.7")]
    assert [(t.label, t.flights) for t in by_pilot] == [("Jonas Petraitis", 2)]
    page = logged_in(desk).get(reverse("equipment:flights")).text
    assert "DR-1" in page and "0.7 h" in page
    stranger = persona(lv_org, Role.COORDINATOR, username="lv-desk")
    assert flight_totals(stranger.user) == ([], [])
