"""Thumbnails and playable copies: own hashes, at most 720p, idempotent, original untouched."""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path
from typing import Any

import av
import pytest
from PIL import Image

import scape.vault.tasks  # noqa: F401 - connects the item_ingested receiver
from scape.core.choices import JobStatus
from scape.core.models import AuditEvent, Job
from scape.core.testing import IMMEDIATE_TASKS
from scape.vault import media, storage
from scape.vault.actions.ingest import do_ingest
from scape.vault.choices import DerivativeKind, ItemStatus
from scape.vault.models import Derivative
from scape.vault.tasks import item_jobs, produce_media, schedule_media
from tests.vault.conftest import make_clip

pytestmark = pytest.mark.django_db

IMMEDIATE = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def _tasks_inline(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


@pytest.fixture
def ingest(django_capture_on_commit_callbacks: Any) -> Any:
    """Return ingest(path_or_bytes, org, actor, name=) that also runs what ingest schedules."""

    def run(source: Path | bytes, org: Any, actor: Any, name: str = "") -> Any:
        stream = io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
        name = name or (source.name if isinstance(source, Path) else "evidence.bin")
        with stream, django_capture_on_commit_callbacks(execute=True):
            result = do_ingest(stream, name=name, organization=org, actor=actor)
        return result.item

    return run


def _stored(media_root: Path, key: str) -> Path:
    return media_root / "evidence" / key


def _parts(media_root: Path) -> list[Path]:
    return list(storage.staging_dir().glob(".part-*"))


def test_it_makes_a_thumbnail_and_a_720p_proxy_with_their_own_hashes(
    tmp_path, lt_org, custodian, ingest, _media
):
    clip = make_clip(tmp_path / "dashcam-0042.mp4", seconds=1.5, size=(1280, 960), fps=10)
    original_bytes = clip.read_bytes()
    item = ingest(clip, lt_org, custodian.user)

    job = item_jobs(item).get()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 1.0
    assert job.organization == lt_org and job.task_result_id
    proxy = item.derivatives.get(kind=DerivativeKind.PROXY)
    thumb = item.derivatives.get(kind=DerivativeKind.THUMBNAIL)

    for derivative in (proxy, thumb):
        data = _stored(_media, derivative.storage_key).read_bytes()
        assert hashlib.sha256(data).hexdigest() == derivative.sha256 != item.sha256
        assert len(data) == derivative.size
        assert derivative.storage_key == storage.derived_key(
            derivative.sha256, Path(derivative.name).suffix
        )
        assert derivative.details["source_sha256"] == item.sha256

    with av.open(str(_stored(_media, proxy.storage_key))) as container:
        video = container.streams.video[0]
        assert (video.codec_context.width, video.codec_context.height) == (960, 720)
        assert video.codec_context.name == "h264" and video.codec_context.pix_fmt == "yuv420p"
        assert [a.codec_context.name for a in container.streams.audio] == ["aac"]
        assert container.duration / 1_000_000 == pytest.approx(1.5, abs=0.2)
    head = _stored(_media, proxy.storage_key).read_bytes()[:4096]
    assert head.find(b"moov") != -1 and (
        head.find(b"mdat") == -1 or head.find(b"moov") < head.find(b"mdat")
    )
    assert proxy.content_type == "video/mp4" and proxy.name == "dashcam-0042-proxy.mp4"

    with Image.open(_stored(_media, thumb.storage_key)) as image:
        assert image.format == "JPEG" and image.size == (320, 240)

    # The original: same bytes, same hash, same place.
    original = _stored(_media, storage.original_key(item.sha256))
    assert original.read_bytes() == original_bytes
    assert storage.hash_stored(item.blob.storage_key) == (item.sha256, item.size)
    events = AuditEvent.objects.filter(action="vault.derivative_created", object_id=str(item.pk))
    assert sorted(e.details["kind"] for e in events) == ["proxy", "thumbnail"]
    assert not _parts(_media)


def test_a_small_clip_keeps_its_size(clip, lt_org, custodian, ingest, _media):
    item = ingest(clip, lt_org, custodian.user)
    proxy = item.derivatives.get(kind=DerivativeKind.PROXY)
    assert (proxy.details["width"], proxy.details["height"]) == (160, 120)
    assert proxy.details["audio_codec"] == "aac"


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1280, 960), (960, 720)),
        ((1920, 1080), (1280, 720)),
        ((1080, 1920), (720, 1280)),
        ((3840, 2160), (1280, 720)),
        ((641, 481), (640, 480)),
    ],
)
def test_it_fits_the_proxy_within_720p_keeping_the_aspect(size, expected):
    assert media.proxy_size(*size) == expected


def test_it_leaves_exactly_one_proxy_when_retried_after_a_kill(clip, lt_org, custodian, _media):
    with clip.open("rb") as source:
        item = do_ingest(source, name=clip.name, organization=lt_org, actor=custodian.user).item
    # What a worker killed mid-encode leaves: a half-written part file of a dead process.
    dead = subprocess.Popen(["true"])
    dead.wait()
    leftover = storage.staging_dir() / f".part-{dead.pid}-abc123.mp4"
    leftover.write_bytes(b"\x00\x00\x00\x18ftypisom half a file")

    job = schedule_media(item)
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED  # queued on commit only
    produce_media.call(job.pk, item.pk)
    first = {d.kind: d.sha256 for d in item.derivatives.all()}
    # The retry the queue makes after the kill finds the work done and changes nothing.
    produce_media.call(job.pk, item.pk)

    assert item.derivatives.filter(kind=DerivativeKind.PROXY).count() == 1
    assert item.derivatives.filter(kind=DerivativeKind.THUMBNAIL).count() == 1
    assert {d.kind: d.sha256 for d in item.derivatives.all()} == first
    assert not leftover.exists() and not _parts(_media)
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED
    stored = [p for p in (_media / "evidence" / "derived").rglob("*") if p.is_file()]
    assert len(stored) == 2


def test_a_retry_after_a_kill_between_the_thumbnail_and_the_proxy_makes_only_the_proxy(
    clip, lt_org, custodian, _media
):
    with clip.open("rb") as source:
        item = do_ingest(source, name=clip.name, organization=lt_org, actor=custodian.user).item
    produce_media.call(schedule_media(item).pk, item.pk)
    thumb = item.derivatives.get(kind=DerivativeKind.THUMBNAIL)
    item.derivatives.filter(kind=DerivativeKind.PROXY).delete()  # as if killed before it

    made = media.produce(item)

    assert [d.kind for d in made] == [DerivativeKind.PROXY]
    assert list(item.derivatives.filter(kind=DerivativeKind.THUMBNAIL)) == [thumb]
    assert item.derivatives.count() == 2


def test_an_unreadable_item_gets_no_proxy_and_a_job_that_says_why(lt_org, custodian, ingest):
    item = ingest(b"MZ" + b"\x00" * 5000, lt_org, custodian.user, name="clip.mp4")
    assert item.status == ItemStatus.UNREADABLE

    job = item_jobs(item).get()
    assert job.status == JobStatus.FAILED
    assert "could not be read" in job.message and item.unreadable_reason in job.message
    assert not Derivative.objects.filter(item=item).exists()


def test_a_file_that_breaks_while_encoding_fails_the_job_and_leaves_no_part(
    tmp_path, lt_org, custodian, _media
):
    clip = make_clip(tmp_path / "cut.mp4", seconds=1.0)
    with clip.open("rb") as source:
        item = do_ingest(source, name=clip.name, organization=lt_org, actor=custodian.user).item
    # Storage lost the bytes after ingest (a failing disk): the job says so.
    original = _stored(_media, item.blob.storage_key)
    original.unlink()

    job = schedule_media(item)
    result = produce_media.call(job.pk, item.pk)

    job.refresh_from_db()
    assert result["status"] == job.status == JobStatus.FAILED
    assert "missing" in job.message
    assert not item.derivatives.exists() and not _parts(_media)


def test_it_makes_a_scaled_thumbnail_of_an_image_and_no_proxy(
    tmp_path, lt_org, custodian, ingest, _media
):
    photo = tmp_path / "scene.png"
    Image.new("RGB", (800, 600), (10, 120, 200)).save(photo)
    item = ingest(photo, lt_org, custodian.user)

    thumb = item.derivatives.get()
    assert thumb.kind == DerivativeKind.THUMBNAIL
    with Image.open(_stored(_media, thumb.storage_key)) as image:
        assert image.format == "JPEG" and image.size == (320, 240)
    assert item_jobs(item).get().status == JobStatus.SUCCEEDED
