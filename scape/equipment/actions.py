"""Every write to equipment: atomic, validated, and audited.

Each action checks its input first and raises ValidationError with a
translated message; a refused action changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scape.activities.models import Competency
from scape.activities.queries import holds_competency
from scape.core import audit
from scape.core.tracks import read_track
from scape.equipment.choices import VEHICLES, AssetKind, AssetStatus, MaintenanceKind, MeterUnit
from scape.equipment.models import (
    Asset,
    Checkout,
    DroneFlight,
    KindRequirement,
    MaintenanceRecord,
    MeterReading,
    Trip,
)


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("Enter a number.")}) from exc
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    return number


def required_competency(kind: str) -> Competency | None:
    """Return the competency that using an asset of this kind needs, if any."""
    requirement = KindRequirement.objects.select_related("competency").filter(kind=kind).first()
    return requirement.competency if requirement else None


def _check_competency(person: Any, kind: str) -> None:
    competency = required_competency(kind)
    if competency is not None and not holds_competency(person, competency):
        raise ValidationError(
            _(
                "%(person)s does not hold a valid competency “%(competency)s”, required for this equipment."
            )
            % {"person": person, "competency": competency}
        )


@transaction.atomic
def do_create_asset(organization: Any, *, kind: str, tag: str, actor: Any, **fields: Any) -> Asset:
    """Register a piece of equipment of an organization under a tag unique in it."""
    tag = (tag or "").strip()
    if not tag:
        raise ValidationError({"tag": _("Give the asset a tag.")})
    if kind not in AssetKind.values:
        raise ValidationError({"kind": _("Choose a kind of equipment.")})
    if Asset.objects.filter(organization=organization, tag=tag).exists():
        raise ValidationError(
            {"tag": _("The tag %(tag)s is already used in this organization.") % {"tag": tag}}
        )
    asset = Asset.objects.create(organization=organization, kind=kind, tag=tag, **fields)
    audit.record("equipment.asset_created", obj=asset, actor=actor, details={"kind": kind})
    return asset


def do_check_out(
    asset: Asset,
    person: Any,
    expected_return: datetime.datetime | None,
    *,
    actor: Any,
) -> Checkout:
    """Hand an available asset to a person of its organization who may use it."""
    with transaction.atomic():
        # Lock the asset row: two phones scanning the same label at once must
        # not both hand it out.
        locked = Asset.objects.select_for_update().get(pk=asset.pk)
        if (
            locked.status == AssetStatus.CHECKED_OUT
            or locked.checkouts.filter(checked_in_at__isnull=True).exists()
        ):
            raise ValidationError(_("This asset is already checked out; check it in first."))
        if locked.status != AssetStatus.AVAILABLE:
            raise ValidationError(
                _("This asset is not available (%(status)s).")
                % {"status": locked.get_status_display()}
            )
        if person.organization_id != locked.organization_id or not person.is_active:
            raise ValidationError(_("Choose an active person of the asset's organization."))
        now = timezone.now()
        if expected_return is not None and expected_return <= now:
            raise ValidationError(
                {"expected_return": _("The expected return must be in the future.")}
            )
        _check_competency(person, locked.kind)
        try:
            with transaction.atomic():
                checkout = Checkout.objects.create(
                    asset=locked,
                    person=person,
                    checked_out_at=now,
                    expected_return=expected_return,
                    checked_out_by=actor,
                )
        except IntegrityError as exc:  # the one-open-check-out constraint, on a race
            raise ValidationError(
                _("This asset is already checked out; check it in first.")
            ) from exc
        locked.status = AssetStatus.CHECKED_OUT
        locked.save(update_fields=["status"])
        audit.record(
            "equipment.asset_checked_out",
            obj=locked,
            actor=actor,
            recipient=str(person),
            details={
                "person_id": person.pk,
                "checkout_id": checkout.pk,
                "expected_return": expected_return.isoformat() if expected_return else None,
            },
        )
    asset.status = locked.status
    return checkout


def do_check_in(asset: Asset, condition: str, *, actor: Any) -> Checkout:
    """Take an asset back from the person who holds it, noting its condition."""
    with transaction.atomic():
        locked = Asset.objects.select_for_update().get(pk=asset.pk)
        checkout = locked.checkouts.filter(checked_in_at__isnull=True).first()
        if checkout is None:
            raise ValidationError(_("This asset is not checked out."))
        checkout.checked_in_at = timezone.now()
        checkout.checked_in_by = actor
        checkout.condition = (condition or "").strip()
        checkout.save(update_fields=["checked_in_at", "checked_in_by", "condition"])
        locked.status = AssetStatus.AVAILABLE
        locked.save(update_fields=["status"])
        audit.record(
            "equipment.asset_checked_in",
            obj=locked,
            actor=actor,
            details={
                "person_id": checkout.person_id,
                "checkout_id": checkout.pk,
                "condition": checkout.condition,
            },
        )
    asset.status = locked.status
    return checkout


def do_record_reading(
    asset: Asset,
    unit: str,
    value: Any,
    replacement: bool = False,
    *,
    actor: Any,
    read_at: datetime.datetime | None = None,
) -> MeterReading:
    """Record a meter reading; a reading lower than the last is refused unless the meter was replaced."""
    if unit not in MeterUnit.values:
        raise ValidationError({"unit": _("Choose a meter.")})
    number = _decimal(value, "value")
    if number < 0:
        raise ValidationError({"value": _("A meter reading cannot be negative.")})
    read_at = read_at or timezone.now()
    with transaction.atomic():
        Asset.objects.select_for_update().filter(pk=asset.pk).first()
        last = (
            MeterReading.objects.filter(asset=asset, unit=unit, read_at__lte=read_at)
            .order_by("-read_at", "-id")
            .first()
        )
        if last is not None and number < last.value and not replacement:
            raise ValidationError(
                {
                    "value": _(
                        "The reading %(value)s is lower than the last one (%(last)s). "
                        "Meters only go up: if the meter was replaced, say so."
                    )
                    % {"value": number, "last": last.value}
                }
            )
        reading = MeterReading.objects.create(
            asset=asset,
            unit=unit,
            value=number,
            read_at=read_at,
            replacement=replacement,
            recorded_by=actor,
        )
        audit.record(
            "equipment.meter_read",
            obj=asset,
            actor=actor,
            details={"unit": unit, "value": str(number), "replacement": replacement},
        )
    return reading


def do_record_trip(
    asset: Asset,
    driver: Any,
    *,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    km: Any,
    energy_kwh: Any = None,
    fuel_l: Any = None,
    note: str = "",
    actor: Any,
) -> Trip:
    """Record a trip of a vehicle: distance, and the electricity or the fuel it used."""
    if asset.kind not in VEHICLES:
        raise ValidationError(_("Trips are recorded for vehicles only."))
    distance = _decimal(km, "km")
    if distance < 0:
        raise ValidationError({"km": _("The distance cannot be negative.")})
    if ended_at <= started_at:
        raise ValidationError({"ended_at": _("The trip must end after it starts.")})
    energy = None if energy_kwh in (None, "") else _decimal(energy_kwh, "energy_kwh")
    fuel = None if fuel_l in (None, "") else _decimal(fuel_l, "fuel_l")
    if (energy is not None and energy < 0) or (fuel is not None and fuel < 0):
        raise ValidationError(_("Energy and fuel cannot be negative."))
    if energy is not None and fuel is not None:
        raise ValidationError(_("Give either the energy or the fuel used, not both."))
    if fuel is not None and asset.kind != AssetKind.FUEL_VEHICLE:
        raise ValidationError({"fuel_l": _("This vehicle does not use fuel.")})
    if energy is not None and asset.kind == AssetKind.FUEL_VEHICLE:
        raise ValidationError({"energy_kwh": _("This vehicle uses fuel, not electricity.")})
    if driver.organization_id != asset.organization_id:
        raise ValidationError(_("Choose an active person of the asset's organization."))
    with transaction.atomic():
        trip = Trip.objects.create(
            asset=asset,
            driver=driver,
            started_at=started_at,
            ended_at=ended_at,
            km=distance,
            energy_kwh=energy,
            fuel_l=fuel,
            note=note,
            recorded_by=actor,
        )
        audit.record(
            "equipment.trip_recorded",
            obj=asset,
            actor=actor,
            details={"trip_id": trip.pk, "km": str(distance), "driver_id": driver.pk},
        )
    return trip


def do_record_maintenance(
    asset: Asset,
    *,
    kind: str,
    done_on: datetime.date | None = None,
    description: str = "",
    cost: Any = None,
    meter_value: Any = None,
    actor: Any,
) -> MaintenanceRecord:
    """Record work done on an asset (service, repair, inspection, calibration, battery)."""
    if kind not in MaintenanceKind.values:
        raise ValidationError({"kind": _("Choose a kind of maintenance.")})
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Maintenance cannot be recorded in the future.")})
    amount = None if cost in (None, "") else _decimal(cost, "cost")
    meter = None if meter_value in (None, "") else _decimal(meter_value, "meter_value")
    if (amount is not None and amount < 0) or (meter is not None and meter < 0):
        raise ValidationError(_("Cost and meter cannot be negative."))
    with transaction.atomic():
        record = MaintenanceRecord.objects.create(
            asset=asset,
            kind=kind,
            done_on=done_on,
            description=description,
            cost=amount,
            meter_value=meter,
            recorded_by=actor,
        )
        audit.record(
            "equipment.maintenance_recorded",
            obj=asset,
            actor=actor,
            details={"record_id": record.pk, "kind": kind, "done_on": done_on.isoformat()},
        )
    return record


def do_record_flight(
    drone: Asset,
    pilot: Any,
    *,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    purpose: str,
    area: str = "",
    max_altitude_m: int | None = None,
    incident_reference: str = "",
    track_file_name: str = "",
    track_bytes: bytes | None = None,
    actor: Any,
) -> DroneFlight:
    """Record a drone flight flown by a competent pilot, with its track if given.

    The track is read (GPX, DJI .SRT or CSV) before anything is written: a
    malformed file raises scape.core.tracks.TrackError and stores nothing.
    """
    if drone.kind != AssetKind.DRONE:
        raise ValidationError(_("Flights are recorded for drones only."))
    if not (purpose or "").strip():
        raise ValidationError({"purpose": _("Give the purpose of the flight.")})
    if ended_at <= started_at:
        raise ValidationError({"ended_at": _("The landing must come after the take-off.")})
    if pilot.organization_id != drone.organization_id:
        raise ValidationError(_("Choose an active person of the asset's organization."))
    _check_competency(pilot, drone.kind)
    track: list[dict[str, Any]] = []
    if track_bytes:
        track = read_track(track_file_name, track_bytes)
    with transaction.atomic():
        flight = DroneFlight.objects.create(
            asset=drone,
            pilot=pilot,
            started_at=started_at,
            ended_at=ended_at,
            purpose=purpose.strip(),
            area=area,
            max_altitude_m=max_altitude_m,
            incident_reference=incident_reference,
            track=track,
            track_file=track_file_name if track else "",
            recorded_by=actor,
        )
        audit.record(
            "equipment.flight_recorded",
            obj=drone,
            actor=actor,
            details={"flight_id": flight.pk, "pilot_id": pilot.pk, "track_points": len(track)},
        )
    return flight
