"""The monthly CO₂ report, checked by hand against the shipped, sourced factors."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from scape.directory.testing import make_org
from scape.equipment.actions import do_create_asset, do_record_trip
from scape.equipment.choices import AssetKind
from scape.equipment.models import EmissionFactor
from scape.equipment.queries import co2_report

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def _trip(asset, driver, desk, start, km, **fields):
    do_record_trip(
        asset,
        driver,
        started_at=start,
        ended_at=start + datetime.timedelta(hours=1),
        km=km,
        actor=desk.user,
        **fields,
    )


def test_it_computes_co2_avoided_by_hand(make_asset, officer, desk, lt_org):
    ebike = make_asset(kind=AssetKind.E_BIKE, tag="EB-1")
    bike = make_asset(kind=AssetKind.BICYCLE, tag="B-1")
    car = make_asset(kind=AssetKind.FUEL_VEHICLE, tag="CAR-1")
    may = datetime.datetime(2024, 5, 10, 8, tzinfo=UTC)
    _trip(ebike, officer, desk, may, "40", energy_kwh="1.5")
    _trip(ebike, officer, desk, may + datetime.timedelta(days=3), "10", energy_kwh="0.5")
    _trip(bike, officer, desk, may, "30")
    _trip(car, officer, desk, may, "100", fuel_l="8")
    # 31 May 22:30 UTC is 1 June 01:30 in Vilnius: a June trip for a Lithuanian organization.
    _trip(bike, officer, desk, datetime.datetime(2024, 5, 31, 22, 30, tzinfo=UTC), "99")

    report = co2_report(lt_org, 2024, 5)

    # Factors: reference car 108.1 g/km (EEA 2022), Lithuanian grid 273.30 g/kWh (2023).
    assert report.vehicle_factor.value == Decimal("108.1") and report.vehicle_factor.year == 2022
    assert report.grid_factor.value == Decimal("273.30") and report.grid_factor.country == "LT"
    assert "EEA" in report.vehicle_factor.source and report.missing == []
    rows = {row.kind: row for row in report.rows}
    # E-bike: 50 km x 108.1 = 5405 g; 2.0 kWh x 273.3 = 546.6 g; (5405 - 546.6) / 1000 = 4.8584 kg
    assert rows[AssetKind.E_BIKE].km == Decimal(50) and rows[AssetKind.E_BIKE].kwh == Decimal(2)
    assert rows[AssetKind.E_BIKE].avoided_kg == Decimal("4.86")
    # Bicycle: 30 km x 108.1 = 3243 g = 3.243 kg (the 99 km trip belongs to June)
    assert rows[AssetKind.BICYCLE].km == Decimal(30)
    assert rows[AssetKind.BICYCLE].avoided_kg == Decimal("3.24")
    # A fuel car avoids nothing: its figures are shown, no CO₂ avoided.
    assert rows[AssetKind.FUEL_VEHICLE].fuel_l == Decimal(8)
    assert rows[AssetKind.FUEL_VEHICLE].avoided_kg is None
    # Total: 4.86 + 3.24 = 8.10 kg
    assert report.total_avoided_kg == Decimal("8.10")
    assert co2_report(lt_org, 2024, 6).rows[0].km == Decimal(99)


def test_it_names_a_missing_grid_factor_instead_of_guessing(persona, desk):
    estonia = make_org("ee-police", country="EE")
    driver = persona(estonia, "officer")
    car = do_create_asset(estonia, kind=AssetKind.ELECTRIC_CAR, tag="EV-1", actor=desk.user)
    start = datetime.datetime(2024, 3, 4, 9, tzinfo=UTC)
    _trip(car, driver, desk, start, "120", energy_kwh="20")
    report = co2_report(estonia, 2024, 3)
    assert report.grid_factor is None
    assert "No grid factor for EE — add one." in report.missing
    assert report.rows[0].avoided_kg is None and report.total_avoided_kg is None


def test_it_uses_the_latest_factor_not_after_the_period(lt_org):
    EmissionFactor.objects.create(
        kind=EmissionFactor.Kind.VEHICLE, value="100", year=2030, source="future study"
    )
    assert co2_report(lt_org, 2026, 1).vehicle_factor.year == 2022
    assert co2_report(lt_org, 2031, 1).vehicle_factor.year == 2030
    report = co2_report(lt_org, 2021, 1)
    assert report.vehicle_factor is None and report.grid_factor is None
    assert len(report.missing) == 2
