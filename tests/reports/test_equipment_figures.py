"""Equipment figures against a hand-counted fixture, and CO₂ against the equipment report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from scape.equipment.choices import AssetKind, AssetStatus, MaintenanceKind
from scape.equipment.models import Checkout, DroneFlight, EmissionFactor, MaintenanceRecord, Trip
from scape.equipment.queries import co2_report
from scape.reports.indicators import compute
from scape.reports.periods import Period
from scape.reports.queries import drill_down
from tests.reports.conftest import YEAR, at, make_asset

P = "scape.reports.indicators.equipment."


@pytest.fixture
def fleet(lt_org: Any, lv_org: Any, lt_custodian: Any, lv_custodian: Any) -> Any:
    """LT: e-bike EB1 (2024), drone DR1 (2025), body camera BC1 (2026), retired radio R1.
    LV: electric car EC1 (2024)."""
    eb1 = make_asset(lt_org, lt_custodian, AssetKind.E_BIKE, "EB1", created_at=at(2024, 6, 1))
    dr1 = make_asset(lt_org, lt_custodian, AssetKind.DRONE, "DR1", created_at=at(2025, 3, 1))
    make_asset(lt_org, lt_custodian, AssetKind.BODY_CAMERA, "BC1", created_at=at(2026, 2, 1))
    make_asset(
        lt_org, lt_custodian, AssetKind.RADIO, "R1", created_at=at(2024, 1, 1),
        status=AssetStatus.RETIRED,
    )  # fmt: skip
    ec1 = make_asset(lv_org, lv_custodian, AssetKind.ELECTRIC_CAR, "EC1", created_at=at(2024, 1, 1))

    def checkout(asset: Any, who: Any, start: Any, end: Any) -> None:
        Checkout.objects.create(
            asset=asset,
            person=who,
            checked_out_at=start,
            checked_in_at=end,
            checked_out_by=who.user,
        )

    checkout(eb1, lt_custodian, at(2024, 12, 31, 12), at(2025, 1, 2, 12))  # 1.5 days in 2025
    checkout(eb1, lt_custodian, at(2025, 12, 31, 0), None)  # still out: 1 day in 2025
    checkout(ec1, lv_custodian, at(2025, 3, 1, 8), at(2025, 3, 3, 20))  # 2.5 days
    for day in (at(2025, 4, 1).date(), at(2025, 5, 1).date()):
        MaintenanceRecord.objects.create(
            asset=dr1, kind=MaintenanceKind.SERVICE, done_on=day, recorded_by=lt_custodian.user
        )
    MaintenanceRecord.objects.create(
        asset=ec1, kind=MaintenanceKind.REPAIR, done_on=at(2024, 12, 31).date(),
        recorded_by=lv_custodian.user,
    )  # fmt: skip

    def trip(asset: Any, who: Any, start: Any, km: str, kwh: str | None) -> None:
        Trip.objects.create(
            asset=asset, driver=who, started_at=start, ended_at=start.replace(hour=start.hour + 1),
            km=Decimal(km), energy_kwh=Decimal(kwh) if kwh else None, recorded_by=who.user,
        )  # fmt: skip

    trip(eb1, lt_custodian, at(2025, 2, 1, 9), "10.0", "0.5")
    trip(ec1, lv_custodian, at(2025, 2, 10, 9), "100.0", "15")
    trip(ec1, lv_custodian, at(2024, 12, 31, 22, 30), "50.0", None)  # 2024 in Vilnius
    for start, end in (
        (at(2025, 4, 2, 10), at(2025, 4, 2, 10, 30)),
        (at(2025, 6, 1, 10), at(2025, 6, 1, 11, 15)),
    ):
        DroneFlight.objects.create(
            asset=dr1, pilot=lt_custodian, started_at=start, ended_at=end, purpose="beach patrol",
            recorded_by=lt_custodian.user,
        )  # fmt: skip
    EmissionFactor.objects.create(kind="vehicle_g_per_km", value=150, year=2024, source="ref car")
    EmissionFactor.objects.create(
        kind="grid_g_per_kwh", country="LT", value=200, year=2025, source="LT grid"
    )
    EmissionFactor.objects.create(
        kind="grid_g_per_kwh", country="LV", value=100, year=2024, source="LV grid"
    )
    return {"eb1": eb1, "dr1": dr1, "ec1": ec1}


def test_it_counts_assets_in_service_by_kind_and_organization(fleet: Any, lt_org: Any) -> None:
    figure = compute(P + "assets", YEAR)
    assert figure.value == 3  # EB1, DR1, EC1: not BC1 (2026) nor the retired radio
    assert dict(figure.breakdown["kind"]) == {"Drone": 1, "Electric bicycle": 1, "Electric car": 1}
    assert dict(figure.breakdown["organization"]) == {"lt-police": 2, "lv-police": 1}
    assert compute(P + "assets", YEAR, lt_org).value == 2


def test_it_counts_assets_in_use_and_in_maintenance(fleet: Any, lv_org: Any) -> None:
    assert compute(P + "assets_in_use", YEAR).value == 2
    assert compute(P + "assets_in_use", Period.year(2024)).value == 1
    assert compute(P + "assets_in_use", YEAR, lv_org).value == 1
    assert compute(P + "assets_in_maintenance", YEAR).value == 1  # DR1 twice counts once
    assert compute(P + "assets_in_maintenance", Period.year(2024)).value == 1


def test_it_counts_checkout_days_clipped_to_the_period(fleet: Any, lt_org: Any) -> None:
    assert compute(P + "checkout_days", YEAR).value == Decimal("5.0")
    assert compute(P + "checkout_days", YEAR, lt_org).value == Decimal("2.5")
    assert compute(P + "checkout_days", Period.month(2025, 1)).value == Decimal("1.5")


def test_it_sums_kilometres_and_flight_hours(fleet: Any, lt_org: Any) -> None:
    km = compute(P + "kilometres", YEAR)
    assert km.value == Decimal("110.0")
    assert dict(km.breakdown["kind"]) == {
        "Electric bicycle": Decimal("10.0"),
        "Electric car": Decimal("100.0"),
    }
    assert compute(P + "kilometres", Period.year(2024)).value == Decimal("50.0")
    assert compute(P + "flight_hours", YEAR).value == Decimal("1.75")
    assert compute(P + "flight_hours", Period.quarter(2025, 2), lt_org).value == Decimal("1.75")
    assert compute(P + "flight_hours", Period.quarter(2025, 3)).value == Decimal("0.00")


def test_it_computes_co2_avoided_as_the_equipment_report_does(
    fleet: Any, lt_org: Any, lv_org: Any
) -> None:
    # LT: 10 km x 150 - 0.5 kWh x 200 = 1400 g; LV: 100 x 150 - 15 x 100 = 13500 g
    assert compute(P + "co2_avoided", YEAR).value == Decimal("14.90")
    for org in (lt_org, lv_org):
        report = co2_report(org, 2025, 2)
        assert (
            compute(P + "co2_avoided", Period.month(2025, 2), org).value == report.total_avoided_kg
        )


def test_it_shows_no_data_for_co2_when_a_factor_is_missing(fleet: Any) -> None:
    EmissionFactor.objects.filter(country="LV").delete()
    assert compute(P + "co2_avoided", YEAR).value is None


def test_it_hides_trips_of_other_organizations_in_the_drill_down(
    fleet: Any, lt_officer: Any
) -> None:
    seen = drill_down(lt_officer.user, compute(P + "kilometres", YEAR))
    assert [r.label for r in seen.rows] == ["EB1 · 10.0 km"]
    assert seen.hidden == 1


def test_a_stored_figure_keeps_its_decimals_and_breakdown(fleet: Any) -> None:
    from scape.reports.actions import do_refresh_snapshots
    from scape.reports.queries import snapshot_results

    do_refresh_snapshots(YEAR)
    found = snapshot_results(YEAR)
    assert found is not None
    [km] = [r for r in found.results if r.indicator.query == P + "kilometres"]
    assert isinstance(km.value, Decimal) and km.value == Decimal("110.0")
    assert dict(km.figure.breakdown["kind"]) == {
        "Electric bicycle": Decimal("10.0"),
        "Electric car": Decimal("100.0"),
    }
