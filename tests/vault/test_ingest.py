"""Ingest: one pass, content-addressed, duplicates recognised, bad input refused."""

from __future__ import annotations

import hashlib
import io
import threading
from pathlib import Path

import pytest
from django.db import connection

from scape.core.models import AuditEvent
from scape.vault import storage
from scape.vault.actions.ingest import do_ingest
from scape.vault.models import Blob, EvidenceItem

pytestmark = pytest.mark.django_db


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_it_stores_a_video_under_its_sha256_with_metadata(clip, lt_org, custodian, _media):
    with clip.open("rb") as source:
        result = do_ingest(source, name=clip.name, organization=lt_org, actor=custodian.user)
    assert result.status == "new"
    item = result.item
    digest = hashlib.sha256(clip.read_bytes()).hexdigest()
    assert item.sha256 == digest and item.size == clip.stat().st_size
    stored = _media / "evidence" / storage.original_key(digest)
    assert stored.read_bytes() == clip.read_bytes()
    assert item.metadata["codec"] == "h264"
    assert (item.metadata["width"], item.metadata["height"]) == (160, 120)
    assert item.metadata["audio_codec"] == "aac"
    assert item.status == "available"
    event = AuditEvent.objects.get(action="vault.ingested")
    assert event.object_id == str(item.pk) and event.details["sha256"] == digest


def test_the_same_content_again_is_a_duplicate_with_a_custody_event(
    clip, lt_org, custodian, _media
):
    first = do_ingest(clip.open("rb"), name=clip.name, organization=lt_org, actor=custodian.user)
    again = do_ingest(clip.open("rb"), name="copy.mp4", organization=lt_org, actor=custodian.user)
    assert again.status == "duplicate" and again.item.pk == first.item.pk
    assert EvidenceItem.objects.count() == 1 and Blob.objects.count() == 1
    assert len([p for p in _files(_media / "evidence") if ".staging" not in p.parts]) == 1
    assert AuditEvent.objects.filter(
        action="vault.duplicate_ingest", object_id=str(first.item.pk)
    ).exists()


def test_another_organization_gets_its_own_item_but_no_second_copy(
    clip, lt_org, lv_org, custodian, _media
):
    do_ingest(clip.open("rb"), name=clip.name, organization=lt_org, actor=custodian.user)
    other = do_ingest(clip.open("rb"), name=clip.name, organization=lv_org)
    assert other.status == "new"
    assert EvidenceItem.objects.count() == 2 and Blob.objects.count() == 1


def test_a_file_that_claims_to_be_video_but_is_not_is_stored_as_unreadable(lt_org, custodian):
    garbage = io.BytesIO(b"MZ" + b"\x00" * 5000)
    result = do_ingest(garbage, name="clip.mp4", organization=lt_org, actor=custodian.user)
    assert result.status == "new"
    assert result.item.status == "unreadable"
    assert result.item.unreadable_reason


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("report.pdf", b"%PDF-1.7", "not an accepted evidence file type"),
        ("../../etc/passwd.mp4", b"x", "path separators"),
        ("evil\x07.mp4", b"x", "control characters"),
        ("empty.mp4", b"", "empty"),
        ("track.gpx", b"<gpx/>", "telemetry"),
    ],
)
def test_bad_files_are_rejected_with_a_reason_and_leave_nothing(
    lt_org, custodian, _media, name, content, reason
):
    result = do_ingest(io.BytesIO(content), name=name, organization=lt_org, actor=custodian.user)
    assert result.status == "rejected"
    assert reason in result.reason
    assert not EvidenceItem.objects.exists()
    assert [p for p in _files(_media) if ".staging" not in p.parts] == []
    assert (
        not list((_media / "evidence" / ".staging").glob("*"))
        if (_media / "evidence" / ".staging").exists()
        else True
    )


def test_a_file_over_the_size_limit_is_rejected(lt_org, custodian, settings, _media):
    settings.SCAPE_MAX_EVIDENCE_BYTES = 1000
    result = do_ingest(
        io.BytesIO(b"\x00" * 5000), name="big.mp4", organization=lt_org, actor=custodian.user
    )
    assert result.status == "rejected" and "larger than the limit" in result.reason
    assert _files(_media) == []


def test_rejection_reasons_are_in_the_users_language(lt_org, custodian):
    from django.utils import translation

    with translation.override("lv"):
        result = do_ingest(io.BytesIO(b"x"), name="notes.txt", organization=lt_org)
    assert result.status == "rejected"
    assert "not an accepted" not in result.reason


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_two_ingests_of_the_same_file_at_once_yield_one_original(clip, lt_org, _media):
    results = []

    def run() -> None:
        try:
            results.append(do_ingest(clip.open("rb"), name=clip.name, organization=lt_org).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["duplicate", "duplicate", "new"]
    assert EvidenceItem.objects.count() == 1 and Blob.objects.count() == 1


def test_footage_is_attributed_to_the_officer_who_held_the_camera(clip, lt_org, officer, custodian):
    from scape.equipment.actions import do_check_out, do_create_asset

    camera = do_create_asset(
        lt_org, kind="body_camera", tag="BC-17", serial="CAM-17", actor=custodian.user
    )
    do_check_out(camera, officer, None, actor=custodian.user)
    result = do_ingest(clip.open("rb"), name=clip.name, organization=lt_org, device_serial="CAM-17")
    assert result.item.officer == officer
    other = do_ingest(
        io.BytesIO(b"\x00" * 2048), name="other.mp4", organization=lt_org, device_serial="CAM-99"
    )
    assert other.item.officer is None
