"""Reads from vault stills and footage (a background task) and from the command line."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import cv2
import numpy as np
import pytest
from django.core.management import CommandError, call_command

from benchmarks import _plates as plates
from scape.core.choices import JobStatus, Role
from scape.core.models import Job
from scape.core.testing import IMMEDIATE_TASKS
from scape.traffic.actions import do_read_evidence
from scape.traffic.models import Hit, PlateRead
from scape.vault.actions.ingest import do_ingest


def still(text: str = "GUF 465", country: str = "LT", height: int = 40) -> bytes:
    rng = np.random.default_rng(1)
    spec = plates.PlateSpec(text.replace(" ", "").replace("-", ""), text, country, "car")
    frame = plates.background(rng, 960, 540)
    plates.paste_plate(frame, plates.render_plate(spec), height, (480, 300), rng)
    ok, data = cv2.imencode(".png", frame)
    assert ok
    return data.tobytes()


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def item(palanga, persona):
    custodian = persona(palanga, Role.CUSTODIAN)
    result = do_ingest(
        io.BytesIO(still()), name="dashcam-0042.png", organization=palanga, actor=custodian.user
    )
    assert result.item is not None, result.reason
    return result.item


def test_a_coordinator_reads_the_plates_in_a_vault_still(
    immediate_tasks, item, camera, pal_coord, make_entry, palanga, lie_officer,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    make_entry("GUF465", share_with=(palanga,))
    with django_capture_on_commit_callbacks(execute=True):
        job = do_read_evidence(pal_coord.user, item.pk, camera)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.progress == 1.0 and job.message == "Plates read: 1; hot-list hits: 1."
    read = PlateRead.objects.get()
    assert (read.plate, read.country, read.source) == ("GUF465", "LT", "vault")
    assert read.vault_item_id == item.pk and read.camera == camera
    assert read.crop.name.startswith("traffic/crops/")
    assert Hit.objects.get().read == read
    # Run again (a retried task): nothing is stored twice.
    with django_capture_on_commit_callbacks(execute=True):
        do_read_evidence(pal_coord.user, item.pk, camera)
    assert PlateRead.objects.count() == 1 and Hit.objects.count() == 1


def clip(
    path: Path,
    text: str = "KM-4711",
    country: str = "LV",
    frames: int = 24,
    creation_time: str = "",
) -> Path:
    """Write a short H.264 clip of a car's plate crossing the frame (recorded at
    ``creation_time``, as a camera writes it into the file, when given)."""
    import av

    spec = plates.PlateSpec(text.replace(" ", "").replace("-", ""), text, country, "car")
    plate = plates.render_plate(spec)
    background = plates.background(np.random.default_rng(3), 640, 360)
    with av.open(str(path), "w") as container:
        if creation_time:
            container.metadata["creation_time"] = creation_time
        stream = container.add_stream("libx264", rate=12)
        stream.width, stream.height, stream.pix_fmt = 640, 360, "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "18"}
        for i in range(frames):
            frame = background.copy()
            plates.paste_plate(frame, plate, 36, (200 + i * 8, 200), np.random.default_rng(4))
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="bgr24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def test_a_vault_video_gives_one_voted_read_per_vehicle(
    immediate_tasks, tmp_path, camera, palanga, pal_coord, persona,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    custodian = persona(palanga, Role.CUSTODIAN)
    video = clip(tmp_path / "dashcam-0043.mp4")
    result = do_ingest(
        io.BytesIO(video.read_bytes()), name=video.name, organization=palanga, actor=custodian.user
    )
    assert result.item is not None, result.reason
    with django_capture_on_commit_callbacks(execute=True):
        job = do_read_evidence(pal_coord.user, result.item.pk, camera)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 1.0, job.message
    read = PlateRead.objects.get()
    assert (read.text, read.country, read.vault_item_id) == ("KM-4711", "LV", result.item.pk)
    start = (result.item.recorded_at or result.item.ingested_at).replace(microsecond=0)
    assert start <= read.time < start + datetime.timedelta(seconds=2)


def test_traffic_camera_footage_is_read_on_arrival_at_its_recording_time(
    immediate_tasks, tmp_path, camera, palanga, pal_coord, persona,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from scape.equipment.actions import do_create_asset
    from scape.traffic.actions import do_update_camera

    asset = do_create_asset(
        palanga, kind="traffic_camera", tag="TC-7", serial="AXN-0042", actor=pal_coord.user
    )
    do_update_camera(
        camera,
        actor=pal_coord.user,
        name=camera.name,
        latitude=camera.latitude,
        longitude=camera.longitude,
        asset=asset,
    )
    custodian = persona(palanga, Role.CUSTODIAN)
    video = clip(tmp_path / "upload.mp4", creation_time="2026-11-30T10:00:00.000000Z")
    with django_capture_on_commit_callbacks(execute=True):
        result = do_ingest(
            io.BytesIO(video.read_bytes()),
            name=video.name,
            organization=palanga,
            actor=custodian.user,
            device_serial="axn-0042",  # by the device: nobody typed an item number
        )
    assert result.item is not None
    job = Job.objects.get(kind=f"traffic.evidence_reads:{result.item.pk}")
    assert job.status == JobStatus.SUCCEEDED, job.message
    read = PlateRead.objects.get()
    assert read.camera == camera and read.vault_item_id == result.item.pk
    recorded = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)
    assert recorded <= read.time < recorded + datetime.timedelta(seconds=3)  # not the upload time
    from scape.core.models import AuditEvent

    event = AuditEvent.objects.get(action="traffic.evidence_read_requested")
    assert event.details["on_arrival"] is True and event.actor_username == ""


def test_footage_by_source_is_read_and_body_camera_footage_is_not(
    immediate_tasks, tmp_path, palanga, persona, settings, django_capture_on_commit_callbacks
):
    custodian = persona(palanga, Role.CUSTODIAN)
    with django_capture_on_commit_callbacks(execute=True):
        body = do_ingest(
            io.BytesIO(still("KM-4711", "LV")),
            name="bodycam.png",
            organization=palanga,
            actor=custodian.user,
            source_type="body_cam",
        )
        dash = do_ingest(
            io.BytesIO(still("GUF 465", "LT")),
            name="dash.png",
            organization=palanga,
            actor=custodian.user,
            source_type="traffic_cam",
        )
    assert not Job.objects.filter(kind=f"traffic.evidence_reads:{body.item.pk}").exists()
    read = PlateRead.objects.get()
    assert (read.plate, read.vault_item_id, read.camera) == ("GUF465", dash.item.pk, None)
    settings.SCAPE_TRAFFIC_READ_ON_ARRIVAL = False
    with django_capture_on_commit_callbacks(execute=True):
        later = do_ingest(
            io.BytesIO(still("KR 1234", "LV")),
            name="dash-2.png",
            organization=palanga,
            actor=custodian.user,
            source_type="traffic_cam",
        )
    assert not Job.objects.filter(kind=f"traffic.evidence_reads:{later.item.pk}").exists()


def test_the_index_page_starts_plate_reading(
    immediate_tasks, item, camera, pal_coord, logged_in, django_capture_on_commit_callbacks
):
    client = logged_in(pal_coord)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/traffic/", {"item": item.pk, "camera": camera.pk})
    assert response.status_code == 302
    assert Job.objects.filter(kind=f"traffic.evidence_reads:{item.pk}").exists()
    page = client.get("/traffic/").content.decode()
    assert "Plate reading in dashcam-0042.png" in page and "Plates read: 1" in page


def test_an_item_the_user_may_not_see_is_refused(
    immediate_tasks, item, lie_officer, persona, liepaja, logged_in
):
    coordinator = persona(liepaja, Role.COORDINATOR)
    response = logged_in(coordinator).post("/traffic/", {"item": item.pk})
    assert response.status_code == 400
    assert "No evidence item with this number is visible to you." in response.content.decode()
    assert not Job.objects.exists()


def test_the_command_reads_a_file_for_a_camera(tmp_path: Path, camera, capsys):
    path = tmp_path / "frame.png"
    path.write_bytes(still("KM-4711", "LV", height=30))
    call_command(
        "traffic_reads",
        str(path),
        "--camera",
        str(camera.pk),
        "--time",
        "2026-05-04T10:00:00+03:00",
    )
    read = PlateRead.objects.get()
    assert (read.plate, read.text, read.country, read.source) == ("KM4711", "KM-4711", "LV", "cli")
    assert read.time.isoformat() == "2026-05-04T07:00:00+00:00"
    assert "KM-4711" in capsys.readouterr().out


def test_the_command_exits_2_on_an_unreadable_file(tmp_path: Path, camera):
    path = tmp_path / "broken.jpg"
    path.write_bytes(b"not an image")
    with pytest.raises(CommandError) as exc:
        call_command("traffic_reads", str(path), "--camera", str(camera.pk))
    assert exc.value.returncode == 2
    assert not PlateRead.objects.exists()


def test_a_job_reads_in_the_language_of_whoever_looks_at_it(
    item, camera, pal_coord, client, logged_in
):
    from django.utils import translation

    with translation.override("lt"):  # started by someone working in Lithuanian
        job = do_read_evidence(pal_coord.user, item.pk, camera)
    job.refresh_from_db()
    assert job.title == "Plate reading in %(name)s"  # stored as written, not as shown
    with translation.override("lv"):
        assert job.shown_title == "Numuru nolasīšana: dashcam-0042.png"
    with translation.override("lt"):
        assert job.shown_title == "Numerių nuskaitymas: dashcam-0042.png"
    pal_coord.ui_language = "lv"
    pal_coord.save(update_fields=["ui_language"])
    logged_in(pal_coord)
    page = client.get("/traffic/").content.decode()
    assert "Numuru nolasīšana: dashcam-0042.png" in page
