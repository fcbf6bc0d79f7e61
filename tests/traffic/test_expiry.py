"""Reads that hit nothing are deleted after SCAPE_TRAFFIC_READ_DAYS; hits are kept."""

from __future__ import annotations

import datetime

from django.core.files.storage import default_storage
from django.utils import timezone

from scape.core import schedule
from scape.core.models import AuditEvent
from scape.traffic.actions import do_record_read, expire_reads
from scape.traffic.models import Hit, PlateRead
from tests.traffic.conftest import jpeg_bytes


def record(camera, plate, days_ago, **extra):
    return do_record_read(
        organization=camera.organization, camera=camera, plate=plate, confidence=0.9,
        time=timezone.now() - datetime.timedelta(days=days_ago), source="camera",
        image=jpeg_bytes(), **extra,
    )  # fmt: skip


def test_it_deletes_old_reads_without_hits_and_their_images(camera, make_entry, palanga):
    make_entry("KR1234", share_with=(palanga,))
    old = record(camera, "GUF465", 31)
    hit = record(camera, "KR1234", 40)
    recent = record(camera, "ABC123", 29)
    assert hit.hit and default_storage.exists(old.crop.name)
    assert expire_reads() == 1
    assert set(PlateRead.objects.values_list("pk", flat=True)) == {hit.pk, recent.pk}
    assert not default_storage.exists(old.crop.name)
    assert default_storage.exists(hit.crop.name) and default_storage.exists(recent.crop.name)
    assert Hit.objects.filter(read=hit).exists()
    event = AuditEvent.objects.get(action="traffic.reads_expired")
    assert event.details["count"] == 1


def test_it_reads_the_period_from_settings_when_run(camera, settings):
    record(camera, "GUF465", 8)
    record(camera, "ABC123", 6)
    settings.SCAPE_TRAFFIC_READ_DAYS = 7
    assert expire_reads() == 1
    assert list(PlateRead.objects.values_list("plate", flat=True)) == ["ABC123"]


def test_it_is_a_scheduled_job():
    job = schedule.REGISTRY["traffic.expire_reads"]
    assert job.run is expire_reads and job.every <= datetime.timedelta(days=1)
