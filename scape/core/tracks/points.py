"""The point every reader returns, and what a flight's log says about the flight."""

from __future__ import annotations

import datetime
import math
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from gpxpy.geo import haversine_distance

FEET = 0.3048


class TrackError(ValueError):
    """The file is not a track this reader understands."""


@dataclass
class Point:
    """One position of the aircraft.

    ``alt`` is the height above the take-off point where the log records one
    (DJI barometer, ``rel_alt``, ``H``, AirData ``height_above_takeoff``),
    otherwise the altitude the log gives (GPX ``ele``, KML, ``[altitude: …]``).
    ``at`` is the clock time, aware; ``offset`` the seconds from the start of
    the recording (a video's subtitle cue, a log's elapsed time). Points of
    one ``segment`` were recorded without a break.
    """

    lat: float
    lon: float
    alt: float | None = None
    at: datetime.datetime | None = None
    offset: float | None = None
    segment: int = 0

    def as_dict(self, *, segments: bool) -> dict[str, Any]:
        t: Any = self.at.isoformat() if self.at is not None else self.offset
        found = {"t": t, "lat": self.lat, "lon": self.lon, "alt": self.alt}
        if segments:
            found["seg"] = self.segment
        return found


@dataclass(frozen=True)
class FlightLog:
    """A flight's log: its points and what they say about the flight."""

    points: list[dict[str, Any]]
    started_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    duration: datetime.timedelta | None
    distance_m: float
    max_altitude_m: float | None


def position(lat: float, lon: float, where: str) -> tuple[float, float]:
    """Return (lat, lon) checked for range, or raise naming where they were read."""
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise TrackError(
            _("%(where)s: the coordinate %(lat)s, %(lon)s is out of range.")
            % {"where": where, "lat": lat, "lon": lon}
        )
    return lat, lon


def number(text: str) -> float:
    """Return a number written with a decimal point or a decimal comma (55,918).

    Raise ValueError for anything else, infinities and NaN included.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." not in cleaned and cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def local_zone() -> datetime.tzinfo:
    """Return the zone of a drone clock that writes no zone: the user's, else the default."""
    current = timezone.get_current_timezone()
    if str(current) != str(settings.TIME_ZONE):
        return current
    name = getattr(settings, "SCAPE_DEFAULT_DISPLAY_TIME_ZONE", "Europe/Vilnius")
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


def aware(moment: datetime.datetime, *, naive_zone: datetime.tzinfo) -> datetime.datetime:
    """Return the moment in UTC, reading a naive one in ``naive_zone``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=naive_zone)
    return moment.astimezone(datetime.UTC)


def distance_m(points: Iterable[tuple[float, float, int]]) -> float:
    """Return the haversine length in metres of (lat, lon, segment) points.

    Two points of different segments are not joined: the aircraft was not
    recorded between them (a GPX ``trkseg`` break, a new KML line).
    """
    total = 0.0
    previous: tuple[float, float, int] | None = None
    for point in points:
        if previous is not None and previous[2] == point[2]:
            total += haversine_distance(previous[0], previous[1], point[0], point[1])
        previous = point
    return total


def track_distance_m(track: Sequence[dict[str, Any]]) -> float:
    """Return the length in metres of a stored track (the dicts of ``read_track``)."""
    return distance_m(
        (p["lat"], p["lon"], int(p.get("seg") or 0))
        for p in track
        if p.get("lat") is not None and p.get("lon") is not None
    )


def summarize(points: Sequence[Point]) -> FlightLog:
    """Return the flight's times, duration, length and highest altitude from its points."""
    times = [p.at for p in points if p.at is not None]
    offsets = [p.offset for p in points if p.offset is not None]
    started = ended = None
    duration = None
    if len(times) >= 2 and max(times) > min(times):
        started, ended = min(times), max(times)
        duration = ended - started
    elif len(offsets) >= 2 and max(offsets) > min(offsets):
        duration = datetime.timedelta(seconds=max(offsets) - min(offsets))
    altitudes = [p.alt for p in points if p.alt is not None]
    segments = len({p.segment for p in points}) > 1
    return FlightLog(
        points=[p.as_dict(segments=segments) for p in points],
        started_at=started,
        ended_at=ended,
        duration=duration,
        distance_m=distance_m((p.lat, p.lon, p.segment) for p in points),
        max_altitude_m=max(altitudes) if altitudes else None,
    )
