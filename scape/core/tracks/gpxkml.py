"""GPX (its recorded tracks only) and KML (LineString, gx:Track) flight paths.

Every file is parsed by defusedxml first, so an entity bomb or an external
entity is refused before gpxpy, which uses the plain parser, sees the text.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils.translation import gettext as _

from scape.core.tracks.points import Point, TrackError, aware, number, position


def _tree(data: bytes, kind: str) -> Any:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        return ElementTree.fromstring(data)
    except DefusedXmlException as exc:
        raise TrackError(
            _("The %(kind)s file declares XML entities or a DTD, which are refused.")
            % {"kind": kind}
        ) from exc
    except ElementTree.ParseError as exc:
        raise TrackError(
            _("Not a valid %(kind)s file: %(error)s") % {"kind": kind, "error": exc}
        ) from exc


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = re.search(rb"""encoding=["']([A-Za-z0-9._-]+)["']""", data[:200])
    try:
        return data.decode(declared.group(1).decode("ascii") if declared else "utf-8")
    except (LookupError, UnicodeDecodeError) as exc:
        raise TrackError(
            _("Not a valid GPX file: it is not text in its declared encoding.")
        ) from exc


def read_gpx(data: bytes) -> list[Point]:
    """Return the points of a GPX file's tracks, one segment per ``trkseg``.

    Routes (planned) and waypoints (marked places) are not where the aircraft
    flew: a file that holds only those is refused with that reason.
    """
    import gpxpy
    import gpxpy.gpx

    root = _tree(data, "GPX")
    if _local(root.tag) != "gpx":
        raise TrackError(
            _("Not a valid %(kind)s file: %(error)s") % {"kind": "GPX", "error": _local(root.tag)}
        )
    try:
        gpx = gpxpy.parse(_text(data))
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        raise TrackError(
            _("Not a valid %(kind)s file: %(error)s") % {"kind": "GPX", "error": exc}
        ) from exc
    points: list[Point] = []
    segment = 0
    for t, track in enumerate(gpx.tracks, start=1):
        for s, seg in enumerate(track.segments, start=1):
            for n, p in enumerate(seg.points, start=1):
                where = _("Track %(track)s, segment %(segment)s, point %(point)s") % {
                    "track": t,
                    "segment": s,
                    "point": n,
                }
                lat, lon = position(p.latitude, p.longitude, where)
                at = aware(p.time, naive_zone=datetime.UTC) if p.time else None
                points.append(Point(lat, lon, p.elevation, at=at, segment=segment))
            if seg.points:
                segment += 1
    if not points:
        if gpx.routes or gpx.waypoints:
            raise TrackError(
                _(
                    "The GPX file has routes or waypoints but no track (trk): a flight is "
                    "read from the track the aircraft recorded, not from planned routes "
                    "or marked places."
                )
            )
        raise TrackError(_("The GPX file holds no track points."))
    return points


def _kml_when(text: str | None, where: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat((text or "").strip())
    except ValueError as exc:
        raise TrackError(
            _("%(where)s: %(value)s is not a date and time.") % {"where": where, "value": text}
        ) from exc
    return aware(moment, naive_zone=datetime.UTC)


def _kml_point(parts: list[str], raw: str, where: str) -> Point:
    """Return the point of a KML coordinate: longitude, latitude and an optional altitude."""
    try:
        lon, lat = number(parts[0]), number(parts[1])
        alt = number(parts[2]) if len(parts) > 2 else None
    except (IndexError, ValueError) as exc:
        raise TrackError(
            _("%(where)s: the coordinate %(value)s is not understood.")
            % {"where": where, "value": raw}
        ) from exc
    lat, lon = position(lat, lon, where)
    return Point(lat, lon, alt)


def _kml_tracks(root: Any) -> list[list[Point]]:
    lines = []
    for n, track in enumerate((e for e in root.iter() if _local(e.tag) == "Track"), start=1):
        where = _("gx:Track %(number)s") % {"number": n}
        whens = [c.text for c in track if _local(c.tag) == "when"]
        coords = [c.text or "" for c in track if _local(c.tag) == "coord"]
        times = len(whens) == len(coords)
        line = []
        for i, coord in enumerate(coords):
            point = _kml_point(coord.split(), coord.strip(), where)
            point.at = _kml_when(whens[i], where) if times else None
            line.append(point)
        if line:
            lines.append(line)
    return lines


def _kml_lines(root: Any) -> list[list[Point]]:
    lines = []
    for n, node in enumerate((e for e in root.iter() if _local(e.tag) == "LineString"), start=1):
        where = _("LineString %(number)s") % {"number": n}
        text = " ".join(c.text or "" for c in node if _local(c.tag) == "coordinates")
        line = []
        for coord in text.split():
            line.append(_kml_point(coord.split(","), coord, where))
        if line:
            lines.append(line)
    return lines


def read_kml(data: bytes) -> list[Point]:
    """Return the flight path of a KML file, one segment per line.

    Timed ``gx:Track`` elements are read when there are any (PhantomHelp,
    Google Earth); otherwise every ``LineString`` (DJI, AirData, Litchi).
    Placemark points (home point, photos) are not part of the path.
    """
    root = _tree(data, "KML")
    if _local(root.tag) != "kml":
        raise TrackError(
            _("Not a valid %(kind)s file: %(error)s") % {"kind": "KML", "error": _local(root.tag)}
        )
    lines = _kml_tracks(root) or _kml_lines(root)
    if not lines:
        raise TrackError(
            _("The KML file has no flight path: no LineString or gx:Track, only places or nothing.")
        )
    points = []
    for segment, line in enumerate(lines):
        for point in line:
            point.segment = segment
            points.append(point)
    return points
