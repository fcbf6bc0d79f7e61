"""Read GPS tracks and drone flight logs: GPX, KML, DJI .SRT telemetry and CSV logs.

``read_track(name, data)`` returns the points {"t", "lat", "lon", "alt"} (and
"seg" where the path has breaks); ``read_flight_log`` adds what the log says
about the flight: take-off and landing, duration, length and highest
altitude. A malformed file raises TrackError with a reason a person can act on.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from scape.core.tracks.csvlog import read_csv_log
from scape.core.tracks.gpxkml import read_gpx, read_kml
from scape.core.tracks.points import FlightLog, Point, TrackError, summarize, track_distance_m
from scape.core.tracks.srt import read_dji_srt

MAX_BYTES = 50 * 1024 * 1024

# What a file input may offer; .txt is there to answer a DJI flight record.
ACCEPT = ".gpx,.kml,.srt,.csv,.txt"


def _read_txt(data: bytes) -> list[Point]:
    """Read a .txt that is a CSV export; refuse a DJI flight record with what to do."""
    head = data[:4096]
    if b"\x00" not in head:
        first = head.decode("utf-8-sig", "replace").splitlines()[:2]
        if any("latitude" in line.lower() for line in first):
            return read_csv_log(data)
    raise TrackError(
        _(
            "This is a DJI flight record (.txt), which DJI encrypts: it cannot be read "
            "here. Open it in AirData, PhantomHelp or CsvView, export the flight as CSV "
            "and upload that file."
        )
    )


_READERS = {
    "gpx": read_gpx,
    "kml": read_kml,
    "srt": read_dji_srt,
    "csv": read_csv_log,
    "txt": _read_txt,
}


def _points(name: str, data: bytes) -> list[Point]:
    if len(data) > MAX_BYTES:
        raise TrackError(_("The track file is too large."))
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    reader = _READERS.get(suffix)
    if reader is None:
        raise TrackError(
            _("Tracks are read from .gpx, .kml, .srt (DJI) or .csv (AirData, Litchi, …) files.")
        )
    return reader(data)


def read_flight_log(name: str, data: bytes) -> FlightLog:
    """Return a flight log's points and its times, duration, length and highest altitude."""
    return summarize(_points(name, data))


def read_track(name: str, data: bytes) -> list[dict[str, Any]]:
    """Read a track by its file name's extension (.gpx, .kml, .srt, .csv)."""
    return read_flight_log(name, data).points


__all__ = [
    "ACCEPT",
    "MAX_BYTES",
    "FlightLog",
    "TrackError",
    "read_csv_log",
    "read_dji_srt",
    "read_flight_log",
    "read_gpx",
    "read_kml",
    "read_track",
    "track_distance_m",
]
