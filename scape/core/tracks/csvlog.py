"""CSV flight logs: AirData, Litchi, PhantomHelp/CsvView exports and spreadsheets.

Columns are found by name, case and spaces aside; feet are turned into metres.
A file may start with Excel's ``sep=,`` line and may be ``;``-separated with
decimal commas, as a Lithuanian or Latvian spreadsheet saves it.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _

from scape.core.tracks.points import FEET, Point, TrackError, aware, local_zone, number, position

LATITUDE = ("latitude", "lat", "osd.latitude", "gps.latitude", "gps:lat")
LONGITUDE = ("longitude", "lon", "lng", "long", "osd.longitude", "gps.longitude", "gps:long")
# Height above the take-off point first, then altitudes of another reference.
ALTITUDE = (
    "height_above_takeoff(feet)", "height_above_takeoff(meters)", "height_above_takeoff(m)",
    "osd.height[ft]", "osd.height[m]", "osd.height", "rel_alt", "height(m)", "height(feet)",
    "height", "altitude(m)", "altitude(meters)", "altitude(feet)", "osd.altitude[m]",
    "osd.altitude[ft]", "altitude", "alt", "altitude_above_sealevel(meters)",
    "altitude_above_sealevel(feet)", "ele", "elevation",
)  # fmt: skip
UTC_TIME = ("datetime(utc)", "time(utc)", "gps.datetime(utc)")
LOCAL_TIME = ("datetime(local)",)
LOCAL_DATE_AND_TIME = ("custom.date[local]", "custom.updatetime[local]")
ANY_TIME = ("datetime", "date_time", "timestamp", "time", "gps_time")
ELAPSED = {"time(millisecond)": 0.001, "osd.flytime[s]": 1.0, "offsettime": 1.0, "time(s)": 1.0}

_FORMATS = (
    "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S.%f", "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %I:%M:%S.%f %p", "%m/%d/%Y %I:%M:%S %p", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M",
    "%Y.%m.%d %H:%M:%S",
)  # fmt: skip


def _key(name: str) -> str:
    return "".join(name.split()).lower()


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise TrackError(_("Not a CSV flight log: it is not text."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # A Baltic Windows spreadsheet saves its CSV in this code page.
        try:
            return data.decode("cp1257")
        except UnicodeDecodeError as exc:
            raise TrackError(_("Not a CSV flight log: it is not text.")) from exc


def _moment(text: str, where: str, *, naive_zone: datetime.tzinfo) -> datetime.datetime:
    cleaned = text.strip()
    try:
        moment = datetime.datetime.fromisoformat(cleaned)
    except ValueError:
        for pattern in _FORMATS:
            try:
                moment = datetime.datetime.strptime(cleaned, pattern)
                break
            except ValueError:
                continue
        else:
            raise TrackError(
                _("%(where)s: %(value)s is not a date and time.")
                % {"where": where, "value": cleaned}
            ) from None
    return aware(moment, naive_zone=naive_zone)


def _time_of(
    text: str, where: str, *, naive_zone: datetime.tzinfo
) -> tuple[datetime.datetime | None, float | None]:
    """Read a generic time column: a date and time, epoch seconds or ms, or a time of day."""
    try:
        value = number(text)
    except ValueError:
        pass
    else:
        if value > 1e11:
            return datetime.datetime.fromtimestamp(value / 1000, datetime.UTC), None
        if value > 1e9:
            return datetime.datetime.fromtimestamp(value, datetime.UTC), None
        return None, value
    parts = text.strip().split(":")
    if len(parts) == 3 and all(p.replace(".", "", 1).isdigit() for p in parts):
        return None, int(parts[0]) * 3600 + int(parts[1]) * 60 + float(parts[2])
    return _moment(text, where, naive_zone=naive_zone), None


def _find(columns: dict[str, int], names: Sequence[str]) -> str | None:
    return next((name for name in names if name in columns), None)


def read_csv_log(data: bytes) -> list[Point]:
    """Return the points of a CSV flight log with latitude and longitude columns."""
    text = _decode(data)
    lines = text.splitlines()
    skipped = 0
    delimiter = ""
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter = lines[0].strip()[4]
        skipped = 1
    while skipped < len(lines) and not lines[skipped].strip():
        skipped += 1
    if skipped >= len(lines):
        raise TrackError(_("The CSV file is empty."))
    header = lines[skipped]
    if not delimiter:
        delimiter = max((";", ",", "\t"), key=header.count)
    rows = csv.reader(io.StringIO("\n".join(lines[skipped:])), delimiter=delimiter)
    names = next(rows)
    columns = {_key(name): i for i, name in enumerate(names)}
    lat_key, lon_key = _find(columns, LATITUDE), _find(columns, LONGITUDE)
    if not lat_key or not lon_key:
        raise TrackError(
            _(
                "The CSV file has no latitude and longitude columns: expected latitude and "
                "longitude (AirData, Litchi), OSD.latitude and OSD.longitude (PhantomHelp, "
                "CsvView) or lat and lon; its columns are: %(columns)s."
            )
            % {"columns": ", ".join(n.strip() for n in names[:30]) or "—"}
        )
    alt_key = _find(columns, ALTITUDE)
    feet = alt_key is not None and ("feet" in alt_key or "[ft]" in alt_key)
    elapsed_key = next((k for k in ELAPSED if k in columns), None)
    zone = local_zone()
    time_key = _find(columns, UTC_TIME)
    time_zone: datetime.tzinfo = datetime.UTC
    if not time_key:
        time_key, time_zone = _find(columns, LOCAL_TIME), zone
    both = all(k in columns for k in LOCAL_DATE_AND_TIME)
    any_key = None if time_key or both else _find(columns, ANY_TIME)
    if any_key == elapsed_key:
        any_key = None

    def cell(row: list[str], key: str | None) -> str:
        if key is None or columns[key] >= len(row):
            return ""
        return row[columns[key]].strip()

    points = []
    for line, row in enumerate(rows, start=skipped + 2):
        lat_text, lon_text = cell(row, lat_key), cell(row, lon_key)
        if not lat_text and not lon_text:
            continue  # a blank or a note row
        values: list[float | None] = []
        for key, value in ((lat_key, lat_text), (lon_key, lon_text), (alt_key, cell(row, alt_key))):
            if key is None or (key == alt_key and not value):
                values.append(None)
                continue
            try:
                values.append(number(value))
            except ValueError:
                raise TrackError(
                    _("Line %(line)s, column %(column)s: %(value)s is not a number.")
                    % {"line": line, "column": names[columns[key]].strip(), "value": value}
                ) from None
        if values[0] == 0 and values[1] == 0:
            continue  # logged before the aircraft had a satellite fix
        where = _("Line %(line)s") % {"line": line}
        lat, lon = position(values[0] or 0.0, values[1] or 0.0, where)
        alt = values[2]
        if alt is not None and feet:
            alt = round(alt * FEET, 2)
        at = offset = None
        if time_key and cell(row, time_key):
            at = _moment(cell(row, time_key), where, naive_zone=time_zone)
        elif both and cell(row, LOCAL_DATE_AND_TIME[0]):
            stamp = f"{cell(row, LOCAL_DATE_AND_TIME[0])} {cell(row, LOCAL_DATE_AND_TIME[1])}"
            at = _moment(stamp, where, naive_zone=zone)
        elif any_key and cell(row, any_key):
            at, offset = _time_of(cell(row, any_key), where, naive_zone=zone)
        if elapsed_key and cell(row, elapsed_key):
            try:
                offset = number(cell(row, elapsed_key)) * ELAPSED[elapsed_key]
            except ValueError:
                column = names[columns[elapsed_key]].strip()
                raise TrackError(
                    _("Line %(line)s, column %(column)s: %(value)s is not a number.")
                    % {"line": line, "column": column, "value": cell(row, elapsed_key)}
                ) from None
        points.append(Point(lat, lon, alt, at=at, offset=offset))
    if not points:
        raise TrackError(_("The CSV file has latitude and longitude columns but no positions."))
    if points[0].offset is not None and not elapsed_key:
        start = points[0].offset
        for point in points:
            if point.offset is not None:
                point.offset = round(point.offset - start, 3)
    return points
