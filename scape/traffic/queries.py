"""Reads of traffic through the access door: cameras, reads, hot-list, hits,
counts per hour and day, section speed, and map features."""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, QuerySet
from django.db.models.functions import TruncDay, TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from scape.core import audit, sql
from scape.core.access import access_object, actor_of
from scape.core.choices import Action
from scape.core.models import Job
from scape.directory.models import Organization
from scape.equipment.choices import AssetKind
from scape.equipment.queries import get_assets
from scape.traffic.actions import hash_token
from scape.traffic.choices import HitOutcome
from scape.traffic.matching import (
    PATTERN_MIN_FIXED,
    is_pattern,
    normalise,
    normalise_pattern,
    pattern_regex,
    variants,
)
from scape.traffic.models import (
    Hit,
    HotlistEntry,
    HotlistImport,
    PlateRead,
    SpeedSection,
    TrafficCamera,
)


def access_camera(user: Any, pk: Any, action: str = Action.VIEW) -> TrafficCamera:
    """Return the camera for `action`, or raise Http404/PermissionDenied."""
    return access_object(TrafficCamera, user, pk, action)


def access_read(user: Any, pk: Any, action: str = Action.VIEW) -> PlateRead:
    """Return the read for `action`, or raise Http404/PermissionDenied."""
    return access_object(PlateRead, user, pk, action)


def access_entry(user: Any, pk: Any, action: str = Action.VIEW) -> HotlistEntry:
    """Return the hot-list entry for `action`, or raise Http404/PermissionDenied."""
    return access_object(HotlistEntry, user, pk, action)


def access_import(user: Any, pk: Any, action: str = Action.VIEW) -> HotlistImport:
    """Return a hot-list file loaded (or previewed) by the user's organization."""
    return access_object(HotlistImport, user, pk, action)


def get_imports(user: Any) -> QuerySet[HotlistImport]:
    """Return the hot-list files the user's organization loaded or previewed, newest first."""
    return (
        HotlistImport.objects.restrict(user, Action.VIEW)
        .select_related("created_by")
        .defer("rows", "problems")
    )


def access_hit(user: Any, pk: Any, action: str = Action.VIEW) -> Hit:
    """Return the hit for `action`, or raise Http404/PermissionDenied."""
    return access_object(Hit, user, pk, action)


def access_section(user: Any, pk: Any, action: str = Action.VIEW) -> SpeedSection:
    """Return the speed section for `action`, or raise Http404/PermissionDenied."""
    return access_object(SpeedSection, user, pk, action)


def get_cameras(user: Any) -> QuerySet[TrafficCamera]:
    """Return the cameras the user may see."""
    return TrafficCamera.objects.restrict(user, Action.VIEW).select_related("organization")


def own_cameras(user: Any) -> QuerySet[TrafficCamera]:
    """Return the active cameras of the user's own organization (to read footage as)."""
    return get_cameras(user).filter(organization=actor_of(user).organization_id, active=True)


def get_reads(user: Any) -> QuerySet[PlateRead]:
    """Return the reads the user may see: their cameras' reads and reads that hit their entries."""
    return PlateRead.objects.restrict(user, Action.VIEW).select_related("camera", "organization")


def decided_hits(camera: TrafficCamera) -> dict[str, int]:
    """Return how the camera's checked hits turned out: confirmed and misread counts.

    The camera's own figure of how often its reads are wrong, from the
    operators' decisions (do_decide_hit).
    """
    counts = dict(
        Hit.objects.filter(read__camera=camera)
        .exclude(outcome="")
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    return {outcome: counts.get(outcome, 0) for outcome in HitOutcome.values}


def get_entries(user: Any) -> QuerySet[HotlistEntry]:
    """Return the hot-list entries the user may see (their own and shared with them)."""
    return HotlistEntry.objects.restrict(user, Action.VIEW).select_related("organization")


def get_hits(user: Any) -> QuerySet[Hit]:
    """Return the hits the user may see, newest first."""
    return Hit.objects.restrict(user, Action.VIEW).select_related(
        "read__camera", "read__organization", "entry__organization"
    )


def get_sections(user: Any) -> QuerySet[SpeedSection]:
    """Return the speed sections the user may see, with the cameras at their two ends."""
    return SpeedSection.objects.restrict(user, Action.VIEW).select_related("camera_a", "camera_b")


def camera_assets(user: Any, organization_id: int | None = None) -> Any:
    """Return the traffic-camera equipment records the user sees of an organization (by default
    their own), to link a camera to."""

    if organization_id is None:
        organization_id = actor_of(user).organization_id
    return get_assets(user).filter(organization=organization_id, kind=AssetKind.TRAFFIC_CAMERA)


def evidence_jobs(user: Any) -> Any:
    """Return the plate-reading jobs over vault items of the user's organization, newest first."""

    return Job.objects.filter(
        organization=actor_of(user).organization_id, kind__startswith="traffic.evidence_reads:"
    ).order_by("-created_at", "-pk")


def camera_for_token(token: str) -> TrafficCamera | None:
    """Return the active camera whose token this is, with its organization's country, or None.

    Every post of every camera asks this, so it is one plain statement for
    the few columns a read needs rather than the ORM's query building; any
    other field of the camera or its organization loads when first used.
    """
    if not token:
        return None
    for camera in TrafficCamera.objects.raw(_camera_sql(), [hash_token(token)]):
        camera.organization = Organization.from_db(
            camera._state.db,
            ["id", "country"],
            [camera.organization_id, camera.org_country],  # type: ignore[attr-defined]
        )
        return camera
    return None


@functools.cache
def _camera_sql() -> str:
    c = sql.columns(
        TrafficCamera, "id", "name", "organization", "last_read_at", "token_hash", "active"
    )
    o = sql.columns(Organization, "pk", "country")
    return (
        f"SELECT c.{c['id']}, c.{c['name']}, c.{c['organization']}, c.{c['last_read_at']}, "  # noqa: S608
        f"o.{o['country']} AS org_country "
        f"FROM {sql.table(TrafficCamera)} c JOIN {sql.table(Organization)} o "
        f"ON o.{o['pk']} = c.{c['organization']} "
        f"WHERE c.{c['token_hash']} = %s AND c.{c['active']}"
    )


def search_reads(
    user: Any,
    plate: str,
    *,
    reason: str,
    since: Any = None,
    until: Any = None,
    cameras: Any = None,
) -> QuerySet[PlateRead]:
    """Return the reads of a plate the user may see, as a witness remembers it.

    A whole plate also finds its one-look-alike variants; a pattern holds ``?``
    for one unknown character and ``*`` for any run of them (``AB?12*``) and
    must fix at least two characters. ``since``/``until`` bound the time and
    ``cameras`` the cameras. Looking a plate up is consultation of personal
    data: it needs a reason and is written to the audit log with it and with
    every bound it was given.
    """
    reason = (reason or "").strip()
    wanted = normalise_pattern(plate)
    if not reason:
        raise ValidationError({"reason": _("Say why you search for this plate.")})
    if not normalise(wanted):
        raise ValidationError({"plate": _("Enter a plate.")})
    if is_pattern(wanted):
        if len(normalise(wanted)) < PATTERN_MIN_FIXED:
            raise ValidationError(
                {"plate": _("A pattern needs at least two known characters besides ? and *.")}
            )
        reads = get_reads(user).filter(plate__regex=pattern_regex(wanted))
    else:
        reads = get_reads(user).filter(plate__in=variants(wanted))
    if since is not None:
        reads = reads.filter(time__gte=since)
    if until is not None:
        reads = reads.filter(time__lt=until)
    chosen = sorted(camera.pk for camera in cameras) if cameras else []
    if chosen:
        reads = reads.filter(camera_id__in=chosen)
    details: dict[str, Any] = {"plate": wanted, "found": reads.count()}
    if since is not None or until is not None:
        details["window"] = [since and since.isoformat(), until and until.isoformat()]
    if chosen:
        details["cameras"] = chosen
    audit.record(
        "traffic.reads_searched",
        object_type="traffic.plateread",
        object_repr=wanted,
        actor=user,
        reason=reason,
        details=details,
    )
    return reads


# The shortest reason accepted for looking through every read.
BROWSE_REASON_MIN = 5


def browse_reads(user: Any, *, reason: str) -> QuerySet[PlateRead]:
    """Return every read the user may see, recording why they look through them.

    Every plate is personal data: looking through them all is a consultation
    as much as a search, asked for and recorded the same way (the page asks
    once per 15 minutes, the API on every call).
    """
    reason = (reason or "").strip()
    if len(reason) < BROWSE_REASON_MIN:
        raise ValidationError({"reason": _("Say why you look through the plate reads.")})
    audit.record(
        "traffic.reads_browsed", object_type="traffic.plateread", actor=user, reason=reason
    )
    return get_reads(user)


# Counts ----------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    """Reads counted in one hour or one day (local time of the camera)."""

    start: datetime.datetime
    count: int

    @property
    def day(self) -> datetime.date:
        """Return the bucket's local day (templates would show `start` in the server's zone)."""
        return self.start.date()


def _zone(camera: TrafficCamera) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(camera.organization.display_time_zone)


def _read_counts(
    camera: TrafficCamera, first: datetime.date, last: datetime.date, trunc: Any
) -> list[tuple[datetime.datetime, int]]:
    """Return (local start, reads) of each hour or day (`trunc`) from `first` to `last` with reads."""
    tz = _zone(camera)
    start = datetime.datetime.combine(first, datetime.time(), tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
    rows = (
        PlateRead.objects.filter(camera=camera, time__gte=start, time__lt=end)
        .annotate(bucket=trunc("time", tzinfo=tz))
        .values("bucket")
        .annotate(n=Count("pk"))
    )
    return [(timezone.localtime(r["bucket"], tz), r["n"]) for r in rows]


def hourly_counts(camera: TrafficCamera, day: datetime.date) -> list[Bucket]:
    """Return the camera's reads in each of the 24 local hours of `day`."""
    tz = _zone(camera)
    found = {start.hour: n for start, n in _read_counts(camera, day, day, TruncHour)}
    return [
        Bucket(datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz), found.get(hour, 0))
        for hour in range(24)
    ]


def daily_counts(camera: TrafficCamera, first: datetime.date, last: datetime.date) -> list[Bucket]:
    """Return the camera's reads on each local day from `first` to `last`, inclusive."""
    tz = _zone(camera)
    found = {start.date(): n for start, n in _read_counts(camera, first, last, TruncDay)}
    days = [first + datetime.timedelta(days=i) for i in range(max((last - first).days + 1, 0))]
    return [
        Bucket(datetime.datetime.combine(day, datetime.time(), tzinfo=tz), found.get(day, 0))
        for day in days
    ]


# Section speed ---------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """One vehicle seen at the entry camera and then at the exit camera."""

    plate: str
    text: str
    entered: datetime.datetime
    left: datetime.datetime
    seconds: float
    speed_kmh: float
    over_limit: bool


def section_passages(
    user: Any, section: SpeedSection, start: datetime.datetime, end: datetime.datetime
) -> list[Passage]:
    """Return the average speed of each vehicle that drove through the section.

    A vehicle is paired from its last read at the entry camera to its next read
    at the exit camera, if that comes within the section's time window; a read
    at the exit with no entry read before it is no passage.
    """
    window = datetime.timedelta(minutes=section.max_minutes)
    reads = (
        get_reads(user)
        .filter(camera__in=[section.camera_a_id, section.camera_b_id])
        .filter(time__gte=start - window, time__lt=end)
        .order_by("time", "pk")
        .values_list("plate", "text", "camera_id", "time")
    )
    entered: dict[str, tuple[datetime.datetime, str]] = {}
    out: list[Passage] = []
    for plate, text, camera_id, time in reads:
        if camera_id == section.camera_a_id:
            entered[plate] = (time, text)
            continue
        start_read = entered.pop(plate, None)
        if start_read is None:
            continue
        t_in, text_in = start_read
        seconds = (time - t_in).total_seconds()
        if seconds <= 0 or time - t_in > window or time < start:
            continue
        speed = section.distance_m / seconds * 3.6
        out.append(
            Passage(plate, text_in, t_in, time, seconds, round(speed, 1), speed > section.limit_kmh)
        )
    return out


def speeding(passages: list[Passage]) -> list[Passage]:
    """Return the passages over the limit, fastest first."""
    return sorted((p for p in passages if p.over_limit), key=lambda p: -p.speed_kmh)


# Map features ----------------------------------------------------------------


def _point(lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def camera_features(user: Any) -> list[dict[str, Any]]:
    """Return the cameras the user may see as GeoJSON Point features."""
    cameras = get_cameras(user).filter(active=True)
    out = []
    for camera in cameras:
        subtitle = " · ".join(p for p in (camera.road, camera.get_direction_display()) if p)
        last = camera.last_read_at or camera.created_at
        out.append(
            _point(
                camera.longitude,
                camera.latitude,
                {
                    "title": camera.name,
                    "subtitle": subtitle,
                    "url": camera.get_absolute_url(),
                    "time": last.isoformat(),
                    "color": "#1f5fa8",
                },
            )
        )
    return out


def hit_features(user: Any, since: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """Return the hits the user may see (since `since`) as GeoJSON Point features at their camera."""
    hits = get_hits(user).filter(read__camera__isnull=False)
    if since is not None:
        hits = hits.filter(read__time__gte=since)
    out = []
    for hit in hits[:500]:
        camera = hit.read.camera
        assert camera is not None
        out.append(
            _point(
                camera.longitude,
                camera.latitude,
                {
                    "title": _("Plate hit: %(plate)s") % {"plate": hit.read.text},
                    "subtitle": f"{hit.entry.get_reason_display()} · {camera.name}",
                    "url": hit.get_absolute_url(),
                    "time": hit.read.time.isoformat(),
                    "color": "#b3261e",
                },
            )
        )
    return out


def recent_hit_counts(user: Any) -> dict[str, int]:
    """Return how many hits the user sees, in total and not yet acknowledged."""
    hits = get_hits(user)
    return {"all": hits.count(), "open": hits.filter(acknowledged_at__isnull=True).count()}


# What the reports count (scape.reports.indicators reads traffic only here).


def cross_border_hits_between(start: datetime.datetime, end: datetime.datetime) -> QuerySet[Hit]:
    """Return the hits in [start, end) where a read of one country matched a hot-list
    entry of the other."""
    return (
        Hit.objects.filter(time__gte=start, time__lt=end)
        .exclude(read__organization__country=F("entry__organization__country"))
        .select_related("read__organization", "entry__organization")
    )
