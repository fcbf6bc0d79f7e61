"""Every write to traffic: atomic, validated and audited.

A refused action raises ValidationError with a translated message and changes
nothing. Recording a read also matches it against the hot-list and alerts the
organizations concerned in the same transaction (e-mail and webhooks go out on
commit).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import secrets
import zoneinfo
from contextlib import nullcontext
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from scape.core import audit, sql
from scape.core.access import actor_of
from scape.core.actions import do_share_record
from scape.core.downloads import safe_filename
from scape.core.models import Grant, Job
from scape.core.once import insert_once
from scape.directory.notify import notify_organizations
from scape.equipment.choices import AssetKind
from scape.traffic.choices import EVIDENCE_JOB, Country, HitOutcome, HotlistReason, ReadSource
from scape.traffic.matching import (
    MAX_PLATE_CHARS,
    confusable_match,
    countries_agree,
    normalise,
    variants,
)
from scape.traffic.models import (
    HIT_POLICY,
    HOTLIST_POLICY,
    Hit,
    HotlistEntry,
    HotlistImport,
    ImportMode,
    ImportState,
    PlateRead,
    SpeedSection,
    TrafficCamera,
)
from scape.traffic.signals import evidence_read_requested
from scape.vault.queries import access_item
from scape.vision.plates.grammar import parse_plate

HIT_KIND = "traffic-hit"


def hash_token(token: str) -> str:
    """Return the stored form of a camera token (a SHA-256; tokens are random, no salt needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(camera: TrafficCamera) -> str:
    token = secrets.token_urlsafe(32)
    camera.token_hash = hash_token(token)
    camera.token_set_at = timezone.now()
    return token


def _check_position(latitude: Any, longitude: Any) -> tuple[float, float]:
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"latitude": _("Enter the position as numbers.")}) from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError({"latitude": _("The position is not on the map.")})
    return lat, lon


def _check_zone(zone: Any) -> list[list[int]]:
    if not zone:
        return []
    try:
        points = [[int(x), int(y)] for x, y in zone]
    except (TypeError, ValueError) as exc:
        raise ValidationError({"zone": _("The zone is a list of [x, y] points.")}) from exc
    if len(points) < 3:
        raise ValidationError({"zone": _("A zone needs at least three points.")})
    return points


@transaction.atomic
def do_create_camera(
    organization: Any,
    *,
    name: str,
    latitude: Any,
    longitude: Any,
    actor: Any,
    road: str = "",
    direction: str = "both",
    zone: Any = None,
    asset: Any = None,
) -> tuple[TrafficCamera, str]:
    """Register a traffic camera; return it and its token, which is shown only now."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the camera a name.")})
    if TrafficCamera.objects.filter(organization=organization, name=name).exists():
        raise ValidationError(
            {"name": _("The name %(name)s is already used in this organization.") % {"name": name}}
        )
    if asset is not None and asset.organization_id != organization.pk:
        raise ValidationError({"asset": _("Choose equipment of the camera's organization.")})
    lat, lon = _check_position(latitude, longitude)
    camera = TrafficCamera(
        organization=organization,
        name=name,
        road=(road or "").strip(),
        direction=direction,
        latitude=lat,
        longitude=lon,
        zone=_check_zone(zone),
        asset=asset,
    )
    token = _new_token(camera)
    camera.save()
    audit.record("traffic.camera_created", obj=camera, actor=actor, details={"road": camera.road})
    return camera, token


_CAMERA_FIELDS = ("name", "road", "direction", "latitude", "longitude", "zone", "asset", "active")


@transaction.atomic
def do_update_camera(
    camera: TrafficCamera,
    *,
    actor: Any,
    name: str,
    latitude: Any,
    longitude: Any,
    road: str = "",
    direction: str = "both",
    zone: Any = None,
    asset: Any = None,
    active: bool = True,
) -> TrafficCamera:
    """Change a camera's name, place, road zone, equipment record and active flag."""
    camera = TrafficCamera.objects.select_for_update().get(pk=camera.pk)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the camera a name.")})
    if (
        TrafficCamera.objects.filter(organization_id=camera.organization_id, name=name)
        .exclude(pk=camera.pk)
        .exists()
    ):
        raise ValidationError(
            {"name": _("The name %(name)s is already used in this organization.") % {"name": name}}
        )
    if asset is not None and asset.organization_id != camera.organization_id:
        raise ValidationError({"asset": _("Choose equipment of the camera's organization.")})
    if asset is not None and asset.kind != AssetKind.TRAFFIC_CAMERA:
        raise ValidationError({"asset": _("Choose equipment of the kind traffic camera.")})
    lat, lon = _check_position(latitude, longitude)
    points = _check_zone(zone)
    if any(x < 0 or y < 0 for x, y in points):
        raise ValidationError({"zone": _("Zone points are pixels: 0 or more.")})
    before = {f: _camera_value(camera, f) for f in _CAMERA_FIELDS}
    camera.name = name
    camera.road = (road or "").strip()
    camera.direction = direction
    camera.latitude, camera.longitude = lat, lon
    camera.zone = points
    camera.asset = asset
    camera.active = bool(active)
    camera.full_clean(exclude=["token_hash", "organization"])
    camera.save()
    changed = {
        f: {"from": before[f], "to": _camera_value(camera, f)}
        for f in _CAMERA_FIELDS
        if before[f] != _camera_value(camera, f)
    }
    audit.record("traffic.camera_updated", obj=camera, actor=actor, details={"changed": changed})
    return camera


def _camera_value(camera: TrafficCamera, field: str) -> Any:
    if field == "asset":
        return camera.asset_id
    return getattr(camera, field)


@transaction.atomic
def do_rotate_camera_token(camera: TrafficCamera, *, actor: Any) -> str:
    """Give the camera a new token at once; the old one stops working. Return the new token."""
    token = _new_token(camera)
    camera.save(update_fields=["token_hash", "token_set_at"])
    audit.record("traffic.camera_token_rotated", obj=camera, actor=actor)
    return token


@transaction.atomic
def do_set_camera_active(camera: TrafficCamera, active: bool, *, actor: Any) -> None:
    """Switch a camera on or off: an inactive camera's reads are refused."""
    camera.active = active
    camera.save(update_fields=["active"])
    audit.record("traffic.camera_active", obj=camera, actor=actor, details={"active": active})


@functools.lru_cache(maxsize=8192)
def plate_fields(raw: str, hint: str | None = None) -> tuple[str, str, str | None]:
    """Return (plate, display text, country) for a plate read as sent.

    Remembered for the last 8,192 (plate, hint) pairs: the grammars are pure,
    and the same cars pass the same cameras every day.

    The plate is what was sent, normalised only to A-Z and 0-9: no character is
    corrected, dropped or added (issue 14: a foreign plate cut to fit a national
    format could match a hot-list entry). The grammars only annotate it: the
    display text and the country when it fits an LT or LV format as sent, else
    the plate itself and no country. ``hint`` (the camera's country) only breaks
    a tie between formats.
    """
    plate = normalise(raw)
    parsed = parse_plate(raw or "", hint=hint)
    if parsed is None or parsed.plate != plate or not parsed.fits:
        return plate, plate, None
    return plate, parsed.text, parsed.country


def _find_duplicate(
    camera: TrafficCamera | None, organization: Any, time: datetime.datetime, plate: str,
    source: str, vault_item_id: int | None,
) -> PlateRead | None:  # fmt: skip
    return PlateRead.objects.filter(
        organization=organization,
        camera=camera,
        time=time,
        plate=plate,
        source=source,
        vault_item_id=vault_item_id,
    ).first()


def _camera_read(camera: TrafficCamera, time: datetime.datetime, plate: str) -> PlateRead | None:
    """Return the camera's read of ``plate`` at ``time`` (the unique key of camera reads).

    A camera's retry asks this: one plain statement, not the ORM's query.
    """
    params = [camera.pk, connection.ops.adapt_datetimefield_value(time), plate, ReadSource.CAMERA]
    return next(iter(PlateRead.objects.raw(_camera_read_sql(), params)), None)


@functools.cache
def _camera_read_sql() -> str:
    column = sql.columns(PlateRead, "camera", "time", "plate", "source")
    return (
        f"SELECT * FROM {sql.table(PlateRead)} WHERE {column['camera']} = %s "  # noqa: S608
        f"AND {column['time']} = %s AND {column['plate']} = %s AND {column['source']} = %s"
    )


def do_record_read(**fields: Any) -> PlateRead:
    """Store one plate read (see do_record_read_once) and return it."""
    return do_record_read_once(**fields)[0]


# How far a camera's "last read" may trail its newest read (see do_record_read_once).
LAST_READ_STEP = datetime.timedelta(seconds=10)


def do_record_read_once(
    *,
    organization: Any,
    camera: TrafficCamera | None,
    time: datetime.datetime,
    plate: str,
    confidence: float,
    source: str,
    text: str = "",
    country: str | None = None,
    image: bytes | None = None,
    image_ext: str = "jpg",
    vault_item_id: int | None = None,
    actor: Any = None,
) -> tuple[PlateRead, bool]:
    """Store one plate read, match it against the hot-list and raise any hit at once.

    Return the read and whether this call stored it. Sending the same read
    again (same camera, time and plate) stores nothing new and returns the
    read already stored: cameras retry when an answer is lost. Two requests
    racing with the same read meet the database's unique constraint: the
    loser's insert stores nothing (no second read, hit or alert) and it
    returns the winner's read.
    """
    if timezone.is_naive(time):
        raise ValidationError({"time": _("Give the time with its time zone.")})
    if not plate or len(plate) > MAX_PLATE_CHARS or normalise(plate) != plate:
        raise ValidationError({"plate": _("The plate must be 1 to 12 letters A-Z and digits.")})
    if not 0.0 <= confidence <= 1.0:
        raise ValidationError({"confidence": _("The confidence is a number from 0 to 1.")})
    if country not in (None, "", *Country.values):
        raise ValidationError({"country": _("The country is LT, LV or empty.")})
    if not text:
        # Only the display form and the country are taken from the grammar: the
        # plate itself is stored as given.
        found, shown, found_country = plate_fields(plate, getattr(organization, "country", None))
        if found == plate:
            text = shown
            country = found_country if country is None else country
    if source != ReadSource.CAMERA and vault_item_id is None:
        # No unique key holds these (a read typed in by hand): look first.
        existing = _find_duplicate(camera, organization, time, plate, source, vault_item_id)
        if existing is not None:
            return existing, False
    read = PlateRead(
        organization=organization,
        camera=camera,
        time=time,
        plate=plate,
        text=(text or plate)[:24],
        country=country or "",
        confidence=confidence,
        source=source,
        vault_item_id=vault_item_id,
    )
    # The hot-list is asked before the read is stored, outside any
    # transaction: most reads match nothing, and those are one INSERT that
    # commits on its own. A read that matches, or one a person asked for
    # (audited), is stored in one transaction with its hits and events.
    entries = matching_entries(read)
    if image:
        name = f"traffic/crops/{time:%Y/%m}/{plate}-{secrets.token_hex(6)}.{image_ext}"
        read.crop.name = default_storage.save(name, ContentFile(image))
    try:
        with transaction.atomic() if entries or source != ReadSource.CAMERA else nullcontext():
            # Insert first: the unique key, not a prior lookup, tells a retry
            # (or a request racing this one) from a new read.
            created = insert_once(read)
            if created:
                if source != ReadSource.CAMERA:
                    # Camera reads come by the thousand: the read itself is the
                    # record; only reads made by a person's request are audited.
                    audit.record(
                        "traffic.read_recorded", obj=read, actor=actor, details={"source": source}
                    )
                _record_hits(read, entries)
    except Exception:
        if read.crop.name:
            default_storage.delete(read.crop.name)
        raise
    if not created:
        if read.crop.name:
            default_storage.delete(read.crop.name)
        if source == ReadSource.CAMERA and camera is not None and vault_item_id is None:
            existing = _camera_read(camera, time, plate)
        else:
            existing = _find_duplicate(camera, organization, time, plate, source, vault_item_id)
        if existing is None:
            raise IntegrityError("plate read refused by a constraint other than its own key")
        return existing, False
    if camera is not None and (
        camera.last_read_at is None or time > camera.last_read_at + LAST_READ_STEP
    ):
        # After the read's transaction, so concurrent reads of one camera do
        # not queue on its row; the condition keeps the newest time when
        # reads arrive out of order. A busy camera's row is written once per
        # LAST_READ_STEP, not once (and one more commit) per read.
        TrafficCamera.objects.filter(
            Q(last_read_at__isnull=True) | Q(last_read_at__lt=time), pk=camera.pk
        ).update(last_read_at=time)
        camera.last_read_at = time
    return read, True


def matching_entries(
    read: PlateRead, at: datetime.datetime | None = None
) -> list[tuple[HotlistEntry, bool]]:
    """Return the hot-list entries valid now that the read matches, with whether exactly."""
    at = at or timezone.now()
    plates = sorted(variants(read.plate))
    if not _any_listed(plates, at):
        # Nearly every read: one plain statement instead of the ORM's query.
        return []
    candidates = HotlistEntry.objects.filter(
        plate__in=plates, withdrawn_at__isnull=True, valid_until__gt=at
    ).select_related("organization")
    return [
        (entry, entry.plate == read.plate)
        for entry in candidates
        if countries_agree(read.country, entry.country)
        and confusable_match(read.plate, entry.plate)
    ]


def _any_listed(plates: list[str], at: datetime.datetime) -> bool:
    """Return whether any of ``plates`` is on the hot-list and valid at ``at``."""
    with connection.cursor() as cursor:
        cursor.execute(
            _listed_sql(len(plates)), [*plates, connection.ops.adapt_datetimefield_value(at)]
        )
        return cursor.fetchone() is not None


@functools.cache
def _listed_sql(count: int) -> str:
    # One text per number of variants: built once, not on every camera post.
    column = sql.columns(HotlistEntry, "plate", "withdrawn_at", "valid_until")
    marks = ", ".join(["%s"] * count)
    return (
        f"SELECT 1 FROM {sql.table(HotlistEntry)} WHERE {column['plate']} IN ({marks}) "  # noqa: S608
        f"AND {column['withdrawn_at']} IS NULL AND {column['valid_until']} > %s LIMIT 1"
    )


def entry_grants(entry: HotlistEntry, at: datetime.datetime | None = None) -> Any:
    """Return the entry's active share grants."""
    return (
        Grant.objects.active(at or timezone.now())
        .for_model(HotlistEntry)
        .filter(object_id=entry.pk)
        .select_related("grantee")
    )


def entry_partners(entry: HotlistEntry, at: datetime.datetime | None = None) -> list[Any]:
    """Return the organizations the entry is shared with now."""
    return [g.grantee for g in entry_grants(entry, at)]


def match_read(read: PlateRead) -> list[Hit]:
    """Match a stored read against the hot-list; record and announce each hit."""
    return _record_hits(read, matching_entries(read))


def _record_hits(read: PlateRead, entries: list[tuple[HotlistEntry, bool]]) -> list[Hit]:
    """Record and announce a hit of the stored ``read`` for each matched entry not hit yet."""
    hits = []
    for entry, exact in entries:
        hit, created = Hit.objects.get_or_create(read=read, entry=entry, defaults={"exact": exact})
        if not created:
            continue
        hits.append(hit)
        _announce(hit)
    if hits and not read.hit:
        read.hit = True
        read.save(update_fields=["hit"])
    return hits


def _announce(hit: Hit) -> None:
    read, entry = hit.read, hit.entry
    # Each recipient reads the reason and "evidence footage" in their own
    # language: lazy texts, rendered per person by notify_organizations.
    camera = read.camera.name if read.camera else gettext_lazy("evidence footage")
    organizations = [entry.organization, *entry_partners(entry)]
    audit.record(
        "traffic.hit",
        obj=hit,
        object_repr=f"{read.text} {entry.get_reason_display()}",
        details={
            "plate": read.plate,
            "entry": entry.pk,
            "read": read.pk,
            "camera": read.camera_id,
            "notified": [o.code for o in organizations],
        },
    )
    time = read.time.isoformat()
    zone = zoneinfo.ZoneInfo(read.organization.display_time_zone)
    shown_time = timezone.localtime(read.time, zone).strftime("%Y-%m-%d %H:%M:%S")
    notify_organizations(
        organizations,
        kind=HIT_KIND,
        title=gettext_lazy("Plate hit: %(plate)s"),
        body=gettext_lazy("%(reason)s — seen by %(camera)s at %(time)s"),
        params={
            "plate": read.text,
            "reason": HotlistReason(entry.reason).label,
            "camera": camera,
            "time": shown_time,
        },
        url=hit.get_absolute_url(),
        roles=sorted(HIT_POLICY.own["view"]),
        payload={
            "hit": hit.pk,
            "plate": read.plate,
            "text": read.text,
            "country": read.country or None,
            "camera": str(camera),
            "camera_organization": read.organization.code,
            "time": time,
            "reason": entry.reason,
            "owner": entry.organization.code,
            "url": hit.get_absolute_url(),
        },
    )


@transaction.atomic
def do_acknowledge_hit(hit: Hit, *, actor: Any) -> Hit:
    """Mark a hit as seen and taken in hand."""
    if hit.acknowledged_at is None:
        hit.acknowledged_at = timezone.now()
        hit.acknowledged_by = actor
        hit.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.record("traffic.hit_acknowledged", obj=hit, actor=actor)
    return hit


DECIDED_KIND = "traffic-hit-decided"


@transaction.atomic
def do_decide_hit(
    hit: Hit, *, outcome: str, actor: Any, correct_plate: str = "", action_taken: str = ""
) -> Hit:
    """Record what the operator found: the plate and vehicle match, or the camera misread it.

    A misread names the plate it really was (A-Z0-9, not the one read); the
    action taken is free text. The hit counts as acknowledged too. The
    organization that listed the entry is told the outcome, each person in
    their own language. Deciding again replaces the decision (audited each time).
    """
    if outcome not in HitOutcome.values:
        raise ValidationError({"outcome": _("Choose what you found.")})
    correct = normalise(correct_plate) if outcome == HitOutcome.MISREAD else ""
    if outcome == HitOutcome.MISREAD and (not correct or correct == hit.read.plate):
        raise ValidationError(
            {"correct_plate": _("Give the plate the vehicle really has (not the one read).")}
        )
    if len(correct) > MAX_PLATE_CHARS:
        raise ValidationError(
            {"correct_plate": _("The plate must be 1 to 12 letters A-Z and digits.")}
        )
    now = timezone.now()
    hit.outcome, hit.correct_plate, hit.action_taken = outcome, correct, action_taken.strip()
    hit.decided_by, hit.decided_at = actor, now
    fields = ["outcome", "correct_plate", "action_taken", "decided_by", "decided_at"]
    if hit.acknowledged_at is None:
        hit.acknowledged_at, hit.acknowledged_by = now, actor
        fields += ["acknowledged_at", "acknowledged_by"]
    hit.save(update_fields=fields)
    audit.record(
        "traffic.hit_decided",
        obj=hit,
        actor=actor,
        details={"outcome": outcome, "correct_plate": correct, "read": hit.read.plate},
    )
    entry = hit.entry
    notify_organizations(
        [entry.organization],
        kind=DECIDED_KIND,
        title=gettext_lazy("Hit on %(plate)s checked: %(outcome)s"),
        # The operator's own words, as typed (escaped for the title's %-format).
        body=hit.action_taken.replace("%", "%%"),
        params={"plate": hit.read.text, "outcome": HitOutcome(outcome).label},
        url=hit.get_absolute_url(),
        roles=sorted(HIT_POLICY.own["view"]),
    )
    return hit


@transaction.atomic
def do_create_entry(
    organization: Any,
    *,
    plate: str,
    reason: str,
    valid_until: datetime.datetime,
    actor: Any,
    country: str | None = None,
    note: str = "",
    share_with: Any = (),
) -> HotlistEntry:
    """Put a plate on the organization's hot-list until `valid_until`, shared with partners."""
    errors: dict[str, str] = {}
    cleaned = normalise(plate)
    if not cleaned or len(cleaned) > MAX_PLATE_CHARS:
        errors["plate"] = _("The plate must be 1 to 12 letters A-Z and digits.")
    if reason not in HotlistReason.values:
        errors["reason"] = _("Choose a reason.")
    country = country or None
    if country not in (None, "", *Country.values):
        errors["country"] = _("The country is LT, LV or empty.")
    if valid_until is None or valid_until <= timezone.now():
        errors["valid_until"] = _("The entry must be valid until a time in the future.")
    if errors:
        raise ValidationError(errors)
    # The listed plate is never "corrected": only its display form comes from the grammar.
    text = shown_plate(plate, country)
    entry = HotlistEntry.objects.create(
        organization=organization,
        plate=cleaned,
        text=text,
        country=country or "",
        reason=reason,
        note=(note or "").strip(),
        valid_until=valid_until,
        created_by=actor,
    )
    audit.record(
        "traffic.entry_created",
        obj=entry,
        actor=actor,
        details={"plate": cleaned, "reason": reason, "valid_until": valid_until.isoformat()},
    )
    for partner in share_with:
        do_share_entry(entry, grantee=partner, actor=actor)
    return entry


@transaction.atomic
def do_withdraw_entry(entry: HotlistEntry, *, actor: Any) -> HotlistEntry:
    """Stop looking for the plate; the entry and its hits are kept."""
    if entry.withdrawn_at is None:
        entry.withdrawn_at = timezone.now()
        entry.save(update_fields=["withdrawn_at"])
        audit.record("traffic.entry_withdrawn", obj=entry, actor=actor)
    return entry


def do_share_entry(
    entry: HotlistEntry,
    *,
    grantee: Any,
    actor: Any,
    purpose: str = "",
    expires_at: datetime.datetime | None = None,
) -> Grant:
    """Share a hot-list entry with a partner: they see it and are alerted on its hits."""
    purpose = purpose or _("Cross-border hot-list: %(reason)s") % {
        "reason": entry.get_reason_display()
    }
    return do_share_record(
        entry,
        grantee=grantee,
        purpose=purpose,
        expires_at=expires_at or entry.valid_until,
        actor=actor,
    )


@transaction.atomic
def do_create_section(
    organization: Any,
    *,
    name: str,
    camera_a: TrafficCamera,
    camera_b: TrafficCamera,
    distance_m: int,
    limit_kmh: int,
    actor: Any,
    max_minutes: int = 60,
) -> SpeedSection:
    """Define a section-speed stretch between two cameras of the organization."""
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = _("Give the section a name.")
    if camera_a.pk == camera_b.pk:
        errors["camera_b"] = _("Choose two different cameras.")
    if organization.pk not in (camera_a.organization_id, camera_b.organization_id):
        errors["camera_a"] = _("At least one camera must be your organization's.")
    if not distance_m or distance_m <= 0:
        errors["distance_m"] = _("The distance must be more than 0 m.")
    if not limit_kmh or limit_kmh <= 0:
        errors["limit_kmh"] = _("The speed limit must be more than 0 km/h.")
    if not max_minutes or max_minutes <= 0:
        errors["max_minutes"] = _("The time window must be at least one minute.")
    if errors:
        raise ValidationError(errors)
    section = SpeedSection.objects.create(
        organization=organization,
        name=name.strip(),
        camera_a=camera_a,
        camera_b=camera_b,
        distance_m=distance_m,
        limit_kmh=limit_kmh,
        max_minutes=max_minutes,
    )
    audit.record("traffic.section_created", obj=section, actor=actor)
    return section


def read_days() -> int:
    """Return how many days reads that hit nothing are kept (settings, read now)."""
    return int(getattr(settings, "SCAPE_TRAFFIC_READ_DAYS", 30))


def expire_reads(now: datetime.datetime | None = None, batch: int = 1000) -> int:
    """Delete reads older than the retention period that hit nothing, with their images.

    Reads with a hit are kept with their case. The images are removed after the
    rows are gone, so a failure never leaves a row pointing at a missing file.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=read_days())
    deleted = 0
    while True:
        rows = list(
            PlateRead.objects.filter(time__lt=cutoff, hit=False, hits__isnull=True).values_list(
                "pk", "crop"
            )[:batch]
        )
        if not rows:
            break
        with transaction.atomic():
            PlateRead.objects.filter(pk__in=[pk for pk, _crop in rows]).delete()
            audit.record(
                "traffic.reads_expired",
                object_type="traffic.plateread",
                details={"count": len(rows), "before": cutoff.isoformat()},
            )
        for _pk, crop in rows:
            if crop:
                default_storage.delete(crop)
        deleted += len(rows)
    return deleted


@transaction.atomic
def do_read_evidence(user: Any, item_pk: Any, camera: TrafficCamera | None) -> Any:
    """Queue plate reading over an evidence item the user may see; return its Job.

    The reads belong to the camera's organization (the user's own), or to the
    item's organization when no camera is named.
    """
    item = access_item(user, item_pk)
    actor = actor_of(user)
    if camera is not None and camera.organization_id != actor.organization_id:
        raise ValidationError({"camera": _("Choose a camera of your organization.")})
    if camera is None and item.organization_id != actor.organization_id:
        raise ValidationError(
            {"camera": _("Choose the camera the footage comes from: the item is a partner's.")}
        )
    job = Job.objects.create(
        kind=f"{EVIDENCE_JOB}:{item.pk}",
        title=gettext_noop("Plate reading in %(name)s"),
        params={"name": item.original_name},
        organization_id=actor.organization_id,
        created_by=user,
    )
    evidence_read_requested.send(do_read_evidence, job=job, item=item, camera=camera)
    audit.record(
        "traffic.evidence_read_requested",
        obj=item,
        actor=user,
        details={"job": job.pk, "camera": camera.pk if camera else None},
    )
    return job


def shown_plate(plate: str, country: str | None) -> str:
    """Return a listed plate's display form: the grammar's spacing, never a correction."""
    cleaned = normalise(plate)
    parsed = parse_plate(plate, hint=country)
    return parsed.text if parsed is not None and parsed.plate == cleaned else cleaned


def _import_plan(imported: HotlistImport, now: datetime.datetime) -> dict[str, Any]:
    """Return what loading the import would do now: the entries it adds, updates, withdraws."""
    plates = {row["plate"] for row in imported.rows}
    active = HotlistEntry.objects.filter(
        organization=imported.organization_id, withdrawn_at__isnull=True, valid_until__gt=now
    )
    existing = {entry.plate: entry for entry in active.filter(plate__in=plates)}
    withdraw = (
        active.filter(source__list_name=imported.list_name).exclude(plate__in=plates)
        if imported.mode == ImportMode.REPLACE
        else active.none()
    )
    return {"existing": existing, "withdraw": withdraw}


def import_counts(imported: HotlistImport) -> dict[str, int]:
    """Return what the import did (loaded) or would do now (preview)."""
    if imported.state != ImportState.PREVIEW:
        return dict(imported.counts)
    plan = _import_plan(imported, timezone.now())
    return {
        "added": len(imported.rows) - len(plan["existing"]),
        "updated": len(plan["existing"]),
        "withdrawn": plan["withdraw"].count(),
        "problems": len(imported.problems),
    }


@transaction.atomic
def do_preview_hotlist_import(
    organization: Any,
    *,
    actor: Any,
    data: bytes,
    file_name: str,
    list_name: str,
    mode: str,
    valid_until: datetime.datetime | None = None,
    share_with: Any = (),
) -> HotlistImport:
    """Read a hot-list file and keep what it holds for a preview; nothing is listed yet."""
    from scape.traffic.hotlist_files import MAX_BYTES, as_data, read_hotlist

    if not HOTLIST_POLICY.may_in_own(actor, "change") or (
        actor_of(actor).organization_id != organization.pk
    ):
        raise PermissionDenied(
            _("Only officers and coordinators load their organization's hot-list.")
        )
    errors: dict[str, str] = {}
    if not list_name.strip():
        errors["list_name"] = _("Name the list, so that a later file can replace it.")
    if mode not in ImportMode.values:
        errors["mode"] = _("Choose merge or replace.")
    if len(data) > MAX_BYTES:
        errors["file"] = _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // 2**20}
    if not data:
        errors["file"] = _("The file is empty.")
    now = timezone.now()
    if valid_until is not None and valid_until <= now:
        errors["valid_until"] = _("The entry must be valid until a time in the future.")
    if errors:
        raise ValidationError(errors)
    zone = zoneinfo.ZoneInfo(organization.display_time_zone)
    rows, problems = read_hotlist(
        data, file_name, zone=zone, valid_until=valid_until, now=now, shown=shown_plate
    )
    imported = HotlistImport.objects.create(
        organization=organization,
        list_name=list_name.strip()[:100],
        file_name=safe_filename(file_name, fallback="hotlist"),
        sha256=hashlib.sha256(data).hexdigest(),
        mode=mode,
        valid_until=valid_until,
        share_with=sorted({partner.pk for partner in share_with}),
        rows=as_data(rows),
        problems=as_data(problems),
        created_by=actor,
    )
    audit.record(
        "traffic.hotlist_file_read",
        obj=imported,
        actor=actor,
        details={
            "file": imported.file_name,
            "sha256": imported.sha256,
            "rows": len(rows),
            "problems": len(problems),
        },
    )
    return imported


@transaction.atomic
def do_apply_hotlist_import(imported: HotlistImport, *, actor: Any) -> HotlistImport:
    """Load a previewed file: add its new plates, update the listed ones, and (replace)
    withdraw this list's plates the file no longer holds. One audited record says who
    loaded what; each entry added or withdrawn has its own event."""
    imported = HotlistImport.objects.select_for_update().get(pk=imported.pk)
    if actor_of(actor).organization_id != imported.organization_id or not (
        HOTLIST_POLICY.may_in_own(actor, "change")
    ):
        raise PermissionDenied(
            _("Only officers and coordinators load their organization's hot-list.")
        )
    if imported.state != ImportState.PREVIEW:
        raise ValidationError(_("This file was already loaded or cancelled."))
    now = timezone.now()
    plan = _import_plan(imported, now)
    existing: dict[str, HotlistEntry] = plan["existing"]
    withdrawn = list(plan["withdraw"])
    fresh: list[HotlistEntry] = []
    changed: list[HotlistEntry] = []
    for row in imported.rows:
        until = datetime.datetime.fromisoformat(row["valid_until"])
        if until <= now:
            continue
        fields = {
            "country": row["country"],
            "reason": row["reason"],
            "valid_until": until,
            "note": row["note"],
            "source": imported,
        }
        entry = existing.get(row["plate"])
        if entry is None:
            fresh.append(
                HotlistEntry(
                    organization_id=imported.organization_id,
                    plate=row["plate"],
                    text=row["shown"],
                    created_by=actor,
                    created_at=now,
                    **fields,
                )
            )
        else:
            for name, value in fields.items():
                setattr(entry, name, value)
            changed.append(entry)
    created = HotlistEntry.objects.bulk_create(fresh, batch_size=1000)
    if not all(entry.pk for entry in created):  # backends that return no ids (none today)
        created = list(
            HotlistEntry.objects.filter(source=imported, created_at=now, created_by=actor)
        )
    HotlistEntry.objects.bulk_update(
        changed, ["country", "reason", "valid_until", "note", "source"], batch_size=1000
    )
    HotlistEntry.objects.filter(pk__in=[e.pk for e in withdrawn]).update(withdrawn_at=now)
    imported.state = ImportState.APPLIED
    imported.applied_at = now
    imported.counts = {
        "added": len(created),
        "updated": len(changed),
        "withdrawn": len(withdrawn),
        "problems": len(imported.problems),
    }
    imported.rows = []  # the entries hold them now; the file's hash says which file it was
    imported.save(update_fields=["state", "applied_at", "counts", "rows"])
    audit.record(
        "traffic.hotlist_imported",
        obj=imported,
        actor=actor,
        details={
            "list": imported.list_name,
            "file": imported.file_name,
            "sha256": imported.sha256,
            "mode": imported.mode,
            **imported.counts,
        },
    )
    audit.record_many(
        (
            "traffic.entry_created",
            {
                "obj": entry,
                "actor": actor,
                "details": {
                    "plate": entry.plate,
                    "reason": entry.reason,
                    "valid_until": entry.valid_until.isoformat(),
                    "import": imported.pk,
                },
            },
        )
        for entry in created
    )
    audit.record_many(
        (
            "traffic.entry_withdrawn",
            {"obj": entry, "actor": actor, "details": {"import": imported.pk}},
        )
        for entry in withdrawn
    )
    if imported.share_with:
        from scape.directory.models import Organization

        partners = list(Organization.objects.filter(pk__in=imported.share_with))
        for entry in created:
            for partner in partners:
                do_share_entry(entry, grantee=partner, actor=actor)
    return imported


@transaction.atomic
def do_cancel_hotlist_import(imported: HotlistImport, *, actor: Any) -> HotlistImport:
    """Drop a previewed file without loading it (the record of the reading stays)."""
    imported = HotlistImport.objects.select_for_update().get(pk=imported.pk)
    if actor_of(actor).organization_id != imported.organization_id:
        raise PermissionDenied
    if imported.state == ImportState.PREVIEW:
        imported.state = ImportState.CANCELLED
        imported.rows = []
        imported.save(update_fields=["state", "rows"])
        audit.record("traffic.hotlist_import_cancelled", obj=imported, actor=actor)
    return imported


def camera_for_footage(item: Any) -> TrafficCamera | None:
    """Return the organization's traffic camera whose equipment record is the device
    that recorded ``item`` (by serial number), if any."""
    serial = (getattr(item, "device_serial", "") or "").strip()
    if not serial:
        return None
    return (
        TrafficCamera.objects.filter(
            organization=item.organization_id, asset__serial__iexact=serial
        )
        .order_by("-active", "pk")
        .first()
    )


@transaction.atomic
def do_read_footage_on_arrival(item: Any) -> Job | None:
    """Queue plate reading of a newly stored item that a traffic camera recorded.

    Traffic or in-car camera footage (by its source, or because its device is
    a traffic camera's equipment record) is read without anyone asking; the
    reads are timed from the recording (see tasks._read) and belong to the
    camera's organization. Return the Job, or None when the item is not
    traffic footage or is already being read.
    """
    from scape.vault.choices import MediaKind, SourceType

    if not settings.SCAPE_TRAFFIC_READ_ON_ARRIVAL:
        return None
    if item.media_kind not in (MediaKind.VIDEO, MediaKind.IMAGE):
        return None
    camera = camera_for_footage(item)
    if camera is None and item.source_type != SourceType.TRAFFIC_CAM:
        return None
    kind = f"{EVIDENCE_JOB}:{item.pk}"
    if Job.objects.filter(kind=kind).exists():
        return None
    job = Job.objects.create(
        kind=kind,
        title=gettext_noop("Plate reading in %(name)s"),
        params={"name": item.original_name},
        organization_id=item.organization_id,
        created_by=item.ingested_by,
    )
    evidence_read_requested.send(do_read_footage_on_arrival, job=job, item=item, camera=camera)
    audit.record(
        "traffic.evidence_read_requested",
        obj=item,
        actor=None,
        details={"job": job.pk, "camera": camera.pk if camera else None, "on_arrival": True},
    )
    return job
