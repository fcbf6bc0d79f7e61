"""Meters only go up; maintenance falls due by date and by meter."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from scape.equipment.actions import do_record_maintenance, do_record_reading, do_record_trip
from scape.equipment.choices import AssetKind, MaintenanceKind, MeterUnit
from scape.equipment.models import MaintenanceSchedule, MeterReading, Trip
from scape.equipment.queries import current_meter, due_maintenance

pytestmark = pytest.mark.django_db


def test_it_refuses_a_decreasing_meter_reading(make_asset, desk):
    car = make_asset(kind=AssetKind.ELECTRIC_CAR, tag="EV-1")
    do_record_reading(car, MeterUnit.KM, 1200, actor=desk.user)
    with pytest.raises(ValidationError) as refused:
        do_record_reading(car, MeterUnit.KM, "1150.5", actor=desk.user)
    assert "lower than the last one (1200.0)" in refused.value.messages[0]
    assert MeterReading.objects.filter(asset=car).count() == 1


def test_it_allows_a_lower_reading_when_the_meter_was_replaced(make_asset, desk):
    car = make_asset(kind=AssetKind.ELECTRIC_CAR, tag="EV-1")
    do_record_reading(car, MeterUnit.KM, 1200, actor=desk.user)
    reading = do_record_reading(car, MeterUnit.KM, 3, replacement=True, actor=desk.user)
    assert reading.replacement and current_meter(car, MeterUnit.KM) == Decimal(3)
    do_record_reading(car, MeterUnit.KM, 10, actor=desk.user)  # counts on from the new meter


def test_it_keeps_each_meter_apart(make_asset, desk):
    drone = make_asset(kind=AssetKind.DRONE, tag="DR-1")
    do_record_reading(drone, MeterUnit.CHARGE_CYCLES, 300, actor=desk.user)
    do_record_reading(drone, MeterUnit.FLIGHT_HOURS, 12, actor=desk.user)


def test_it_refuses_negative_or_non_numeric_readings(make_asset, desk):
    car = make_asset(kind=AssetKind.ELECTRIC_CAR, tag="EV-1")
    for bad in (-1, "abc", "NaN"):
        with pytest.raises(ValidationError):
            do_record_reading(car, MeterUnit.KM, bad, actor=desk.user)
    assert not MeterReading.objects.exists()


def test_it_validates_trips(make_asset, desk, officer):
    bike = make_asset(kind=AssetKind.E_BIKE, tag="EB-1")
    camera = make_asset(tag="BC-1")
    start = timezone.now() - datetime.timedelta(hours=3)
    end = start + datetime.timedelta(hours=2)
    ok = {"started_at": start, "ended_at": end, "km": "18.5", "energy_kwh": "0.4"}
    cases = [
        (camera, ok, "vehicles only"),
        (bike, {**ok, "km": -1}, "negative"),
        (bike, {**ok, "ended_at": start}, "end after it starts"),
        (bike, {**ok, "fuel_l": "1"}, "not both"),
        (bike, {**ok, "energy_kwh": None, "fuel_l": "1"}, "does not use fuel"),
    ]
    for asset, fields, message in cases:
        with pytest.raises(ValidationError, match=message):
            do_record_trip(asset, officer, actor=desk.user, **fields)
    assert not Trip.objects.exists()
    trip = do_record_trip(bike, officer, actor=desk.user, **ok)
    assert trip.km == Decimal("18.5") and trip.energy_kwh == Decimal("0.4")


def test_it_finds_schedules_due_by_date(make_asset, desk, lt_org):
    today = datetime.date(2026, 6, 15)
    car = make_asset(kind=AssetKind.ELECTRIC_CAR, tag="EV-1")
    fresh = make_asset(kind=AssetKind.ELECTRIC_CAR, tag="EV-2")
    MaintenanceSchedule.objects.create(
        organization=lt_org,
        asset_kind=AssetKind.ELECTRIC_CAR,
        kind=MaintenanceKind.SERVICE,
        every_days=180,
        warn_days=14,
    )
    # EV-1 serviced 190 days ago: overdue. EV-2 serviced 170 days ago: due in 10 days, within warning.
    do_record_maintenance(
        car,
        kind=MaintenanceKind.SERVICE,
        done_on=today - datetime.timedelta(days=190),
        actor=desk.user,
    )
    do_record_maintenance(
        fresh,
        kind=MaintenanceKind.SERVICE,
        done_on=today - datetime.timedelta(days=170),
        actor=desk.user,
    )
    due = {d.asset.tag: d for d in due_maintenance(lt_org, today)}
    assert due["EV-1"].by_date and due["EV-1"].overdue
    assert due["EV-1"].due_on == today - datetime.timedelta(days=10)
    assert due["EV-2"].by_date and not due["EV-2"].overdue
    # A month earlier, neither was within its warning.
    assert due_maintenance(lt_org, today - datetime.timedelta(days=40)) == []


def test_it_finds_schedules_due_by_meter(make_asset, desk, lt_org):
    bus = make_asset(kind=AssetKind.ELECTRIC_MINIBUS, tag="BUS-1")
    MaintenanceSchedule.objects.create(
        organization=lt_org,
        asset=bus,
        kind=MaintenanceKind.INSPECTION,
        every_meter=Decimal(10000),
        meter_unit=MeterUnit.KM,
    )
    today = timezone.localdate()
    do_record_maintenance(
        bus, kind=MaintenanceKind.INSPECTION, meter_value=20000, done_on=today, actor=desk.user
    )
    do_record_reading(bus, MeterUnit.KM, 25000, actor=desk.user)
    assert due_maintenance(lt_org, today) == []  # due at 30 000, warned from 29 000
    do_record_reading(bus, MeterUnit.KM, 29500, actor=desk.user)
    (due,) = due_maintenance(lt_org, today)
    assert due.by_meter and not due.overdue and due.due_meter == Decimal(30000)
    do_record_reading(bus, MeterUnit.KM, 30100, actor=desk.user)
    (due,) = due_maintenance(lt_org, today)
    assert due.by_meter and due.overdue and due.meter == Decimal(30100)


def test_it_refuses_maintenance_in_the_future(make_asset, desk):
    car = make_asset(kind=AssetKind.ELECTRIC_CAR, tag="EV-1")
    with pytest.raises(ValidationError, match="future"):
        do_record_maintenance(
            car,
            kind=MaintenanceKind.REPAIR,
            done_on=timezone.localdate() + datetime.timedelta(days=2),
            actor=desk.user,
        )
