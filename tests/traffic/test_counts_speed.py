"""Counts per hour and day, and section speed, checked against numbers worked out by hand."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from scape.traffic.actions import do_create_camera, do_create_section, do_record_read
from scape.traffic.charts import bar_chart
from scape.traffic.queries import daily_counts, hourly_counts, section_passages, speeding

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")


def at(day, hour, minute=0, second=0):
    return datetime.datetime(2026, 5, day, hour, minute, second, tzinfo=VILNIUS)


def read(camera, plate, when):
    return do_record_read(
        organization=camera.organization, camera=camera, plate=plate, confidence=0.9, time=when,
        source="camera",
    )  # fmt: skip


def test_it_counts_reads_per_local_hour_and_day(camera):
    # 4 May: two at 07:xx, one at 23:59 local (20:59 UTC); 5 May 00:00 local belongs to the 5th.
    for when in (at(4, 7, 1), at(4, 7, 59), at(4, 23, 59), at(5, 0, 0), at(5, 12), at(3, 10)):
        read(camera, "ABC123", when)
    hours = hourly_counts(camera, datetime.date(2026, 5, 4))
    assert len(hours) == 24
    assert [(b.start.hour, b.count) for b in hours if b.count] == [(7, 2), (23, 1)]
    days = daily_counts(camera, datetime.date(2026, 5, 2), datetime.date(2026, 5, 5))
    assert [(b.start.day, b.count) for b in days] == [(2, 0), (3, 1), (4, 3), (5, 2)]


def test_the_chart_scales_bars_to_the_largest_count():
    chart = bar_chart([("07", 2), ("08", 0), ("09", 4)])
    heights = [b.height for b in chart.bars]
    assert heights[1] == 0 and heights[2] == pytest.approx(2 * heights[0])
    assert chart.maximum == 4 and all(
        b.y + b.height == pytest.approx(chart.baseline) for b in chart.bars
    )


@pytest.fixture
def section(camera, palanga, pal_coord):
    exit_camera, _ = do_create_camera(
        palanga,
        name="A13 Šventoji",
        road="A13",
        latitude=56.03,
        longitude=21.08,
        actor=pal_coord.user,
    )
    return do_create_section(
        palanga, name="Palanga - Šventoji", camera_a=camera, camera_b=exit_camera,
        distance_m=10_000, limit_kmh=90, max_minutes=30, actor=pal_coord.user,
    )  # fmt: skip


def test_it_computes_the_average_speed_of_each_vehicle(section, pal_officer):
    a, b = section.camera_a, section.camera_b
    read(a, "FAST01", at(4, 10, 0))
    read(b, "FAST01", at(4, 10, 5))  # 10 km in 300 s = 120 km/h
    read(a, "SLOW01", at(4, 10, 0))
    read(b, "SLOW01", at(4, 10, 10))  # 10 km in 600 s = 60 km/h
    read(a, "EDGE01", at(4, 11, 0))
    read(b, "EDGE01", at(4, 11, 6, 40))  # 10 km in 400 s = 90 km/h: at the limit, not over
    read(b, "BONLY1", at(4, 10, 5))  # seen only at the exit: no passage
    read(a, "LATE01", at(4, 10, 0))
    read(b, "LATE01", at(4, 10, 45))  # 45 min: outside the 30 min window
    read(a, "TWICE1", at(4, 12, 0))
    read(a, "TWICE1", at(4, 12, 20))  # the later entry read counts
    read(b, "TWICE1", at(4, 12, 25))  # 10 km in 300 s = 120 km/h
    passages = section_passages(pal_officer.user, section, at(4, 0), at(5, 0))
    speeds = {p.plate: p.speed_kmh for p in passages}
    assert speeds == {"FAST01": 120.0, "SLOW01": 60.0, "EDGE01": 90.0, "TWICE1": 120.0}
    assert [p.plate for p in speeding(passages)] == ["FAST01", "TWICE1"]
    fast = next(p for p in passages if p.plate == "FAST01")
    assert fast.seconds == 300 and fast.entered == at(4, 10, 0) and fast.left == at(4, 10, 5)


def test_it_shows_section_speed_only_from_reads_the_user_may_see(section, lie_officer):
    read(section.camera_a, "FAST01", at(4, 10, 0))
    read(section.camera_b, "FAST01", at(4, 10, 5))
    assert section_passages(lie_officer.user, section, at(4, 0), at(5, 0)) == []
