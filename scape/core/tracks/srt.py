"""DJI .SRT telemetry: the subtitle file a DJI drone writes beside each video.

One subtitle frame per video frame (or per second), in one of these layouts:

keyed (Mavic 2 Pro/Zoom, Mavic Air 2, Air 2S, Mini, Mavic 3, P4 RTK new firmware)::

    2019-04-07 14:34:57,386,102
    [iso : 100] … [latitude : 47.2577] [longtitude : 11.3977] [altitude: 621.44]
    [latitude: 36.53256] [longitude: -6.29912] [rel_alt: 41.200 abs_alt: 63.520]

legacy (Mavic Pro, Mavic Air, Phantom 4): ``GPS(lon, lat, satellites)``::

    HOME(21.0680,55.9180) 2017.08.05 14:11:51
    GPS(21.0681,55.9181,16) BAROMETER:118.7

compact (Phantom 4 Pro, P4 RTK, Inspire 2): ``GPS (lon, lat, satellites)``::

    F/2.8, SS 320, ISO 100, EV 0, GPS (21.0681, 55.9181, 17), D 24.01m, H 7.60m, …

Matrice 300: ``GPS(lat, lon, altitude M)``::

    2022.06.21 16:06:17
    GPS(36.6146,-6.1120,0.0M) BAROMETER:0.3M

DJI spells longitude "longtitude" in Mavic 2 firmware. The positional
``GPS(a, b, c)`` has no single axis order: a value beyond ±90° can only be a
longitude, and otherwise the third value tells the layout apart (a bare count
of satellites in the Mavic Pro/Phantom layouts, metres with an ``M`` in the
Matrice 300's). The satellite count is never an altitude: the height comes
from ``rel_alt``, ``BAROMETER``, ``H`` or ``[altitude: …]``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from scape.core.tracks.points import Point, TrackError, aware, local_zone, position

_NUM = r"[-+]?\d+(?:\.\d+)?"
_CUE = re.compile(r"(\d+):(\d{1,2}):(\d{1,2})[,.](\d{1,3})\s*-->")
_TAG = re.compile(r"<[^>]*>")
_DATE = re.compile(
    r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})[ T]+(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?"
)
_KEYED = re.compile(
    rf"\b(latitude|longitude|longtitude|rel_alt|abs_alt|altitude)\s*:\s*({_NUM})", re.I
)
_GPS = re.compile(
    rf"\bGPS\s*\(\s*({_NUM})\s*,\s*({_NUM})\s*(?:,\s*({_NUM})\s*([A-Za-z]*)\s*)?\)", re.I
)
_HOME = re.compile(rf"\bHOME\s*\(\s*({_NUM})\s*,\s*({_NUM})", re.I)
_BARO = re.compile(rf"\bBAROMETER\s*:\s*({_NUM})", re.I)
_HEIGHT = re.compile(rf"(?:^|[\s,])H\s+({_NUM})\s*m\b")


@dataclass
class _Frame:
    line: int
    text: str
    offset: float | None = None
    at: datetime.datetime | None = None
    lat: float | None = None
    lon: float | None = None
    pair: tuple[float, float] | None = None
    third_in_metres: float | None = None
    third_has_unit: bool = False
    home: tuple[float, float] | None = None
    alt: float | None = None


def _frames(text: str) -> list[_Frame]:
    frames = []
    line = 1
    for block in re.split(r"\n[ \t]*\n", text):
        start = line + len(block) - len(block.lstrip("\n"))
        line += block.count("\n") + 2
        cue = _CUE.search(block)
        if cue is None:
            continue
        body = _TAG.sub(" ", block[cue.end() :]).split("\n", 1)[-1]
        frame = _Frame(line=start, text=" ".join(body.split())[:120])
        h, m, s, ms = cue.groups()
        frame.offset = int(h) * 3600 + int(m) * 60 + int(s) + int(ms.ljust(3, "0")) / 1000
        date = _DATE.search(body)
        if date:
            y, mo, d, hh, mi, ss, frac = date.groups()
            try:
                moment = datetime.datetime(
                    int(y), int(mo), int(d), int(hh), int(mi), int(ss),
                    int((frac or "0").ljust(6, "0")[:6]),
                )  # fmt: skip
            except ValueError:
                moment = None
            if moment is not None:
                frame.at = aware(moment, naive_zone=local_zone())
        keyed = {k.lower(): float(v) for k, v in _KEYED.findall(body)}
        frame.lat = keyed.get("latitude")
        frame.lon = keyed.get("longitude", keyed.get("longtitude"))
        gps = _GPS.search(body)
        if gps:
            frame.pair = (float(gps.group(1)), float(gps.group(2)))
            if gps.group(3) is not None and gps.group(4):
                frame.third_has_unit = True
                frame.third_in_metres = float(gps.group(3))
        home = _HOME.search(body)
        if home:
            frame.home = (float(home.group(1)), float(home.group(2)))
        baro = _BARO.search(body)
        height = _HEIGHT.search(body)
        for value in (
            keyed.get("rel_alt"),
            float(baro.group(1)) if baro else None,
            float(height.group(1)) if height else None,
            keyed.get("altitude"),
            keyed.get("abs_alt"),
            frame.third_in_metres,
        ):
            if value is not None:
                frame.alt = value
                break
        frames.append(frame)
    return frames


def _longitude_first(frames: list[_Frame]) -> bool:
    pairs = [f.pair for f in frames if f.pair] + [f.home for f in frames if f.home]
    first_beyond = any(abs(a) > 90 for a, _b in pairs)
    second_beyond = any(abs(b) > 90 for _a, b in pairs)
    if first_beyond and second_beyond:
        raise TrackError(
            _("The GPS(…) values of the telemetry file mix their order: both exceed 90°.")
        )
    if first_beyond or second_beyond:
        return first_beyond
    # Within ±90° both ways: the Matrice 300 writes its third value in metres
    # (0.0M), the Mavic Pro and Phantom layouts a bare satellite count.
    return not any(f.third_has_unit for f in frames if f.pair)


def read_dji_srt(data: bytes) -> list[Point]:
    """Return the points of a DJI .SRT telemetry file, in every layout DJI writes."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TrackError(_("Not a DJI telemetry file: it is not text.")) from exc
    frames = _frames(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not frames:
        raise TrackError(
            _("Not a DJI telemetry file: no subtitle frame (00:00:00,000 --> …) was found.")
        )
    lon_first = _longitude_first(frames)
    points = []
    no_fix = 0
    for n, frame in enumerate(frames, start=1):
        lat, lon = frame.lat, frame.lon
        if (lat is None or lon is None) and frame.pair:
            lon, lat = frame.pair if lon_first else frame.pair[::-1]
        if lat is None or lon is None:
            continue
        if lat == 0 and lon == 0:
            no_fix += 1
            continue
        where = _("Frame %(frame)s (line %(line)s)") % {"frame": n, "line": frame.line}
        lat, lon = position(lat, lon, where)
        points.append(Point(lat, lon, frame.alt, at=frame.at, offset=frame.offset))
    if not points:
        if no_fix:
            raise TrackError(
                _(
                    "No frame of the telemetry file has a GPS position: every position "
                    "reads 0, 0 (the drone had no satellite fix)."
                )
            )
        raise TrackError(
            _(
                "No frame of the telemetry file has a position this reader understands "
                "([latitude: …] [longitude: …] or GPS(…)); frame 1 (line %(line)s) "
                "reads: %(text)s"
            )
            % {"line": frames[0].line, "text": frames[0].text}
        )
    return points
