"""Pictures that declare more pixels than can be decoded are refused before decoding."""

from __future__ import annotations

import io
import resource

import pytest
from django.core.management import call_command

from scape.core.testing import IMMEDIATE_TASKS, bomb_png
from scape.vault.choices import ItemStatus
from scape.vault.models import EvidenceItem
from tests.vault.conftest import make_clip

pytestmark = pytest.mark.django_db


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_folder_with_a_decompression_bomb_is_ingested_whole(tmp_path, lt_org, settings):
    settings.TASKS = IMMEDIATE_TASKS
    dock = tmp_path / "dock"
    dock.mkdir()
    make_clip(dock / "0001.mp4")
    (dock / "0002.png").write_bytes(bomb_png(30000, 30000))
    before = _peak_mib()
    out = io.StringIO()
    call_command("ingest", str(dock), "--org", lt_org.code, "--no-progress", stdout=out)
    assert _peak_mib() - before < 200  # decoding it would take 2.5 GiB
    assert EvidenceItem.objects.count() == 2
    bomb = EvidenceItem.objects.get(original_name="0002.png")
    assert bomb.status == ItemStatus.UNREADABLE
    assert "megapixels" in bomb.unreadable_reason
    assert not list(tmp_path.rglob("*.part*"))


def test_a_file_name_that_reverses_its_reading_direction_is_refused(lt_org):
    from scape.vault.actions.ingest import do_ingest

    spoofed = "bodycam-\u202e4pm.exe"  # displays as "bodycam-exe.mp4"
    result = do_ingest(io.BytesIO(b"\x00" * 64), name=spoofed, organization=lt_org)
    assert result.status == "rejected" and "reading direction" in result.reason
    assert not EvidenceItem.objects.exists()


def test_a_video_renamed_wav_is_stored_as_a_video_and_a_broken_file_says_so_plainly(
    tmp_path, lt_org
):
    from scape.vault.actions.ingest import do_ingest
    from scape.vault.choices import MediaKind

    clip = make_clip(tmp_path / "clip.mp4")
    renamed = do_ingest(clip.open("rb"), name="interview.wav", organization=lt_org).item
    assert renamed.media_kind == MediaKind.VIDEO and renamed.content_type == "video/mp4"
    broken = do_ingest(io.BytesIO(b"RIFF" + b"\x07" * 4000), name="call.wav", organization=lt_org)
    assert broken.item.status == ItemStatus.UNREADABLE
    assert "damaged or of another type" in broken.item.unreadable_reason
    assert (
        str(tmp_path) not in broken.item.unreadable_reason
        and "/" not in broken.item.unreadable_reason
    )
