"""Drone flights: a competent pilot, and a track read from GPX, KML, DJI .SRT or CSV."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from scape.core.models import AuditEvent
from scape.core.tracks import TrackError
from scape.equipment.actions import do_record_flight
from scape.equipment.models import DroneFlight

pytestmark = pytest.mark.django_db

GPX = b"""<?xml version="1.0"?>
<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="55.9180" lon="21.0680"><ele>40</ele><time>2026-05-02T10:00:00Z</time></trkpt>
<trkpt lat="55.9185" lon="21.0690"><ele>55</ele><time>2026-05-02T10:00:05Z</time></trkpt>
</trkseg></trk></gpx>"""

SRT = b"""1
00:00:00,000 --> 00:00:00,033
<font size="28">FrameCnt: 1, DiffTime: 33ms
[iso: 100] [latitude: 56.5090] [longitude: 21.0110] [rel_alt: 30.000 abs_alt: 42.500]</font>

2
00:00:01,000 --> 00:00:01,033
<font size="28">FrameCnt: 31, DiffTime: 33ms
[iso: 100] [latitude: 56.5092] [longitude: 21.0115] [rel_alt: 31.000 abs_alt: 43.500]</font>
"""

CSV = b"time,latitude,longitude,altitude\n10:00:00,55.90,21.06,20\n10:00:01,55.91,21.07,25\n"


def _fly(drone, pilot, desk, name="", data=None):
    start = timezone.now() - datetime.timedelta(hours=1)
    return do_record_flight(
        drone,
        pilot,
        started_at=start,
        ended_at=start + datetime.timedelta(minutes=20),
        purpose="Search for a missing swimmer",
        track_file_name=name,
        track_bytes=data,
        actor=desk.user,
    )


@pytest.mark.parametrize(
    ("name", "data", "first"),
    [
        ("flight.gpx", GPX, (55.918, 21.068, 40.0)),
        ("DJI_0001.SRT", SRT, (56.509, 21.011, 30.0)),  # rel_alt, above the take-off
        ("log.csv", CSV, (55.90, 21.06, 20.0)),
    ],
)
def test_it_imports_a_flight_track(drone, pilot, desk, name, data, first):
    flight = _fly(drone, pilot, desk, name, data)
    flight.refresh_from_db()
    assert len(flight.track) == 2 and flight.track_file == name
    point = flight.track[0]
    assert (point["lat"], point["lon"], point["alt"]) == first


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("flight.gpx", b"<gpx><trkpt lat='x'", "Not a valid GPX file"),
        ("DJI_0001.SRT", b"1\n00:00:00,000 --> 00:00:01,000\nno telemetry\n", "reads: no"),
        ("log.csv", b"time,alt\n1,2\n", "latitude and longitude"),
        ("flight.kml", b"<kml/>", "no LineString or gx:Track"),
        ("flight.gpx", GPX.replace(b"trk>", b"rte>").replace(b"trkpt", b"rtept"), "no track"),
    ],
)
def test_it_stores_nothing_for_a_malformed_track(drone, pilot, desk, name, data, message):
    with pytest.raises(TrackError, match=message):
        _fly(drone, pilot, desk, name, data)
    assert not DroneFlight.objects.exists()


def test_it_refuses_a_pilot_without_the_drone_competency(drone, officer, desk):
    with pytest.raises(ValidationError, match="Drone pilot"):
        _fly(drone, officer, desk, "flight.gpx", GPX)
    assert not DroneFlight.objects.exists()


def test_it_records_a_flight_without_a_track(drone, pilot, desk):
    flight = _fly(drone, pilot, desk)
    assert flight.track == [] and flight.hours == pytest.approx(1 / 3)


def _record(drone, pilot, desk, name, data, **given):
    return do_record_flight(
        drone,
        pilot,
        purpose="Search for a missing swimmer",
        track_file_name=name,
        track_bytes=data,
        actor=desk.user,
        **given,
    )


def test_it_takes_the_times_and_the_altitude_from_the_log(drone, pilot, desk):
    flight = _record(drone, pilot, desk, "flight.gpx", GPX)
    assert (flight.started_at, flight.ended_at) == (
        datetime.datetime(2026, 5, 2, 10, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 5, 2, 10, 0, 5, tzinfo=datetime.UTC),
    )
    assert flight.max_altitude_m == 55
    event = AuditEvent.objects.filter(action="equipment.flight_recorded").get()
    assert event.details["from_log"] == ["started_at", "ended_at", "max_altitude_m"]
    assert event.details["distance_m"] == 84


def test_it_keeps_what_was_given_by_hand(drone, pilot, desk):
    start = timezone.now() - datetime.timedelta(hours=1)
    flight = _record(
        drone, pilot, desk, "flight.gpx", GPX,
        started_at=start, ended_at=start + datetime.timedelta(minutes=30), max_altitude_m=60,
    )  # fmt: skip
    assert (flight.started_at, flight.max_altitude_m) == (start, 60)


def test_it_adds_the_logs_duration_to_a_take_off_given_by_hand(drone, pilot, desk):
    start = timezone.now() - datetime.timedelta(hours=1)
    flight = _record(drone, pilot, desk, "DJI_0001.SRT", SRT, started_at=start)
    assert flight.ended_at == start + datetime.timedelta(seconds=1)
    assert flight.max_altitude_m == 31


def test_it_asks_for_the_times_a_log_does_not_record(drone, pilot, desk):
    with pytest.raises(ValidationError, match="records no clock time"):
        _record(drone, pilot, desk, "DJI_0001.SRT", SRT)
    with pytest.raises(ValidationError, match="Give the take-off and landing times"):
        _record(drone, pilot, desk, "", None)
    assert not DroneFlight.objects.exists()
