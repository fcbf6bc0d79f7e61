"""Drone flight logs as the field writes them: every DJI .SRT layout, GPX, KML and CSV exports.

The fixtures in fixtures/flightlogs/ reproduce the layout of each variant
(README.md there says where each layout comes from); positions are moved to
the Palanga coast, except the Matrice 300's, which stays in Cádiz.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from scape.core import tracks
from scape.core.tracks import TrackError, read_flight_log, read_track, track_distance_m

FIXTURES = Path(__file__).parent / "fixtures" / "flightlogs"
UTC = datetime.UTC


def _log(name: str) -> tracks.FlightLog:
    return read_flight_log(name, (FIXTURES / name).read_bytes())


@pytest.mark.parametrize(
    ("name", "first", "max_altitude"),
    [
        # GPS(lon, lat, satellites) BAROMETER: the 16 satellites are no altitude.
        ("mavic_pro.SRT", (55.918, 21.068), 118.7),
        # [latitude : …] [longtitude : …] (sic) [altitude: …]
        ("mavic_air.SRT", (55.918, 21.068), 32.0),
        ("mavic_2_pro.SRT", (55.918, 21.068), 45.3),
        ("mavic_2_zoom.SRT", (55.918, 21.068), 45.3),
        # [latitude: …] [longitude: …] [altitude: …]
        ("air_2.SRT", (55.918, 21.068), 117.1),
        ("air_2s.SRT", (55.918, 21.068), 117.1),
        # [rel_alt: … abs_alt: …]: the height above take-off, not the sea
        ("mini.SRT", (55.918, 21.068), 42.3),
        ("mavic_3.SRT", (55.918, 21.068), 61.0),
        # GPS (lon, lat, satellites), D …m, H …m
        ("phantom_4_pro.SRT", (55.918, 21.068), 97.4),
        ("p4_rtk.SRT", (55.918, 21.068), 85.83),
        # GPS(lat, lon, altitude M) BAROMETER: …M, in Cádiz and not in Tanzania
        ("matrice_300.SRT", (36.5325, -6.2991), 118.7),
    ],
)
def test_it_reads_every_dji_srt_layout(name, first, max_altitude):
    log = _log(name)
    assert (log.points[0]["lat"], log.points[0]["lon"]) == first
    assert log.max_altitude_m == pytest.approx(max_altitude)
    assert log.distance_m > 0 and log.duration and log.duration.total_seconds() > 0


def test_it_takes_the_matrice_300_clock_times_in_the_users_zone():
    log = _log("matrice_300.SRT")
    # 2022.06.21 16:06:17 on the drone's clock, which writes no zone: Vilnius summer time.
    assert log.started_at == datetime.datetime(2022, 6, 21, 13, 6, 17, tzinfo=UTC)
    assert log.duration == datetime.timedelta(seconds=59)
    assert log.distance_m == pytest.approx(111.3, abs=0.5)


def test_it_keeps_the_video_cue_time_without_a_clock():
    log = _log("phantom_4_pro.SRT")
    assert [p["t"] for p in log.points] == [0.0, 1.0]
    assert log.started_at is None and log.duration == datetime.timedelta(seconds=1)


def test_it_refuses_telemetry_without_a_satellite_fix():
    with pytest.raises(TrackError, match="no satellite fix"):
        _log("no_fix.SRT")


def test_it_names_the_frame_it_did_not_understand():
    data = b"1\n00:00:00,000 --> 00:00:01,000\nISO:100 Shutter:60 EV:0\n"
    with pytest.raises(TrackError, match=r"line 1\) reads: ISO:100 Shutter:60 EV:0"):
        read_track("DJI_0001.SRT", data)


def test_it_reads_only_the_track_of_a_gpx_file():
    log = _log("track_route_waypoints.gpx")
    assert len(log.points) == 4
    # Two segments of 500 m; the 835 m break between them, the planned route and
    # the far waypoints are no part of the flight.
    assert log.distance_m == pytest.approx(1001.9, abs=1)
    assert [p["seg"] for p in log.points] == [0, 0, 1, 1]
    assert track_distance_m(log.points) == pytest.approx(log.distance_m)
    assert (log.started_at, log.ended_at) == (
        datetime.datetime(2026, 5, 2, 10, 0, tzinfo=UTC),
        datetime.datetime(2026, 5, 2, 10, 9, 30, tzinfo=UTC),
    )
    assert log.max_altitude_m == 80.5


def test_it_refuses_a_gpx_file_of_waypoints_only():
    with pytest.raises(TrackError, match=r"routes or waypoints but no track \(trk\)"):
        _log("waypoints_only.gpx")


def test_it_refuses_xml_entities():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;">]><gpx><trk><trkseg>'
        b'<trkpt lat="55.9" lon="21.0"><name>&b;</name></trkpt></trkseg></trk></gpx>'
    )
    with pytest.raises(TrackError, match="XML entities"):
        read_track("flight.gpx", bomb)
    with pytest.raises(TrackError, match="XML entities"):
        read_track("flight.kml", bomb.replace(b"gpx", b"kml"))


def test_it_reads_a_kml_line_string_and_a_gx_track():
    line = _log("dji_flight.kml")
    assert [p["alt"] for p in line.points] == [0.0, 60.2, 95.4]  # not the home point
    assert line.distance_m == pytest.approx(500.9, abs=1) and line.duration is None
    timed = _log("gx_track.kml")
    assert timed.ended_at == datetime.datetime(2026, 5, 2, 10, 1, 20, tzinfo=UTC)
    assert timed.max_altitude_m == 107.4


def test_it_refuses_a_kml_file_without_a_path():
    with pytest.raises(TrackError, match="no LineString or gx:Track"):
        _log("places_only.kml")


def test_it_reads_an_airdata_export_in_metres():
    log = _log("airdata.csv")
    assert len(log.points) == 3  # the row logged before the satellite fix (0, 0) is left out
    assert log.max_altitude_m == pytest.approx(118.69)  # 389.4 feet above take-off
    assert log.started_at == datetime.datetime(2026, 5, 2, 10, 0, 1, tzinfo=UTC)
    assert log.duration == datetime.timedelta(minutes=2)
    assert log.distance_m == pytest.approx(1000.8, abs=1)


def test_it_reads_a_litchi_export():
    log = _log("litchi.csv")
    assert log.max_altitude_m == 95.4
    assert (log.started_at, log.duration) == (
        datetime.datetime(2026, 5, 2, 10, 0, tzinfo=UTC),
        datetime.timedelta(seconds=80),
    )


def test_it_reads_a_phantomhelp_export_with_its_local_times():
    log = _log("phantomhelp.csv")
    assert (log.points[0]["lat"], log.points[0]["lon"]) == (55.918, 21.068)
    assert log.max_altitude_m == pytest.approx(100.0, abs=0.01)  # 328.1 feet
    # 1:00:00 PM on 5/2/2026 in Vilnius is 10:00 UTC.
    assert log.started_at == datetime.datetime(2026, 5, 2, 10, 0, tzinfo=UTC)
    assert log.duration == datetime.timedelta(seconds=150.5)


def test_it_reads_a_semicolon_csv_with_decimal_commas():
    log = _log("airdata_spreadsheet_lt.csv")
    assert (log.points[1]["lat"], log.points[1]["lon"]) == (55.9225, 21.068)
    assert log.max_altitude_m == pytest.approx(118.69)


def test_it_names_the_columns_it_expected_and_found():
    with pytest.raises(TrackError) as caught:
        read_track("log.csv", b"Laikas;Aukstis\n1;2\n")
    message = str(caught.value)
    assert "OSD.latitude" in message and "its columns are: Laikas, Aukstis" in message


def test_it_names_the_line_and_column_of_a_bad_value():
    data = b"latitude,longitude,altitude(m)\n55.9,21.0,10\n55.9,21.0,ten\n"
    with pytest.raises(TrackError, match=r"Line 3, column altitude\(m\): ten is not a number"):
        read_track("log.csv", data)
    with pytest.raises(TrackError, match=r"Line 2: the coordinate 155.9, 21.0 is out of range"):
        read_track("log.csv", b"lat,lon\n155.9,21.0\n")


def test_it_tells_how_to_read_a_dji_flight_record():
    with pytest.raises(TrackError, match="export the flight as CSV"):
        _log("DJIFlightRecord_2026-05-02_13-00-00.txt")


def test_it_reads_a_txt_that_is_a_csv_export():
    data = (FIXTURES / "litchi.csv").read_bytes()
    assert len(read_track("flight.txt", data)) == 3


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("log.csv", b"\x00\x01\x02latitude", "not text"),
        ("DJI_0001.SRT", b"\xff\xfe\x00\x00", "not text"),
        ("flight.gpx", b"<gpx><trkpt", "Not a valid GPX file"),
        ("flight.kml", b"<kml><Placemark>", "Not a valid KML file"),
        ("flight.kmz", b"PK", ".gpx, .kml, .srt"),
        ("flight", b"", ".gpx, .kml, .srt"),
    ],
)
def test_it_refuses_what_is_no_flight_log(name, data, message):
    with pytest.raises(TrackError, match=message):
        read_track(name, data)


def test_it_refuses_a_file_too_large(monkeypatch):
    monkeypatch.setattr(tracks, "MAX_BYTES", 10)
    with pytest.raises(TrackError, match="too large"):
        read_track("log.csv", b"lat,lon\n55.9,21.0\n")


def test_it_names_the_kml_coordinate_it_did_not_understand():
    data = b'<kml xmlns="http://www.opengis.net/kml/2.2"><LineString><coordinates>21.0,55.9 east,north</coordinates></LineString></kml>'
    with pytest.raises(
        TrackError, match="LineString 1: the coordinate east,north is not understood"
    ):
        read_track("flight.kml", data)
