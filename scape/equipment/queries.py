"""Reads of equipment through the access door: assets, custody, maintenance due, CO₂."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from scape.core.access import access_object, actor_of, can
from scape.core.choices import Action, Role
from scape.directory.models import Organization, Person, time_zone_of
from scape.equipment.choices import VEHICLES, ZERO_EMISSION, AssetKind, AssetStatus
from scape.equipment.models import (
    ASSET_POLICY,
    Asset,
    AssetPhoto,
    Checkout,
    DroneFlight,
    EmissionFactor,
    ImportBatch,
    MaintenanceRecord,
    MaintenanceSchedule,
    MeterReading,
    Trip,
)

# Share of a meter interval left at which a schedule by meter is "falling due".
METER_WARN_SHARE = Decimal("0.1")


def fleet_organization_id(user: Any, action: str = Action.VIEW) -> int | None:
    """Return the user's organization if the user's roles there give `action` on its
    whole fleet (not only on what the user holds), else None."""
    return actor_of(user).organization_id if ASSET_POLICY.may_in_own(user, action) else None


def fleet_organization(user: Any) -> Organization:
    """Return the organization whose whole fleet the user sees, or answer 404."""
    organization_id = fleet_organization_id(user)
    if organization_id is None:
        raise Http404
    return Organization.objects.get(pk=organization_id)


def fleet_person_custody(user: Any, pk: Any) -> tuple[Person, QuerySet[Checkout]]:
    """Return a person of the user's fleet organization and what they held there, newest first.

    Http404 when the user sees no whole fleet or the person is not of it.
    """
    organization_id = fleet_organization_id(user)
    if organization_id is None:
        raise Http404
    person = get_object_or_404(
        Person.objects.select_related("user"), pk=pk, organization=organization_id
    )
    held = (
        Checkout.objects.filter(person=person, asset__organization=organization_id)
        .select_related("asset")
        .order_by("-checked_out_at")
    )
    return person, held


def fleet_vehicles(organization_id: int) -> QuerySet[Asset]:
    """Return the organization's vehicles still in service, by tag (for a shift's trips)."""
    return (
        Asset.objects.filter(organization=organization_id, kind__in=VEHICLES)
        .exclude(status__in=[AssetStatus.LOST, AssetStatus.RETIRED])
        .order_by("tag")
    )


def access_asset(user: Any, pk: Any, action: str = Action.VIEW) -> Asset:
    """Return the asset for `action`, or raise Http404/PermissionDenied."""
    return access_object(Asset, user, pk, action)


# People who may take equipment of their own organization for themselves.
SELF_SERVICE_ROLES = frozenset({Role.OFFICER, Role.SPECIALIST})


def may_check_out(user: Any, asset: Asset, person: Any = None) -> bool:
    """Return whether the user may check the asset out (to `person`, if given).

    The equipment desk (who may change the asset) hands it to anyone of its
    organization; an officer or specialist of that organization only to
    themselves.
    """
    if can(user, Action.CHANGE, asset):
        return True
    actor = actor_of(user)
    if actor.organization_id != asset.organization_id or not actor.has_any(SELF_SERVICE_ROLES):
        return False
    return person is None or person.user_id == actor.user_id


def may_check_in(user: Any, asset: Asset, checkout: Checkout | None = None) -> bool:
    """Return whether the user may check the asset in: the equipment desk, or its holder."""
    if can(user, Action.CHANGE, asset):
        return True
    checkout = checkout or asset.open_checkout
    actor = actor_of(user)
    return (
        checkout is not None
        and actor.user_id is not None
        and checkout.person.user_id == actor.user_id
        and actor.organization_id == asset.organization_id
    )


def access_flight(user: Any, pk: Any) -> DroneFlight:
    """Return a flight whose drone the user may see, or raise Http404."""
    from django.http import Http404

    flight = DroneFlight.objects.select_related("asset", "pilot__user").filter(pk=pk).first()
    if flight is None:
        raise Http404
    access_asset(user, flight.asset_id)
    return flight


def get_flights(user: Any) -> QuerySet[DroneFlight]:
    """Return the flights of the drones the user may see."""
    visible = Asset.objects.restrict(user, Action.VIEW).values("pk")
    return DroneFlight.objects.filter(asset__in=visible).select_related("asset", "pilot__user")


def track_feature(flight: DroneFlight) -> dict[str, Any] | None:
    """Return a flight's track as a GeoJSON LineString Feature, or None without two points."""
    coordinates = [
        [point["lon"], point["lat"]]
        for point in flight.track or []
        if point.get("lat") is not None and point.get("lon") is not None
    ]
    if len(coordinates) < 2:
        return None
    started = timezone.localtime(flight.started_at)
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coordinates},
        "properties": {
            "title": _("Flight of %(drone)s") % {"drone": flight.asset.tag},
            "subtitle": f"{started:%Y-%m-%d %H:%M} · {flight.pilot} · {flight.purpose}",
            "url": flight.get_absolute_url(),
            "time": flight.started_at.isoformat(),
        },
    }


def flight_track_features(user: Any, since: datetime.datetime | None = None) -> list[dict]:
    """Return GeoJSON Features of the tracks of the flights the user may see.

    Each is a LineString of [lon, lat] with properties title, subtitle, url and
    time (take-off, ISO 8601); `since` keeps flights that landed after it.
    """
    flights = get_flights(user).exclude(track=[])
    if since is not None:
        flights = flights.filter(ended_at__gte=since)
    features = []
    for flight in flights.order_by("-started_at")[:500]:
        feature = track_feature(flight)
        if feature is not None:
            features.append(feature)
    return features


@dataclass
class FlightTotal:
    """Flight count and hours of one drone or one pilot."""

    label: str
    flights: int
    hours: Decimal


def flight_totals(user: Any) -> tuple[list[FlightTotal], list[FlightTotal]]:
    """Return the flight hours of each drone and of each pilot, over the flights the user sees."""
    from django.db.models import Count

    duration = ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField())
    flights = get_flights(user).order_by()

    def totals(key: str, label_of: Any) -> list[FlightTotal]:
        rows = flights.values(key).annotate(n=Count("id"), time=Sum(duration))
        found = []
        for row in rows:
            seconds = row["time"].total_seconds() if row["time"] else 0
            hours = (Decimal(seconds) / 3600).quantize(Decimal("0.1"))
            found.append(FlightTotal(label_of(row[key]), row["n"], hours))
        return sorted(found, key=lambda t: (-t.hours, t.label))

    drones = {a.pk: a.tag for a in Asset.objects.filter(pk__in=flights.values("asset"))}
    people = {
        p.pk: str(p)
        for p in Person.objects.filter(pk__in=flights.values("pilot")).select_related("user")
    }
    return totals("asset", lambda pk: drones.get(pk, str(pk))), totals(
        "pilot", lambda pk: people.get(pk, str(pk))
    )


def get_assets(user: Any) -> QuerySet[Asset]:
    """Return the assets the user may see."""
    return Asset.objects.restrict(user, Action.VIEW).select_related("organization")


def who_held(serial: str, at: datetime.datetime, *, organization: Any = None) -> Any:
    """Return the Person who had the asset with this serial checked out at `at`, or None.

    Answers "who wore camera SERIAL at time T" for the vault. A check-out covers
    [checked_out_at, checked_in_at); an open one covers everything after it.
    """
    if not serial:
        return None
    checkouts = Checkout.objects.filter(asset__serial=serial, checked_out_at__lte=at).filter(
        Q(checked_in_at__isnull=True) | Q(checked_in_at__gt=at)
    )
    if organization is not None:
        checkouts = checkouts.filter(asset__organization=organization)
    checkout = checkouts.select_related("person__user").order_by("-checked_out_at").first()
    return checkout.person if checkout else None


def history(asset: Asset) -> QuerySet[Checkout]:
    """Return the asset's check-outs, newest first."""
    return asset.checkouts.select_related("person__user", "checked_out_by", "checked_in_by")


def overdue_checkouts(
    organization: Any, now: datetime.datetime | None = None
) -> QuerySet[Checkout]:
    """Return the open check-outs of an organization past their expected return."""
    now = now or timezone.now()
    return Checkout.objects.filter(
        asset__organization=organization,
        checked_in_at__isnull=True,
        expected_return__lt=now,
    ).select_related("asset", "person__user")


def current_meter(asset: Asset, unit: str) -> Decimal | None:
    """Return the latest reading of one meter of an asset."""
    return (
        MeterReading.objects.filter(asset=asset, unit=unit)
        .order_by("-read_at", "-id")
        .values_list("value", flat=True)
        .first()
    )


@dataclass
class Due:
    """One schedule of one asset falling due, by date and/or by meter."""

    asset: Asset
    schedule: MaintenanceSchedule
    last: MaintenanceRecord | None
    due_on: datetime.date | None = None
    due_meter: Decimal | None = None
    meter: Decimal | None = None
    by_date: bool = False
    by_meter: bool = False
    overdue: bool = False


def photo_of(asset: Asset, pk: Any) -> AssetPhoto:
    """Return one photo of the asset (fetched through the access door); Http404 for any other."""
    return get_object_or_404(AssetPhoto, pk=pk, asset=asset)


def maintenance_record_of(asset: Asset, pk: Any) -> MaintenanceRecord:
    """Return one maintenance record of the asset (fetched through the access door); else Http404."""
    return get_object_or_404(MaintenanceRecord, pk=pk, asset=asset)


def own_import(user: Any, pk: Any) -> ImportBatch:
    """Return an inventory upload the user made; Http404 for anyone else's."""
    return get_object_or_404(ImportBatch, pk=pk, uploaded_by=user)


def schedules_of(asset: Asset) -> QuerySet[MaintenanceSchedule]:
    """Return the maintenance schedules that apply to an asset: its own and its kind's."""
    return MaintenanceSchedule.objects.filter(
        Q(asset=asset) | Q(organization=asset.organization_id, asset_kind=asset.kind)
    )


def active_people_of(organization_id: int) -> QuerySet[Person]:
    """Return the active people of an organization (who may hold its equipment)."""
    return Person.objects.filter(organization=organization_id, is_active=True).select_related(
        "user"
    )


def _schedule_assets(schedule: MaintenanceSchedule) -> list[Asset]:
    if schedule.asset_id:
        return [schedule.asset] if schedule.asset else []
    return list(
        Asset.objects.filter(organization=schedule.organization_id, kind=schedule.asset_kind)
        .exclude(status=AssetStatus.RETIRED)
        .order_by("tag")
    )


def due_maintenance(organization: Any, today: datetime.date | None = None) -> list[Due]:
    """Return the schedules of an organization falling due, with overdue flags.

    By date: due `every_days` after the last maintenance of that kind (or after
    purchase, or registration, when there was none); falling due `warn_days`
    before. By meter: due `every_meter` after the meter value noted at the last
    maintenance (0 when none); falling due in the last tenth of the interval.
    """
    today = today or timezone.localdate()
    found: list[Due] = []
    schedules = list(
        MaintenanceSchedule.objects.filter(organization=organization).select_related("asset")
    )
    assets_of = {schedule.pk: _schedule_assets(schedule) for schedule in schedules}
    # The last maintenance of each asset and kind, read at once rather than per asset.
    last_of: dict[tuple[int, str], MaintenanceRecord] = {}
    records = MaintenanceRecord.objects.filter(
        asset__in={asset.pk for assets in assets_of.values() for asset in assets},
        kind__in={schedule.kind for schedule in schedules},
    ).order_by("-done_on", "-id")
    for record in records:
        last_of.setdefault((record.asset_id, record.kind), record)
    for schedule in schedules:
        for asset in assets_of[schedule.pk]:
            last = last_of.get((asset.pk, schedule.kind))
            due = Due(asset=asset, schedule=schedule, last=last)
            if schedule.every_days:
                if last is not None:
                    base = last.done_on
                else:
                    base = asset.purchase_date or timezone.localdate(asset.created_at)
                due.due_on = base + datetime.timedelta(days=schedule.every_days)
                if due.due_on <= today + datetime.timedelta(days=schedule.warn_days):
                    due.by_date = True
                    due.overdue = due.overdue or due.due_on < today
            if schedule.every_meter and schedule.meter_unit:
                base_meter = (last.meter_value if last else None) or Decimal(0)
                due.due_meter = base_meter + schedule.every_meter
                due.meter = current_meter(asset, schedule.meter_unit)
                if due.meter is not None:
                    warn_at = due.due_meter - schedule.every_meter * METER_WARN_SHARE
                    if due.meter >= warn_at:
                        due.by_meter = True
                        due.overdue = due.overdue or due.meter >= due.due_meter
            if due.by_date or due.by_meter:
                found.append(due)
    found.sort(key=lambda d: (not d.overdue, d.due_on or datetime.date.max, d.asset.tag))
    return found


def factor(kind: str, year: int, country: str = "") -> EmissionFactor | None:
    """Return the factor of the latest year not after `year` (for a country, if given)."""
    factors = EmissionFactor.objects.filter(kind=kind, year__lte=year, country=country)
    return factors.order_by("-year", "-id").first()


@dataclass
class Co2Row:
    """One vehicle kind's month: distance, energy, fuel and CO₂ avoided."""

    kind: str
    label: str
    km: Decimal
    kwh: Decimal
    fuel_l: Decimal
    avoided_kg: Decimal | None


@dataclass
class Co2Report:
    """A month of an organization's fleet and the CO₂ its zero-emission kilometres avoided."""

    year: int
    month: int
    country: str
    vehicle_factor: EmissionFactor | None
    grid_factor: EmissionFactor | None
    rows: list[Co2Row] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def total_avoided_kg(self) -> Decimal | None:
        values = [r.avoided_kg for r in self.rows if r.kind in ZERO_EMISSION]
        if any(v is None for v in values):
            return None
        return sum((v for v in values if v is not None), Decimal(0))


def month_bounds(
    year: int, month: int, time_zone: str
) -> tuple[datetime.datetime, datetime.datetime]:
    """Return the start and end of a calendar month in a time zone, as aware datetimes."""
    zone = zoneinfo.ZoneInfo(time_zone)
    start = datetime.datetime(year, month, 1, tzinfo=zone)
    end = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return start, end


def co2_report(organization: Any, year: int, month: int) -> Co2Report:
    """Return the month's trips by vehicle kind and the CO₂ avoided, in kg.

    Avoided = km * reference car factor (g/km) - kWh * grid factor of the
    organization's country (g/kWh), over 1000. Factors are the sourced rows of
    the latest year not after the report's year; a missing factor is named in
    `missing` and the figures that need it are left empty, never guessed.
    """
    country = organization.country
    report = Co2Report(
        year=year,
        month=month,
        country=country,
        vehicle_factor=factor(EmissionFactor.Kind.VEHICLE, year),
        grid_factor=factor(EmissionFactor.Kind.GRID, year, country),
    )
    if report.vehicle_factor is None:
        report.missing.append(_("No reference car factor for %(year)s — add one.") % {"year": year})
    if report.grid_factor is None:
        report.missing.append(_("No grid factor for %(country)s — add one.") % {"country": country})
    start, end = month_bounds(year, month, organization.display_time_zone)
    sums = (
        Trip.objects.filter(
            asset__organization=organization, started_at__gte=start, started_at__lt=end
        )
        .values("asset__kind")
        .annotate(km=Sum("km"), kwh=Sum("energy_kwh"), fuel=Sum("fuel_l"))
    )
    by_kind = {row["asset__kind"]: row for row in sums}
    for kind in AssetKind:
        if kind not in VEHICLES or kind not in by_kind:
            continue
        row = by_kind[kind]
        km = row["km"] or Decimal(0)
        kwh = row["kwh"] or Decimal(0)
        fuel = row["fuel"] or Decimal(0)
        avoided: Decimal | None = None
        if kind in ZERO_EMISSION and report.vehicle_factor is not None:
            if kwh == 0:
                avoided = km * report.vehicle_factor.value / 1000
            elif report.grid_factor is not None:
                avoided = (km * report.vehicle_factor.value - kwh * report.grid_factor.value) / 1000
        if avoided is not None:
            avoided = avoided.quantize(Decimal("0.01"))
        report.rows.append(
            Co2Row(
                kind=kind, label=str(kind.label), km=km, kwh=kwh, fuel_l=fuel, avoided_kg=avoided
            )
        )
    return report


# What the reports count (scape.reports.indicators reads equipment only here).


def assets_of(organization: Any = None) -> QuerySet[Asset]:
    """Return the assets of an organization (every organization's for None)."""
    assets = Asset.objects.select_related("organization")
    return assets.filter(organization=organization) if organization is not None else assets


def checkouts_during(
    start: datetime.datetime, end: datetime.datetime, organization: Any = None
) -> QuerySet[Checkout]:
    """Return the check-outs open at some time in [start, end) (an open one counts to now)."""
    checkouts = (
        Checkout.objects.filter(checked_out_at__lt=end)
        .filter(Q(checked_in_at__isnull=True) | Q(checked_in_at__gt=start))
        .select_related("asset__organization", "person__user")
    )
    if organization is not None:
        checkouts = checkouts.filter(asset__organization=organization)
    return checkouts


def _use_started_between(records: QuerySet[Any], start: Any, end: Any, organization: Any) -> Any:
    """Narrow trips or flights to those started in [start, end) (of one organization)."""
    records = records.filter(started_at__gte=start, started_at__lt=end)
    if organization is not None:
        records = records.filter(asset__organization=organization)
    return records.select_related("asset__organization")


def trips_between(
    start: datetime.datetime, end: datetime.datetime, organization: Any = None
) -> QuerySet[Trip]:
    """Return the trips started in [start, end)."""
    return _use_started_between(Trip.objects.all(), start, end, organization)


def flights_between(
    start: datetime.datetime, end: datetime.datetime, organization: Any = None
) -> QuerySet[DroneFlight]:
    """Return the drone flights that took off in [start, end)."""
    return _use_started_between(DroneFlight.objects.all(), start, end, organization)


def co2_avoided_kg(trips: QuerySet[Trip]) -> dict[str, Decimal] | None:
    """Return {organization code: kg of CO₂ avoided} by the zero-emission trips among `trips`.

    The formula of co2_report, summed in the database per organization and
    calendar year of its own time zone (each year takes its own factors). None
    when a factor the figure needs is missing: it is never guessed.
    """
    zero = trips.filter(asset__kind__in=list(ZERO_EMISSION))
    per_org: dict[str, Decimal] = {}
    organizations = (
        zero.order_by()
        .values_list("asset__organization__code", "asset__organization__country")
        .distinct()
    )
    for code, country in organizations:
        zone = zoneinfo.ZoneInfo(time_zone_of(country))
        years = (
            zero.filter(asset__organization__code=code)
            .annotate(year=ExtractYear("started_at", tzinfo=zone))
            .order_by()
            .values("year")
            .annotate(km=Sum("km"), kwh=Sum("energy_kwh"))
        )
        for row in years:
            km, kwh = row["km"] or Decimal(0), row["kwh"] or Decimal(0)
            vehicle = factor(EmissionFactor.Kind.VEHICLE, row["year"])
            grid = factor(EmissionFactor.Kind.GRID, row["year"], country) if kwh else None
            if vehicle is None or (kwh and grid is None):
                return None
            grams = km * vehicle.value - (kwh * grid.value if grid is not None else Decimal(0))
            per_org[code] = per_org.get(code, Decimal(0)) + grams / 1000
    return per_org
