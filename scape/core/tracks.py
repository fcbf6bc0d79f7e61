"""Read GPS tracks from GPX files, DJI .SRT telemetry and CSV flight logs.

Each reader returns a list of points {"t": ISO time or seconds, "lat", "lon",
"alt"} and raises TrackError with a clear reason for a malformed file.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.utils.translation import gettext as _

MAX_BYTES = 50 * 1024 * 1024


class TrackError(ValueError):
    """The file is not a track this reader understands."""


def _point(lat: float, lon: float, alt: float | None, t: Any) -> dict[str, Any]:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise TrackError(
            _("A coordinate is out of range: %(lat)s, %(lon)s") % {"lat": lat, "lon": lon}
        )
    return {"t": t, "lat": lat, "lon": lon, "alt": alt}


def read_gpx(data: bytes) -> list[dict[str, Any]]:
    """Return the track points of a GPX file (tracks, routes or waypoints)."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise TrackError(_("Not a valid GPX file: %(error)s") % {"error": exc}) from exc
    if not root.tag.endswith("gpx"):
        raise TrackError(_("Not a valid GPX file: %(error)s") % {"error": root.tag})
    points = []
    for node in root.iter():
        if node.tag.rsplit("}", 1)[-1] not in ("trkpt", "rtept", "wpt"):
            continue
        try:
            lat, lon = float(node.attrib["lat"]), float(node.attrib["lon"])
        except (KeyError, ValueError) as exc:
            raise TrackError(_("A GPX point has no valid lat/lon.")) from exc
        alt = time = None
        for child in node:
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "ele" and child.text:
                alt = float(child.text)
            elif tag == "time":
                time = child.text
        points.append(_point(lat, lon, alt, time))
    if not points:
        raise TrackError(_("The file holds no track points."))
    return points


_SRT_NEW = re.compile(
    r"\[latitude\s*:\s*([-\d.]+)\]\s*\[longitude\s*:\s*([-\d.]+)\](?:.*?abs_alt\s*:\s*([-\d.]+))?",
    re.S,
)
_SRT_OLD = re.compile(r"GPS\s*\(\s*([-\d.]+)\s*,\s*([-\d.]+)\s*,\s*([-\d.]+)")
_SRT_TIME = re.compile(r"(\d\d):(\d\d):(\d\d),(\d{3})\s*-->")


def read_dji_srt(data: bytes) -> list[dict[str, Any]]:
    """Return the points of a DJI .SRT telemetry subtitle file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TrackError(_("Not a DJI telemetry file: it is not text.")) from exc
    points = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        stamp = _SRT_TIME.search(block)
        seconds = None
        if stamp:
            h, m, s, ms = (int(g) for g in stamp.groups())
            seconds = h * 3600 + m * 60 + s + ms / 1000
        new = _SRT_NEW.search(block)
        if new:
            lat, lon = float(new.group(1)), float(new.group(2))
            alt = float(new.group(3)) if new.group(3) else None
            points.append(_point(lat, lon, alt, seconds))
            continue
        old = _SRT_OLD.search(block)
        if old:  # older firmware writes GPS(longitude, latitude, altitude)
            points.append(
                _point(float(old.group(2)), float(old.group(1)), float(old.group(3)), seconds)
            )
    if not points:
        raise TrackError(_("The file holds no track points."))
    return points


def read_csv_log(data: bytes) -> list[dict[str, Any]]:
    """Return the points of a CSV flight log with latitude/longitude columns."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TrackError(_("Not a CSV flight log: it is not text.")) from exc
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip().lower(): f for f in (reader.fieldnames or [])}
    lat_key = next((fields[k] for k in ("latitude", "lat") if k in fields), None)
    lon_key = next((fields[k] for k in ("longitude", "lon", "lng") if k in fields), None)
    alt_key = next((fields[k] for k in ("altitude", "alt", "height") if k in fields), None)
    time_key = next((fields[k] for k in ("time", "timestamp", "datetime") if k in fields), None)
    if not lat_key or not lon_key:
        raise TrackError(_("The CSV file needs latitude and longitude columns."))
    points = []
    for number, row in enumerate(reader, start=2):
        try:
            lat, lon = float(row[lat_key]), float(row[lon_key])
            alt = float(row[alt_key]) if alt_key and row.get(alt_key) else None
        except (TypeError, ValueError) as exc:
            raise TrackError(
                _("Line %(line)s has no valid coordinates.") % {"line": number}
            ) from exc
        points.append(_point(lat, lon, alt, row.get(time_key) if time_key else None))
    if not points:
        raise TrackError(_("The file holds no track points."))
    return points


def read_track(name: str, data: bytes) -> list[dict[str, Any]]:
    """Read a track by its file name's extension (.gpx, .srt, .csv)."""
    if len(data) > MAX_BYTES:
        raise TrackError(_("The track file is too large."))
    suffix = name.lower().rsplit(".", 1)[-1]
    readers = {"gpx": read_gpx, "srt": read_dji_srt, "csv": read_csv_log}
    if suffix not in readers:
        raise TrackError(_("Tracks are read from .gpx, .srt or .csv files."))
    return readers[suffix](data)
