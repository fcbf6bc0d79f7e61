"""Equipment figures: assets, use, maintenance, kilometres, flight hours and CO₂ avoided."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from scape.equipment import queries as equipment
from scape.equipment.choices import ZERO_EMISSION, AssetKind, AssetStatus
from scape.reports.indicators import Figure, Row, Source, by_organization, register

if TYPE_CHECKING:
    from scape.directory.models import Organization
    from scape.equipment.models import Asset, Checkout, DroneFlight, Trip
    from scape.reports.periods import Period

_KINDS = dict(AssetKind.choices)


def _asset_row(asset: Asset) -> Row:
    return Row(
        f"{asset.tag} · {_KINDS.get(asset.kind, asset.kind)} {asset.make} {asset.model}".strip(),
        asset.get_absolute_url(),
        asset.created_at,
        asset.organization.code,
    )


def _by_kind(
    queryset: QuerySet[Any], key: str = "kind", total: Any = None
) -> list[tuple[str, Any]]:
    rows = queryset.order_by().values(key).annotate(n=total or Count("pk", distinct=True))
    found = {row[key]: row["n"] for row in rows}
    return [(str(label), found[kind]) for kind, label in AssetKind.choices if found.get(kind)]


def _asset_figure(assets: QuerySet[Asset]) -> Figure:
    assets = assets.distinct()
    return Figure(
        assets.count(),
        [Source(assets.order_by("organization__code", "tag"), _asset_row)],
        {
            "kind": _by_kind(assets),
            "organization": by_organization(
                assets.order_by()
                .values("organization__code")
                .annotate(n=Count("pk", distinct=True))
            ),
        },
    )


@register
def assets(period: Period, organization: Organization | None) -> Figure:
    """Assets registered by the end of the period and not retired, by kind and organization."""
    found = (
        equipment.assets_of(organization)
        .filter(created_at__lt=period.end)
        .exclude(status=AssetStatus.RETIRED)
    )
    return _asset_figure(found)


@register
def assets_in_use(period: Period, organization: Organization | None) -> Figure:
    """Assets checked out to someone at some time during the period."""
    used = equipment.checkouts_during(period.start, period.end)
    return _asset_figure(equipment.assets_of(organization).filter(pk__in=used.values("asset")))


@register
def assets_in_maintenance(period: Period, organization: Organization | None) -> Figure:
    """Assets that had maintenance (service, repair, inspection ...) done during the period."""
    found = equipment.assets_of(organization).filter(
        maintenance__done_on__gte=period.first, maintenance__done_on__lte=period.last
    )
    return _asset_figure(found)


def _use_row(label: str, asset: Asset, when: datetime.datetime) -> Row:
    """Return the Row of a record of an asset's use (a check-out, trip or flight)."""
    return Row(label, asset.get_absolute_url(), when, asset.organization.code)


def _checkout_row(checkout: Checkout) -> Row:
    asset = checkout.asset
    return _use_row(f"{asset.tag} → {checkout.person}", asset, checkout.checked_out_at)


@register
def checkout_days(period: Period, organization: Organization | None) -> Figure:
    """Days assets spent checked out within the period (a check-out still open counts to now)."""
    checkouts = equipment.checkouts_during(period.start, period.end, organization)
    now = timezone.now()
    total = datetime.timedelta()
    per_kind: dict[str, datetime.timedelta] = defaultdict(datetime.timedelta)
    per_org: dict[str, datetime.timedelta] = defaultdict(datetime.timedelta)
    for checkout in checkouts:
        start = max(checkout.checked_out_at, period.start)
        end = min(checkout.checked_in_at or now, period.end)
        if end > start:
            total += end - start
            per_kind[checkout.asset.kind] += end - start
            per_org[checkout.asset.organization.code] += end - start
    return Figure(
        _days(total),
        [Source(checkouts.order_by("checked_out_at"), _checkout_row, via="asset")],
        {
            "kind": [
                (str(label), _days(per_kind[k])) for k, label in AssetKind.choices if k in per_kind
            ],
            "organization": [(code, _days(per_org[code])) for code in sorted(per_org)],
        },
    )


def _days(delta: datetime.timedelta) -> Decimal:
    return (Decimal(delta.total_seconds()) / 86400).quantize(Decimal("0.1"))


def _trips(period: Period, organization: Organization | None) -> QuerySet[Trip]:
    return equipment.trips_between(period.start, period.end, organization)


def _trip_row(trip: Trip) -> Row:
    return _use_row(f"{trip.asset.tag} · {trip.km} km", trip.asset, trip.started_at)


@register
def kilometres(period: Period, organization: Organization | None) -> Figure:
    """Kilometres of the trips started during the period, by vehicle kind and organization."""
    trips = _trips(period, organization)
    total = trips.aggregate(km=Sum("km"))["km"] or Decimal(0)
    return Figure(
        total,
        [Source(trips.order_by("started_at"), _trip_row, via="asset")],
        {
            "kind": _by_kind(trips, "asset__kind", Sum("km")),
            "organization": by_organization(
                trips.order_by().values("asset__organization__code").annotate(n=Sum("km")),
                "asset__organization__code",
            ),
        },
    )


def _flight_row(flight: DroneFlight) -> Row:
    return _use_row(f"{flight.asset.tag} · {flight.purpose}", flight.asset, flight.started_at)


@register
def flight_hours(period: Period, organization: Organization | None) -> Figure:
    """Hours flown by drones in flights that took off during the period."""
    flights = equipment.flights_between(period.start, period.end, organization)
    per_org: dict[str, float] = defaultdict(float)
    for flight in flights:
        per_org[flight.asset.organization.code] += flight.hours
    return Figure(
        _hours(sum(per_org.values())),
        [Source(flights.order_by("started_at"), _flight_row, via="asset")],
        {"organization": [(code, _hours(per_org[code])) for code in sorted(per_org)]},
    )


def _hours(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


@register
def co2_avoided(period: Period, organization: Organization | None) -> Figure:
    """CO₂ the zero-emission kilometres of the period avoided, in kg.

    The formula of the equipment CO₂ report (scape.equipment.queries.co2_report):
    km x reference car factor (g/km) - kWh x grid factor of the organization's
    country (g/kWh), over 1000, with the sourced factors of the latest year not
    after the trip's year. A factor missing where it is needed makes the figure
    "no data": it is never guessed.
    """
    trips = _trips(period, organization)
    per_org = equipment.co2_avoided_kg(trips)
    value = None if per_org is None else sum(per_org.values(), Decimal(0)).quantize(Decimal("0.01"))
    return Figure(
        value,
        [
            Source(
                trips.filter(asset__kind__in=list(ZERO_EMISSION)).order_by("started_at"),
                _trip_row,
                via="asset",
            )
        ],
        {
            "organization": [
                (c, v.quantize(Decimal("0.01"))) for c, v in sorted((per_org or {}).items())
            ]
        },
    )
