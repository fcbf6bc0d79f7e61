"""Redacted copies: detection, review edits, render, audit and the access door."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np
import pytest
from django.test import Client
from django.urls import reverse as django_reverse
from skimage import data

from scape.core.choices import Role
from scape.core.models import AuditEvent, Job
from scape.core.testing import IMMEDIATE_TASKS, login
from scape.vault import storage
from scape.vault.actions import redaction
from scape.vault.actions.ingest import do_ingest
from scape.vault.choices import DerivativeKind
from scape.vault.models import RedactionSession
from tests.vault.conftest import make_clip

pytestmark = pytest.mark.django_db

# The astronaut's head in skimage's image and where the face lies in that crop.
HEAD_CROP = (130, 10, 330, 250)
FACE_IN_IMAGE = (181.5, 58.2, 269.9, 177.8)


def reverse(name: str, *args: Any) -> str:
    return django_reverse(name, args=args)


def make_face_clip(dst: Path, *, frames: int = 12, fps: int = 10) -> tuple[Path, list[tuple]]:
    """Write a 320x240 clip with the astronaut's face moving right; return the face boxes."""
    width, height = 320, 240
    image = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    cx1, cy1, cx2, cy2 = HEAD_CROP
    k = 70 / (FACE_IN_IMAGE[2] - FACE_IN_IMAGE[0])
    sprite = cv2.resize(image[cy1:cy2, cx1:cx2], (round((cx2 - cx1) * k), round((cy2 - cy1) * k)))
    fx1, fy1, fx2, fy2 = (
        (v - o) * k for v, o in zip(FACE_IN_IMAGE, (cx1, cy1, cx1, cy1), strict=True)
    )
    yy, xx = np.mgrid[0:height, 0:width]
    background = np.dstack([xx * 255 // width, yy * 255 // height, 90 + 0 * xx]).astype(np.uint8)
    boxes = []
    with av.open(str(dst), "w") as out:
        video = out.add_stream("libx264", rate=fps, options={"preset": "ultrafast", "crf": "18"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        for n in range(frames):
            frame = background.copy()
            x, y = 20 + 3 * n, (height - sprite.shape[0]) // 2
            frame[y : y + sprite.shape[0], x : x + sprite.shape[1]] = sprite
            boxes.append((x + fx1, y + fy1, x + fx2, y + fy2))
            out.mux(video.encode(av.VideoFrame.from_ndarray(frame, format="bgr24")))
        out.mux(video.encode(None))
    return dst, boxes


def covers(box: Any, face: tuple) -> bool:
    """Whether a detected box lies over the true face (more than half of the smaller one)."""
    x1, y1 = max(box[0], face[0]), max(box[1], face[1])
    x2, y2 = min(box[2], face[2]), min(box[3], face[3])
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)
    smaller = min((box[2] - box[0]) * (box[3] - box[1]), (face[2] - face[0]) * (face[3] - face[1]))
    return smaller > 0 and inter / smaller > 0.5


def read_frames(key: str) -> list[np.ndarray]:
    with storage.open_stored(key) as fh, av.open(fh) as container:
        return [f.to_ndarray(format="bgr24") for f in container.decode(video=0)]


def dark_share(frame: np.ndarray, box: tuple) -> float:
    x1, y1, x2, y2 = (round(v) for v in box)
    return float((frame[y1:y2, x1:x2].max(axis=2) <= 40).mean())


@pytest.fixture(autouse=True)
def _tasks_inline(settings: Any) -> None:
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def face_item(tmp_path, lt_org, custodian):
    clip, boxes = make_face_clip(tmp_path / "street-0042.mp4")
    with clip.open("rb") as source:
        item = do_ingest(source, name=clip.name, organization=lt_org, actor=custodian.user).item
    item.face_boxes = boxes
    return item


@pytest.fixture
def square_item(tmp_path, lt_org, custodian):
    clip = make_clip(tmp_path / "bodycam-0003.mp4", seconds=1.2, fps=10, audio=False)
    with clip.open("rb") as source:
        return do_ingest(source, name=clip.name, organization=lt_org, actor=custodian.user).item


@pytest.fixture
def start(logged_in, custodian, django_capture_on_commit_callbacks):
    """Return a function that creates a redacted copy through the view, detection run inline."""

    def run(item: Any) -> RedactionSession:
        client = logged_in(custodian)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("vault:redaction_start", item.pk), {"faces": "on"})
        session = RedactionSession.objects.get(item=item)
        assert response.status_code == 302 and response.url == session.get_absolute_url()
        return session

    return run


def _render(client: Any, session: RedactionSession, capture: Any, mode: str = "solid") -> Any:
    with capture(execute=True):
        response = client.post(reverse("vault:redaction_render", session.pk), {"mode": mode})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == RedactionSession.Status.DONE, session.message
    return session.result


def test_it_detects_faces_into_a_stored_box_list_for_review(face_item, start):
    session = start(face_item)

    assert session.status == RedactionSession.Status.REVIEW
    assert storage.hash_stored(session.boxes_key)[0] == session.boxes_sha256
    frames = redaction.load_boxes(session)
    assert len(frames) == 12
    faces = [b for f in frames for b in f["boxes"] if b["kind"] == "face"]
    assert len(faces) >= 10
    # The face is one object to review: every box over it is of one track. (Faint
    # boxes elsewhere, which the squashed pass may add, are the reviewer's to remove.)
    tracks = redaction.link_tracks(frames)
    over_face = {
        tracks[(f["frame"], i)]
        for f in frames
        for i, b in enumerate(f["boxes"])
        if covers(b["box"], face_item.face_boxes[f["frame"]])
    }
    assert len(over_face) == 1
    assert Job.objects.get(pk=session.job_id).status == "succeeded"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"vault.redaction_started", "vault.redaction_detected"} <= actions


def test_it_shows_frames_with_boxes_on_the_review_page(face_item, start, logged_in, custodian):
    session = start(face_item)
    client = logged_in(custodian)

    asked = client.get(session.get_absolute_url())
    unexplained = client.get(reverse("vault:redaction_frame", session.pk, 0))
    client.post(session.get_absolute_url(), {"reason": "check before the court copy"})
    page = client.get(session.get_absolute_url())
    client.get(session.get_absolute_url())
    frame = client.get(reverse("vault:redaction_frame", session.pk, 0))

    assert b"redaction-box" not in asked.content and b'name="reason"' in asked.content
    assert unexplained.status_code == 403
    reviewed = AuditEvent.objects.filter(action="vault.redaction_reviewed")
    assert reviewed.count() == 1  # once per reason given, not per reload
    assert reviewed.get().reason == "check before the court copy"
    assert frame["Cache-Control"] == "private, no-store"
    assert page.status_code == 200
    assert page.content.count(b'class="redaction-box redaction-box-face"') >= 5
    assert b"vault/redaction.js" in page.content
    assert frame.status_code == 200 and frame["Content-Type"] == "image/jpeg"
    assert frame.content[:2] == b"\xff\xd8"
    assert client.get(reverse("vault:redaction_frame", session.pk, 999)).status_code == 404


def test_it_renders_without_a_removed_false_positive(
    face_item, start, logged_in, custodian, django_capture_on_commit_callbacks
):
    session = start(face_item)
    client = logged_in(custodian)
    before = storage.hash_stored(face_item.blob.storage_key)

    on_face = next(
        i
        for i, b in enumerate(redaction.load_boxes(session)[5]["boxes"])
        if covers(b["box"], face_item.face_boxes[5])
    )
    response = client.post(
        reverse("vault:redaction_remove", session.pk), {"frame": 5, "index": on_face}
    )

    assert response.status_code == 302
    session.refresh_from_db()
    # The whole object went, from every frame: nothing is left over the face.
    assert not [
        b
        for f in redaction.load_boxes(session)
        for b in f["boxes"]
        if covers(b["box"], face_item.face_boxes[f["frame"]])
    ]
    edit = AuditEvent.objects.filter(action="vault.redaction_edited").get()
    assert edit.details["change"] == "removed" and edit.details["boxes"] >= 10
    # The reviewer removes the faint boxes elsewhere too, object by object.
    for _round in range(50):  # bounded: a removal that removed nothing must not loop
        left = [f for f in redaction.load_boxes(session) if f["boxes"]]
        if not left:
            break
        client.post(
            reverse("vault:redaction_remove", session.pk), {"frame": left[0]["frame"], "index": 0}
        )
        session.refresh_from_db()
    assert not [b for f in redaction.load_boxes(session) for b in f["boxes"]]
    result = _render(client, session, django_capture_on_commit_callbacks)
    original, redacted = read_frames(face_item.blob.storage_key), read_frames(result.storage_key)
    face = face_item.face_boxes[5]
    assert dark_share(redacted[5], face) < 0.05
    x1, y1, x2, y2 = (round(v) for v in face)
    diff = np.abs(redacted[5][y1:y2, x1:x2].astype(int) - original[5][y1:y2, x1:x2].astype(int))
    assert diff.mean() < 8
    assert storage.hash_stored(face_item.blob.storage_key) == before


def test_it_renders_a_redacted_derivative_with_its_own_hash(
    face_item, start, logged_in, custodian, django_capture_on_commit_callbacks
):
    session = start(face_item)
    client = logged_in(custodian)
    before = storage.hash_stored(face_item.blob.storage_key)

    result = _render(client, session, django_capture_on_commit_callbacks)

    assert result.kind == DerivativeKind.REDACTED and result.item_id == face_item.pk
    assert storage.hash_stored(result.storage_key) == (result.sha256, result.size)
    assert result.sha256 != face_item.sha256
    assert result.details["boxes_sha256"] == session.boxes_sha256
    assert storage.hash_stored(result.details["boxes_key"])[0] == session.boxes_sha256
    assert (
        storage.hash_stored(face_item.blob.storage_key)
        == before
        == (
            face_item.sha256,
            face_item.size,
        )
    )
    frames = read_frames(result.storage_key)
    assert len(frames) == 12
    assert all(dark_share(frames[n], face_item.face_boxes[n]) > 0.9 for n in (0, 5, 11))
    made = AuditEvent.objects.get(action="vault.redacted_copy_made")
    assert made.details["sha256"] == result.sha256
    assert made.details["source_sha256"] == face_item.sha256
    page = client.get(face_item.get_absolute_url())
    assert result.sha256.encode() in page.content and b"Redacted copy" in page.content


def test_it_tracks_a_drawn_box_to_neighbouring_frames_and_covers_it(
    square_item, start, logged_in, custodian, django_capture_on_commit_callbacks
):
    session = start(square_item)
    client = logged_in(custodian)
    assert not [b for f in redaction.load_boxes(session) for b in f["boxes"]]
    # make_clip's square is 20x20 at y 20..40 and x = 7 * frame.
    k = 5

    response = client.post(
        reverse("vault:redaction_add", session.pk),
        {"frame": k, "x1": 7 * k - 4, "y1": 16, "x2": 7 * k + 24, "y2": 44},
    )

    assert response.status_code == 302
    session.refresh_from_db()
    placed = {f["frame"]: f["boxes"] for f in redaction.load_boxes(session) if f["boxes"]}
    assert {k - 2, k - 1, k, k + 1, k + 2} <= set(placed)
    assert placed[k + 2][0]["kind"] == "manual"
    assert abs(placed[k + 2][0]["box"][0] - (7 * (k + 2) - 4)) <= 2
    edit = AuditEvent.objects.get(action="vault.redaction_edited")
    assert edit.details["change"] == "added" and edit.details["frames"] >= 5
    result = _render(client, session, django_capture_on_commit_callbacks)
    frames = read_frames(result.storage_key)
    for n in (k - 2, k, k + 2):
        square = frames[n][22:38, 7 * n + 2 : 7 * n + 18]
        assert square.max() <= 40, n


def test_it_refuses_bad_edits_and_changes_nothing(square_item, start, logged_in, custodian):
    session = start(square_item)
    client = logged_in(custodian)
    sha = session.boxes_sha256

    tiny = client.post(
        reverse("vault:redaction_add", session.pk),
        {"frame": 1, "x1": 10, "y1": 10, "x2": 11, "y2": 11},
        follow=True,
    )
    missing = client.post(
        reverse("vault:redaction_remove", session.pk), {"frame": 1, "index": 3}, follow=True
    )
    junk = client.post(reverse("vault:redaction_add", session.pk), {"frame": "x"}, follow=True)
    mode = client.post(reverse("vault:redaction_render", session.pk), {"mode": "paint"})

    assert b"too small" in tiny.content
    assert b"does not exist" in missing.content
    assert b"Draw a box" in junk.content
    assert mode.status_code == 302
    session.refresh_from_db()
    assert session.boxes_sha256 == sha and session.status == RedactionSession.Status.REVIEW
    assert not AuditEvent.objects.filter(action="vault.redaction_edited").exists()


def test_it_keeps_others_out(square_item, start, persona, lt_org, lv_org):
    session = start(square_item)
    officer = login(Client(), persona(lt_org, Role.OFFICER, username="officer2").user)
    foreign = login(Client(), persona(lv_org, Role.CUSTODIAN, username="janis").user)
    urls = [
        reverse("vault:redaction_remove", session.pk),
        reverse("vault:redaction_add", session.pk),
        reverse("vault:redaction_render", session.pk),
        reverse("vault:redaction_start", square_item.pk),
    ]

    assert officer.get(session.get_absolute_url()).status_code == 200
    officer.post(session.get_absolute_url(), {"reason": "second pair of eyes"})
    review = officer.get(session.get_absolute_url()).content
    assert b"Render the redacted copy" not in review and b'name="reason"' not in review
    assert all(officer.post(url).status_code == 403 for url in urls)
    assert foreign.get(session.get_absolute_url()).status_code == 404
    assert foreign.get(reverse("vault:redaction_frame", session.pk, 0)).status_code == 404
    assert all(foreign.post(url).status_code == 404 for url in urls)
    assert RedactionSession.objects.count() == 1


def test_the_review_shows_the_frames_where_a_face_may_have_slipped_through():
    box = {"kind": "face", "box": [10.0, 10.0, 30.0, 30.0], "score": 0.9}
    frames = [{"frame": n, "time_s": n / 30, "boxes": [box]} for n in range(300)]
    frames[137]["review"] = ["track_end"]
    for n in range(200, 260):  # one long held stretch counts once
        frames[n]["review"] = ["held"]
    samples = redaction.sample_frames(frames)
    by_frame = {s.frame: s for s in samples}
    assert by_frame[137].review == ("track_end",)
    assert by_frame[200].review == ("held",)
    # The start of the held stretch is added; evenly spaced frames inside it show their mark too.
    assert {s.frame for s in samples if s.review} - {137, 200} <= set(range(201, 260))
    assert [s.frame for s in samples] == sorted(s.frame for s in samples)
    assert redaction.flagged_count(frames) == 61
