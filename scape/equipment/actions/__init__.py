"""Every write to equipment: atomic, validated, and audited.

Each action checks its input first and raises ValidationError with a
translated message; a refused action changes nothing. Assets, custody,
meters, trips, flights and maintenance are here; the inventory import
(``actions.imports``) and the maintenance reminders (``actions.reminders``)
have modules of their own.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scape.activities.queries import holds_competency, required_competency
from scape.core import audit
from scape.core.tracks import FlightLog, read_flight_log
from scape.equipment.choices import (
    DETAIL_FIELDS,
    VEHICLES,
    AssetKind,
    AssetStatus,
    InformingType,
    MaintenanceKind,
    MeterUnit,
)
from scape.equipment.models import (
    ATTACHMENT_EXTENSIONS,
    Asset,
    AssetPhoto,
    Checkout,
    DroneFlight,
    MaintenanceRecord,
    MaintenanceSchedule,
    MeterReading,
    Trip,
)

# Largest photo accepted, in bytes; phones take 3-8 MB pictures.
MAX_PHOTO_BYTES = 15 * 1024 * 1024
_PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Statuses an asset may be given by hand; "checked out" comes from a check-out only.
SETTABLE_STATUSES = (
    AssetStatus.AVAILABLE,
    AssetStatus.MAINTENANCE,
    AssetStatus.LOST,
    AssetStatus.RETIRED,
)
_TEXT_LIMITS = {
    "serial": 80,
    "make": 80,
    "model": 80,
    "location": 200,
    "funding_source": 200,
    "notes": 5000,
}


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("Enter a number.")}) from exc
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    return number


def _check_competency(person: Any, kind: str) -> None:
    competency = required_competency(kind)
    if competency is not None and not holds_competency(person, competency):
        raise ValidationError(
            _(
                "%(person)s does not hold a valid competency “%(competency)s”, required for this equipment."
            )
            % {"person": person, "competency": competency}
        )


def _clean_details(kind: str, details: Any, errors: dict[str, list[str]]) -> dict[str, Any]:
    """Return the details that belong to the kind, checked; unknown keys are dropped."""
    given = details if isinstance(details, dict) else {}
    cleaned: dict[str, Any] = {}
    for name in DETAIL_FIELDS.get(kind, ()):
        value = given.get(name)
        if value in (None, ""):
            continue
        text = str(value).strip()
        if name == "issi":
            # A TETRA ISSI is a 24-bit number.
            if not text.isdigit() or not 0 < int(text) < 2**24:
                errors.setdefault(name, []).append(_("An ISSI is a number from 1 to 16777215."))
                continue
            cleaned[name] = str(int(text))
        elif name == "battery_kwh":
            try:
                number = Decimal(text.replace(",", "."))
            except InvalidOperation:
                number = Decimal(-1)
            if not number.is_finite() or not 0 < number < 1000:
                errors.setdefault(name, []).append(_("Give the battery capacity in kWh."))
                continue
            cleaned[name] = str(number)
        elif name == "seats":
            if not text.isdigit() or not 0 < int(text) <= 60:
                errors.setdefault(name, []).append(_("Give the number of seats (1 to 60)."))
                continue
            cleaned[name] = int(text)
        elif name == "informing_type":
            if text not in InformingType.values:
                errors.setdefault(name, []).append(_("Choose a type of informing equipment."))
                continue
            cleaned[name] = text
        else:  # call sign, drone registration, licence plate
            if len(text) > 40:
                errors.setdefault(name, []).append(_("At most 40 characters."))
                continue
            cleaned[name] = text.upper() if name == "plate" else text
    return cleaned


def clean_asset_fields(organization: Any, kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Return an asset's fields checked and tidied, or raise ValidationError naming each problem."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, limit in _TEXT_LIMITS.items():
        if name in fields:
            text = (fields[name] or "").strip()
            if len(text) > limit:
                errors.setdefault(name, []).append(
                    _("At most %(limit)s characters.") % {"limit": limit}
                )
            cleaned[name] = text
    if "purchase_date" in fields:
        bought = fields["purchase_date"]
        if bought is not None and not isinstance(bought, datetime.date):
            errors.setdefault("purchase_date", []).append(_("Enter a valid date."))
        elif bought is not None and bought > timezone.localdate():
            errors.setdefault("purchase_date", []).append(
                _("The purchase date cannot be in the future.")
            )
        cleaned["purchase_date"] = bought
    if "price" in fields:
        price = fields["price"]
        if price in (None, ""):
            cleaned["price"] = None
        else:
            try:
                amount = _decimal(price, "price")
            except ValidationError:
                errors.setdefault("price", []).append(_("Enter a number."))
            else:
                if amount < 0 or amount >= Decimal("1e8"):
                    errors.setdefault("price", []).append(
                        _("The price must be between 0 and 99 999 999.99 EUR.")
                    )
                else:
                    cleaned["price"] = amount.quantize(Decimal("0.01"), ROUND_HALF_UP)
    if "status" in fields:
        if fields["status"] not in SETTABLE_STATUSES:
            errors.setdefault("status", []).append(
                _("Choose available, in maintenance, lost or retired.")
            )
        cleaned["status"] = fields["status"]
    if "unit" in fields:
        unit = fields["unit"]
        if unit is not None and unit.organization_id != organization.pk:
            errors.setdefault("unit", []).append(_("Choose a unit of the asset's organization."))
        cleaned["unit"] = unit
    if "details" in fields:
        cleaned["details"] = _clean_details(kind, fields["details"], errors)
    unknown = set(fields) - set(cleaned) - set(errors)
    if unknown:
        raise TypeError(f"unknown asset fields: {sorted(unknown)}")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def do_create_asset(organization: Any, *, kind: str, tag: str, actor: Any, **fields: Any) -> Asset:
    """Register a piece of equipment of an organization under a tag unique in it."""
    tag = (tag or "").strip()
    if not tag:
        raise ValidationError({"tag": _("Give the asset a tag.")})
    if len(tag) > 40:
        raise ValidationError({"tag": _("At most %(limit)s characters.") % {"limit": 40}})
    if kind not in AssetKind.values:
        raise ValidationError({"kind": _("Choose a kind of equipment.")})
    if Asset.objects.filter(organization=organization, tag=tag).exists():
        raise ValidationError(
            {"tag": _("The tag %(tag)s is already used in this organization.") % {"tag": tag}}
        )
    cleaned = clean_asset_fields(organization, kind, fields)
    asset = Asset.objects.create(organization=organization, kind=kind, tag=tag, **cleaned)
    audit.record("equipment.asset_created", obj=asset, actor=actor, details={"kind": kind})
    return asset


def do_update_asset(asset: Asset, *, actor: Any, **fields: Any) -> list[str]:
    """Change an asset's description; return the names of the fields that changed.

    The status may be set by hand except to or from "checked out", which only
    check-out and check-in change.
    """
    with transaction.atomic():
        locked = Asset.objects.select_for_update().get(pk=asset.pk)
        kind = fields.pop("kind", locked.kind)
        if kind not in AssetKind.values:
            raise ValidationError({"kind": _("Choose a kind of equipment.")})
        tag = (fields.pop("tag", locked.tag) or "").strip()
        if not tag:
            raise ValidationError({"tag": _("Give the asset a tag.")})
        if (
            Asset.objects.filter(organization=locked.organization_id, tag=tag)
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise ValidationError(
                {"tag": _("The tag %(tag)s is already used in this organization.") % {"tag": tag}}
            )
        new_status = fields.get("status", locked.status)
        if locked.status == AssetStatus.CHECKED_OUT and new_status != AssetStatus.CHECKED_OUT:
            raise ValidationError({"status": _("Check the asset in before changing its status.")})
        if locked.status == AssetStatus.CHECKED_OUT:
            fields.pop("status", None)
        cleaned = clean_asset_fields(locked.organization, kind, fields)
        cleaned.update(kind=kind, tag=tag)
        changed = [name for name, value in cleaned.items() if getattr(locked, name) != value]
        if changed:
            for name in changed:
                setattr(locked, name, cleaned[name])
            locked.save(update_fields=changed)
            audit.record(
                "equipment.asset_changed",
                obj=locked,
                actor=actor,
                details={"fields": sorted(changed)},
            )
    for name in changed:
        setattr(asset, name, getattr(locked, name))
    return changed


def read_photo(upload: Any) -> tuple[bytes, str]:
    """Return a photo's bytes and extension, or raise ValidationError if it is not one.

    Pillow must recognise it as a JPEG, PNG or WebP picture and decode it
    whole: a renamed document or a truncated file is refused.
    """
    from scape.core.limits import ImageTooLargeError, open_image

    limit_mb = MAX_PHOTO_BYTES // (1024 * 1024)
    too_big = ValidationError(
        {"photo": _("The photo is too large: at most %(size)s MB.") % {"size": limit_mb}}
    )
    if (getattr(upload, "size", 0) or 0) > MAX_PHOTO_BYTES:
        raise too_big
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise too_big
    not_a_photo = ValidationError(
        {"photo": _("This file is not a photo that can be read (JPEG, PNG or WebP).")}
    )
    if not data:
        raise not_a_photo
    try:
        with open_image(io.BytesIO(data)) as image:
            image_format = image.format or ""
            image.verify()
        with open_image(io.BytesIO(data)) as image:
            image.load()
    except ImageTooLargeError as exc:
        raise ValidationError({"photo": str(exc)}) from exc
    except Exception as exc:
        raise not_a_photo from exc
    if image_format not in _PHOTO_FORMATS:
        raise not_a_photo
    return data, _PHOTO_FORMATS[image_format]


def _save_photo(
    asset: Asset, data: bytes, extension: str, *, caption: str, actor: Any, checkout: Any = None
) -> AssetPhoto:
    photo = AssetPhoto(asset=asset, caption=caption[:200], checkout=checkout, uploaded_by=actor)
    # The name only carries the extension: photo_path() gives the file a random name.
    photo.image.save(f"photo.{extension}", ContentFile(data), save=False)
    photo.save()
    return photo


def do_add_asset_photo(asset: Asset, upload: Any, *, caption: str = "", actor: Any) -> AssetPhoto:
    """Store a photo of an asset, checked to be a real picture first."""
    data, extension = read_photo(upload)
    caption = (caption or "").strip()
    with transaction.atomic():
        photo = _save_photo(asset, data, extension, caption=caption, actor=actor)
        audit.record(
            "equipment.photo_added",
            obj=asset,
            actor=actor,
            details={"photo_id": photo.pk, "bytes": len(data)},
        )
    return photo


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


def do_check_in(
    asset: Asset, condition: str, *, actor: Any, photos: Iterable[Any] = ()
) -> Checkout:
    """Take an asset back from the person who holds it, noting its condition and photos.

    Every photo is checked before anything is written: one bad file refuses
    the whole check-in.
    """
    read = [read_photo(upload) for upload in photos]
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
        photo_ids = [
            _save_photo(
                locked,
                data,
                extension,
                caption=_("Condition on return"),
                actor=actor,
                checkout=checkout,
            ).pk
            for data, extension in read
        ]
        audit.record(
            "equipment.asset_checked_in",
            obj=locked,
            actor=actor,
            details={
                "person_id": checkout.person_id,
                "checkout_id": checkout.pk,
                "condition": checkout.condition,
                "photo_ids": photo_ids,
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
    now = timezone.now()
    read_at = read_at or now
    if read_at > now + datetime.timedelta(minutes=5):
        raise ValidationError({"read_at": _("A meter reading cannot be in the future.")})
    with transaction.atomic():
        Asset.objects.select_for_update().filter(pk=asset.pk).first()
        # A backdated reading must fit between its neighbours in time: no
        # higher than the next reading, unless the meter was replaced since.
        following = (
            MeterReading.objects.filter(asset=asset, unit=unit, read_at__gt=read_at)
            .order_by("read_at", "id")
            .first()
        )
        if (
            following is not None
            and number > following.value
            and not following.replacement
            and not replacement
        ):
            raise ValidationError(
                {
                    "value": _(
                        "The reading %(value)s is higher than a later one (%(next)s on "
                        "%(when)s): readings must go up in time."
                    )
                    % {
                        "value": number,
                        "next": following.value,
                        "when": timezone.localtime(following.read_at).strftime("%Y-%m-%d %H:%M"),
                    }
                }
            )
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


def do_record_shift_trips(rows: list[dict[str, Any]], *, actor: Any) -> list[Trip]:
    """Record the trips of a shift, all or none.

    Each row holds the arguments of do_record_trip and a "vehicle". A refused
    row raises ValidationError with its index in `row`, and nothing is kept.
    """
    trips = []
    with transaction.atomic():
        for index, row in enumerate(rows):
            data = dict(row)
            vehicle = data.pop("vehicle")
            driver = data.pop("driver")
            try:
                trips.append(do_record_trip(vehicle, driver, actor=actor, **data))
            except ValidationError as exc:
                exc.row = index  # type: ignore[attr-defined]
                raise
    return trips


MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def _read_attachment(upload: Any) -> tuple[bytes, str]:
    """Return an attachment's bytes and extension, or raise ValidationError."""
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            {
                "attachment": _("Attach a PDF, a picture or an office document (%(types)s).")
                % {"types": ", ".join(sorted(ATTACHMENT_EXTENSIONS))}
            }
        )
    data = upload.read(MAX_ATTACHMENT_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {
                "attachment": _("The file is too large: at most %(size)s MB.")
                % {"size": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
            }
        )
    if not data:
        raise ValidationError({"attachment": _("The file is empty.")})
    return data, extension


def do_record_maintenance(
    asset: Asset,
    *,
    kind: str,
    done_on: datetime.date | None = None,
    description: str = "",
    cost: Any = None,
    meter_value: Any = None,
    attachment: Any = None,
    actor: Any,
) -> MaintenanceRecord:
    """Record work done on an asset (service, repair, inspection, calibration, battery).

    An attachment (invoice, report, picture) is stored under a random name
    that keeps only a known extension.
    """
    document: tuple[bytes, str] | None = None
    if attachment:
        document = _read_attachment(attachment)
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
        if document is not None:
            record.attachment.save(f"file.{document[1]}", ContentFile(document[0]), save=True)
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
    started_at: datetime.datetime | None = None,
    ended_at: datetime.datetime | None = None,
    purpose: str,
    area: str = "",
    max_altitude_m: int | None = None,
    incident_reference: str = "",
    track_file_name: str = "",
    track_bytes: bytes | None = None,
    actor: Any,
) -> DroneFlight:
    """Record a drone flight flown by a competent pilot, with its track if given.

    The log (GPX, KML, DJI .SRT or CSV) is read before anything is written: a
    malformed file raises scape.core.tracks.TrackError and stores nothing.
    What is left empty is taken from the log: take-off and landing from its
    clock times (or one of them and its duration), the maximum altitude from
    its highest point. A value given by hand is kept.
    """
    if drone.kind != AssetKind.DRONE:
        raise ValidationError(_("Flights are recorded for drones only."))
    if not (purpose or "").strip():
        raise ValidationError({"purpose": _("Give the purpose of the flight.")})
    if pilot.organization_id != drone.organization_id:
        raise ValidationError(_("Choose an active person of the asset's organization."))
    _check_competency(pilot, drone.kind)
    log = read_flight_log(track_file_name, track_bytes) if track_bytes else None
    filled: list[str] = []
    if log is not None:
        started_at, ended_at, max_altitude_m, filled = _fill_from_log(
            log, started_at, ended_at, max_altitude_m
        )
    if started_at is None or ended_at is None:
        missing = "started_at" if started_at is None else "ended_at"
        if log is None:
            raise ValidationError({missing: _("Give the take-off and landing times.")})
        raise ValidationError(
            {
                missing: _(
                    "Give the take-off and landing times: the track file records no clock "
                    "time to take them from."
                )
            }
        )
    if ended_at <= started_at:
        raise ValidationError({"ended_at": _("The landing must come after the take-off.")})
    track = log.points if log is not None else []
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
        reading = _add_flight_hours(drone, flight, actor=actor)
        audit.record(
            "equipment.flight_recorded",
            obj=drone,
            actor=actor,
            details={
                "flight_id": flight.pk,
                "pilot_id": pilot.pk,
                "track_points": len(track),
                "distance_m": round(log.distance_m) if log is not None else None,
                "from_log": filled,
                "meter": str(reading.value) if reading else None,
            },
        )
    return flight


def _fill_from_log(
    log: FlightLog,
    started_at: datetime.datetime | None,
    ended_at: datetime.datetime | None,
    max_altitude_m: int | None,
) -> tuple[datetime.datetime | None, datetime.datetime | None, int | None, list[str]]:
    """Return take-off, landing and maximum altitude with the blanks taken from the log.

    Also return the names of the fields so filled, for the audit event.
    """
    filled = []
    if started_at is None:
        if log.started_at is not None and (ended_at is None or log.started_at < ended_at):
            started_at = log.started_at
        elif ended_at is not None and log.duration is not None:
            started_at = ended_at - log.duration
        if started_at is not None:
            filled.append("started_at")
    if ended_at is None:
        if log.ended_at is not None and started_at is not None and log.ended_at > started_at:
            ended_at = log.ended_at
        elif started_at is not None and log.duration is not None:
            ended_at = started_at + log.duration
        if ended_at is not None:
            filled.append("ended_at")
    if max_altitude_m is None and log.max_altitude_m is not None:
        # Below the take-off point all flight long (off a cliff): nothing above it.
        max_altitude_m = max(0, round(log.max_altitude_m))
        filled.append("max_altitude_m")
    return started_at, ended_at, max_altitude_m, filled


def _add_flight_hours(drone: Asset, flight: DroneFlight, *, actor: Any) -> MeterReading | None:
    """Advance the drone's flight-hour meter by the flight, if the drone has one.

    A drone whose hours were never read has no meter to advance; the flight
    is still recorded. The meter is kept to tenths of an hour.
    """
    Asset.objects.select_for_update().filter(pk=drone.pk).first()
    last = (
        MeterReading.objects.filter(asset=drone, unit=MeterUnit.FLIGHT_HOURS)
        .order_by("-read_at", "-id")
        .first()
    )
    if last is None:
        return None
    hours = Decimal(str(flight.hours)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if hours <= 0:
        return None
    return MeterReading.objects.create(
        asset=drone,
        unit=MeterUnit.FLIGHT_HOURS,
        value=last.value + hours,
        read_at=max(timezone.now(), last.read_at),
        recorded_by=actor,
    )


def do_create_schedule(
    asset: Asset,
    *,
    kind: str,
    every_days: int | None = None,
    every_meter: Any = None,
    meter_unit: str = "",
    warn_days: int = 14,
    whole_kind: bool = False,
    actor: Any,
) -> MaintenanceSchedule:
    """Plan recurring maintenance of an asset (or of every asset of its kind) by date and/or meter."""
    if kind not in MaintenanceKind.values:
        raise ValidationError({"kind": _("Choose a kind of maintenance.")})
    meter = None if every_meter in (None, "") else _decimal(every_meter, "every_meter")
    if every_days is None and meter is None:
        raise ValidationError(_("Give an interval in days, on a meter, or both."))
    if every_days is not None and every_days <= 0:
        raise ValidationError({"every_days": _("The interval must be more than zero.")})
    if meter is not None and meter <= 0:
        raise ValidationError({"every_meter": _("The interval must be more than zero.")})
    if meter is not None and meter_unit not in MeterUnit.values:
        raise ValidationError({"meter_unit": _("Choose the meter of the interval.")})
    if warn_days < 0:
        raise ValidationError({"warn_days": _("The interval must be more than zero.")})
    with transaction.atomic():
        schedule = MaintenanceSchedule.objects.create(
            organization=asset.organization,
            asset=None if whole_kind else asset,
            asset_kind=asset.kind if whole_kind else "",
            kind=kind,
            every_days=every_days,
            every_meter=meter,
            meter_unit=meter_unit if meter is not None else "",
            warn_days=warn_days,
        )
        audit.record(
            "equipment.schedule_created",
            obj=asset,
            actor=actor,
            details={"schedule_id": schedule.pk, "whole_kind": whole_kind, "kind": kind},
        )
    return schedule


def do_delete_schedule(schedule: MaintenanceSchedule, *, actor: Any) -> None:
    """Stop a recurring maintenance schedule; the work already recorded stays."""
    with transaction.atomic():
        audit.record(
            "equipment.schedule_deleted",
            obj=schedule.asset or schedule.organization,
            actor=actor,
            details={"schedule_id": schedule.pk, "kind": schedule.kind},
        )
        schedule.delete()
