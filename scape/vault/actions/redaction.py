"""Redacted copies of evidence: detect, let a person review the boxes, then render.

1. ``do_start_redaction`` records a RedactionSession and queues detection only
   (faces, plates when asked) over the original; the engine's box list is
   stored in evidence storage under its own SHA-256.
2. A person reviews the boxes: ``do_remove_box`` drops a false positive from
   every frame of its track, ``do_add_box`` tracks a hand-drawn box forward
   and backward through the video. Each edit stores a new box list version.
3. ``do_render`` queues the render: the engine hides exactly the reviewed
   boxes (no new detection) and the result becomes a REDACTED Derivative with
   its own hash. The original's bytes are only ever read.

Tracks are not stored in the box file (the engine's format has no place for
them); ``scape.vision.boxes.link_tracks`` rebuilds them the same way from the
boxes every time.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from scape.core import audit
from scape.core.choices import JobStatus
from scape.core.models import Job
from scape.core.progress import VISION_QUEUE, enqueue_on_commit, progress_reporter, update_job
from scape.vault import storage
from scape.vault.choices import DerivativeKind, ItemStatus, MediaKind
from scape.vault.models import Derivative, EvidenceItem, RedactionSession
from scape.vision.boxes import link_tracks

REDACTION_JOB = "vault.redaction"
# A hand-drawn box is followed at most this many frames each way ...
MANUAL_REACH = 150
# ... while the template still matches at least this well.
MANUAL_MIN_SCORE = 0.6
# Frames are matched shrunk to at most this long side (speed and memory).
MANUAL_MATCH_SIDE = 640
MIN_BOX_PX = 4

Frames = list[dict[str, Any]]


class RedactionError(Exception):
    """A redaction step cannot be done; the message says why, for the user."""


# --- Box lists ---------------------------------------------------------------


def load_boxes(session: RedactionSession) -> Frames:
    """Return the session's box list: one dict per frame, in frame order."""
    if not session.boxes_key:
        return []
    with storage.open_stored(session.boxes_key) as fh:
        text = fh.read().decode("utf-8")
    frames = [json.loads(line) for line in text.splitlines() if line.strip()]
    return sorted(frames, key=lambda f: f["frame"])


def _dump(frames: Frames) -> bytes:
    lines = [json.dumps(f, separators=(",", ":")) for f in sorted(frames, key=lambda f: f["frame"])]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _store_bytes(data: bytes, suffix: str) -> tuple[str, str]:
    """Store bytes content-addressed in evidence storage; return (key, sha256)."""
    staged = storage.stage(io.BytesIO(data), max_bytes=len(data) + 1)
    key = storage.derived_key(staged.sha256, suffix)
    storage.commit(staged, key)
    return key, staged.sha256


def _save_boxes(session: RedactionSession, frames: Frames) -> None:
    session.boxes_key, session.boxes_sha256 = _store_bytes(_dump(frames), ".jsonl")
    session.save(update_fields=["boxes_key", "boxes_sha256"])


@dataclass(frozen=True)
class SampledFrame:
    """A frame shown on the review page, with its boxes (index in the frame, track)."""

    frame: int
    time_s: float | None
    boxes: list[dict[str, Any]]
    review: tuple[str, ...] = ()


# Which engine marks send a frame to the reviewer first: where a face may have
# slipped out of its box (a track ends or starts), then the unconfirmed ones.
_REVIEW_ORDER = {"track_end": 0, "track_start": 1, "held": 2, "low_score": 3}


def flagged_count(frames: Frames) -> int:
    """Return how many frames the engine marked for a person to check."""
    return sum(1 for line in frames if line.get("review"))


def sample_frames(frames: Frames, count: int = 12, flagged: int = 12) -> list[SampledFrame]:
    """Return about `count` evenly spaced frames and up to `flagged` marked ones, in order.

    The marked frames (see scape.vision.boxes: ``review``) are where a face may
    have slipped through; the first of each marked run, most telling reason
    first, is shown so that a long held stretch does not crowd out the rest.
    """
    if not frames:
        return []
    tracks = link_tracks(frames)
    step = max(1, -(-len(frames) // count))
    chosen = {line["frame"]: line for line in frames[::step]}
    marked = []
    previous = None
    for line in frames:
        reasons = tuple(line.get("review") or ())
        if reasons and reasons != previous:
            rank = min(_REVIEW_ORDER.get(r, 9) for r in reasons)
            marked.append((rank, line["frame"], line))
        previous = reasons
    for _rank, n, line in sorted(marked)[:flagged]:
        chosen[n] = line
    out = []
    for n in sorted(chosen):
        line = chosen[n]
        boxes = [
            {**b, "index": i, "track": tracks[(n, i)]} for i, b in enumerate(line.get("boxes", []))
        ]
        reasons = tuple(sorted(line.get("review") or (), key=lambda r: _REVIEW_ORDER.get(r, 9)))
        out.append(SampledFrame(n, line.get("time_s"), boxes, reasons))
    return out


# --- Reading the original ----------------------------------------------------


@contextlib.contextmanager
def _original_path(item: EvidenceItem) -> Iterator[str]:
    """Yield a local path of the original, copied out of remote storage if needed."""
    if item.blob is None:
        raise RedactionError(_("The original file is not stored."))
    with contextlib.ExitStack() as stack:
        # Only opening is translated: an error inside the caller's block stays its own.
        try:
            path = stack.enter_context(storage.local_path(item.blob.storage_key))
        except FileNotFoundError as exc:
            raise RedactionError(_("The original file is missing from storage.")) from exc
        yield path


def frame_jpeg(item: EvidenceItem, frame: int, time_s: float | None, width: int = 480) -> bytes:
    """Return one frame of the original as a JPEG at most `width` pixels wide."""
    import av

    with _original_path(item) as path, av.open(path) as container:
        stream = container.streams.video[0]
        target = None
        if time_s is not None and stream.time_base:
            # Seek to the keyframe before the frame, then decode forward to it.
            target = time_s
            container.seek(int(time_s / stream.time_base), stream=stream, backward=True)
            tolerance = 0.5 / float(stream.average_rate or 25)
            for decoded in container.decode(stream):
                if decoded.time is not None and decoded.time >= target - tolerance:
                    return _encode_jpeg(decoded, width)
        else:
            for n, decoded in enumerate(container.decode(stream)):
                if n == frame:
                    return _encode_jpeg(decoded, width)
    raise RedactionError(_("That frame could not be decoded."))


def _encode_jpeg(frame: Any, width: int) -> bytes:
    image = frame.to_image()
    if image.width > width:
        image = image.resize((width, max(1, round(image.height * width / image.width))))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


# --- Actions -----------------------------------------------------------------


def _job(session: RedactionSession, title: str, actor: Any) -> Job:
    """Create the session's job; `title` is a msgid with %(name)s, shown in each reader's language."""
    return Job.objects.create(
        kind=f"{REDACTION_JOB}:{session.item_id}",
        title=title,
        params={"name": session.item.original_name},
        organization=session.item.organization,
        created_by=actor,
    )


def do_start_redaction(
    item: EvidenceItem, *, actor: Any, faces: bool = True, plates: bool = False
) -> RedactionSession:
    """Record a redaction of the item and queue detection once the transaction commits."""
    if item.status != ItemStatus.AVAILABLE or item.media_kind != MediaKind.VIDEO:
        raise RedactionError(_("Only an available video can be redacted."))
    if not faces and not plates:
        raise RedactionError(_("Choose faces, licence plates or both."))
    with transaction.atomic():
        session = RedactionSession.objects.create(
            item=item, faces=faces, plates=plates, created_by=actor
        )
        session.job = _job(session, gettext_noop("Finding faces and plates in %(name)s"), actor)
        session.save(update_fields=["job"])
        audit.record(
            "vault.redaction_started",
            obj=item,
            actor=actor,
            details={"session": session.pk, "faces": faces, "plates": plates},
        )
        _enqueue(detect_boxes, session)
    return session


def _enqueue(work: Any, session: RedactionSession) -> None:
    enqueue_on_commit(work, session.job_id, session.pk)


def _editable(session: RedactionSession) -> None:
    if session.status != RedactionSession.Status.REVIEW:
        raise RedactionError(_("The boxes can only be changed while awaiting review."))


MAX_SOUND_RANGES = 200


def _duration(item: EvidenceItem) -> float | None:
    meta = item.metadata if isinstance(item.metadata, dict) else {}
    value = meta.get("duration_s")
    return float(value) if value else None


def do_add_sound_range(
    session: RedactionSession, *, actor: Any, start: float, end: float
) -> list[list[float]]:
    """Take a stretch of the sound (a name, an address said aloud) out of the copy."""
    with transaction.atomic():
        session = (
            RedactionSession.objects.select_for_update().select_related("item").get(pk=session.pk)
        )
        _editable(session)
        length = _duration(session.item)
        if not (0 <= start < end) or (length is not None and start >= length):
            raise RedactionError(
                _("Give a start before the end, within the recording (%(length)s s).")
                % {"length": f"{length:.1f}" if length is not None else "?"}
            )
        if length is not None:
            end = min(end, length)
        ranges = [list(r) for r in session.sound_ranges]
        if len(ranges) >= MAX_SOUND_RANGES:
            raise RedactionError(
                _("At most %(count)s stretches of sound.") % {"count": MAX_SOUND_RANGES}
            )
        ranges.append([round(start, 2), round(end, 2)])
        session.sound_ranges = sorted(ranges)
        session.save(update_fields=["sound_ranges"])
        audit.record(
            "vault.redaction_sound_changed",
            obj=session.item,
            actor=actor,
            details={"session": session.pk, "added": [round(start, 2), round(end, 2)]},
        )
    return session.sound_ranges


def do_remove_sound_range(session: RedactionSession, *, actor: Any, index: int) -> None:
    """Put a stretch of sound back (it was taken out by mistake)."""
    with transaction.atomic():
        session = (
            RedactionSession.objects.select_for_update().select_related("item").get(pk=session.pk)
        )
        _editable(session)
        ranges = list(session.sound_ranges)
        if not 0 <= index < len(ranges):
            raise RedactionError(_("That stretch of sound is not in the list."))
        removed = ranges.pop(index)
        session.sound_ranges = ranges
        session.save(update_fields=["sound_ranges"])
        audit.record(
            "vault.redaction_sound_changed",
            obj=session.item,
            actor=actor,
            details={"session": session.pk, "removed": removed},
        )


def do_remove_box(session: RedactionSession, *, actor: Any, frame: int, index: int) -> int:
    """Remove a box and every box of its track from the box list; return how many went."""
    with transaction.atomic():
        session = RedactionSession.objects.select_for_update().get(pk=session.pk)
        _editable(session)
        frames = load_boxes(session)
        tracks = link_tracks(frames)
        track = tracks.get((frame, index))
        if track is None:
            raise RedactionError(_("That box does not exist (any more)."))
        removed = 0
        kind = ""
        for line in frames:
            n = line["frame"]
            keep = []
            for i, b in enumerate(line.get("boxes", [])):
                if tracks[(n, i)] == track:
                    removed += 1
                    kind = b["kind"]
                else:
                    keep.append(b)
            line["boxes"] = keep
        _save_boxes(session, frames)
        audit.record(
            "vault.redaction_edited",
            obj=session.item,
            actor=actor,
            details={
                "session": session.pk,
                "change": "removed",
                "kind": kind,
                "frame": frame,
                "boxes": removed,
                "boxes_sha256": session.boxes_sha256,
            },
        )
    return removed


def do_add_box(
    session: RedactionSession, *, actor: Any, frame: int, box: tuple[float, float, float, float]
) -> int:
    """Add a hand-drawn box on a frame, tracked through the video; return frames covered."""
    x1, y1, x2, y2 = box
    if x2 - x1 < MIN_BOX_PX or y2 - y1 < MIN_BOX_PX:
        raise RedactionError(_("The box is too small; drag a larger rectangle."))
    _editable(session)
    frames = load_boxes(session)
    by_frame = {line["frame"]: line for line in frames}
    if frame not in by_frame:
        raise RedactionError(_("That frame is not in the video."))
    # Slow I/O (decoding) happens before the row lock, so edits by others wait only
    # for the write; the status is checked again under the lock.
    with _original_path(session.item) as path:
        placed = track_box(path, frame, (x1, y1, x2, y2), len(frames))
    with transaction.atomic():
        session = RedactionSession.objects.select_for_update().get(pk=session.pk)
        _editable(session)
        frames = load_boxes(session)
        by_frame = {line["frame"]: line for line in frames}
        for n, b in placed.items():
            if n in by_frame:
                by_frame[n].setdefault("boxes", []).append(
                    {"kind": "manual", "box": [round(v, 1) for v in b], "score": 1.0}
                )
        _save_boxes(session, frames)
        audit.record(
            "vault.redaction_edited",
            obj=session.item,
            actor=actor,
            details={
                "session": session.pk,
                "change": "added",
                "kind": "manual",
                "frame": frame,
                "box": [round(v, 1) for v in box],
                "frames": len(placed),
                "boxes_sha256": session.boxes_sha256,
            },
        )
    return len(placed)


def track_box(
    path: str, frame: int, box: tuple[float, float, float, float], total: int
) -> dict[int, tuple[float, float, float, float]]:
    """Follow a box drawn on `frame` forward and backward by template matching.

    Return {frame: box} for every frame where it was found (always including
    `frame` itself); following stops where the match gets poor.
    """
    import av
    import cv2

    lo, hi = max(0, frame - MANUAL_REACH), min(total - 1, frame + MANUAL_REACH)
    grays: dict[int, Any] = {}
    scale = 1.0
    with av.open(path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for n, decoded in enumerate(container.decode(stream)):
            if n < lo:
                continue
            if n > hi:
                break
            if not grays:
                scale = min(1.0, MANUAL_MATCH_SIDE / max(decoded.width, decoded.height))
            w, h = max(1, round(decoded.width * scale)), max(1, round(decoded.height * scale))
            grays[n] = decoded.reformat(width=w, height=h, format="gray").to_ndarray()
    if frame not in grays:
        raise RedactionError(_("That frame could not be decoded."))
    placed = {frame: box}
    first = grays[frame]
    height, width = first.shape
    sx1, sy1 = max(0, int(box[0] * scale)), max(0, int(box[1] * scale))
    sx2, sy2 = min(width, round(box[2] * scale)), min(height, round(box[3] * scale))
    template = first[sy1:sy2, sx1:sx2]
    if template.shape[0] < 2 or template.shape[1] < 2:
        return placed
    th, tw = template.shape
    for direction in (1, -1):
        px, py = sx1, sy1
        n = frame + direction
        while n in grays:
            # Look around the last position only: an object moves little per frame.
            mx, my = tw, th
            ax1, ay1 = max(0, px - mx), max(0, py - my)
            ax2, ay2 = min(width, px + tw + mx), min(height, py + th + my)
            area = grays[n][ay1:ay2, ax1:ax2]
            if area.shape[0] < th or area.shape[1] < tw:
                break
            result = cv2.matchTemplate(area, template, cv2.TM_CCOEFF_NORMED)
            _min, best, _minloc, (bx, by) = cv2.minMaxLoc(result)
            if best < MANUAL_MIN_SCORE:
                break
            px, py = ax1 + bx, ay1 + by
            dx, dy = (px - sx1) / scale, (py - sy1) / scale
            placed[n] = (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)
            n += direction
    return placed


def do_render(
    session: RedactionSession, *, actor: Any, mode: str, sound: str = RedactionSession.Sound.MUTE
) -> RedactionSession:
    """Queue the render of the reviewed boxes (and sound taken out) into a redacted copy."""
    if mode not in RedactionSession.Mode.values:
        raise RedactionError(_("Choose how the boxes are hidden."))
    if sound not in RedactionSession.Sound.values:
        raise RedactionError(_("Choose how the sound is taken out."))
    with transaction.atomic():
        session = (
            RedactionSession.objects.select_for_update().select_related("item").get(pk=session.pk)
        )
        _editable(session)
        session.mode = mode
        session.sound = sound
        session.status = RedactionSession.Status.RENDERING
        session.job = _job(
            session,
            gettext_noop("Rendering the redacted copy of %(name)s"),
            actor,
        )
        session.save(update_fields=["mode", "sound", "status", "job"])
        audit.record(
            "vault.redaction_render_started",
            obj=session.item,
            actor=actor,
            details={
                "session": session.pk,
                "mode": mode,
                "boxes_sha256": session.boxes_sha256,
                "sound_ranges": session.sound_ranges,
                "sound": sound,
            },
        )
        _enqueue(render_redaction, session)
    return session


# --- Tasks -------------------------------------------------------------------


def _language(session: RedactionSession) -> str | None:
    person = getattr(session.created_by, "person", None)
    return getattr(person, "ui_language", "") or None


def _reporter(job_id: int | None) -> Any:
    report = progress_reporter(job_id)

    def frames(done: int, total: int) -> None:
        if total:
            report(done / total)

    return frames


def _fail(session: RedactionSession, message: str) -> dict[str, Any]:
    RedactionSession.objects.filter(pk=session.pk).update(
        status=RedactionSession.Status.FAILED, message=message
    )
    update_job(session.job_id, status=JobStatus.FAILED, message=message)
    return {"status": "failed", "message": message}


def _load_session(session_id: int, status: str) -> RedactionSession | None:
    return (
        RedactionSession.objects.filter(pk=session_id, status=status)
        .select_related("item__blob", "created_by__person")
        .first()
    )


@task(queue_name=VISION_QUEUE)
def detect_boxes(session_id: int) -> dict[str, Any]:
    """Find faces (and plates) in the original and store the box list for review."""
    session = _load_session(session_id, RedactionSession.Status.DETECTING)
    if session is None:
        return {"status": "skipped"}
    with translation.override(_language(session)):
        return _detect(session)


def _detect(session: RedactionSession) -> dict[str, Any]:
    from scape.vision.config import EncodeConfig, RedactConfig
    from scape.vision.redact import PlatesUnavailableError, Redactor
    from scape.vision.video import VideoError

    update_job(session.job_id, status=JobStatus.RUNNING, progress=0.0)
    # The engine always encodes; the throwaway copy is made as cheaply as possible.
    config = RedactConfig(
        faces=session.faces,
        plates=session.plates,
        encode=EncodeConfig(preset="ultrafast", crf=40),
    )
    try:
        with (
            _original_path(session.item) as src,
            tempfile.TemporaryDirectory(dir=storage.staging_dir()) as tmp,
        ):
            boxes_path = Path(tmp) / "boxes.jsonl"
            Redactor(config).run(
                src,
                Path(tmp) / "scratch.mp4",
                boxes_out=boxes_path,
                progress=_reporter(session.job_id),
            )
            data = boxes_path.read_bytes()
    except RedactionError as exc:
        return _fail(session, str(exc))
    except PlatesUnavailableError:
        return _fail(session, _("Licence plate detection is not installed on this server."))
    except VideoError as exc:
        return _fail(session, _("The video could not be read: %(error)s") % {"error": exc})
    except Exception:
        _fail(session, _("Finding faces and plates failed unexpectedly."))
        raise
    key, sha256 = _store_bytes(data, ".jsonl")
    frames = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
    found = sum(len(f.get("boxes", [])) for f in frames)
    RedactionSession.objects.filter(pk=session.pk).update(
        status=RedactionSession.Status.REVIEW, boxes_key=key, boxes_sha256=sha256, message=""
    )
    message = _("Found boxes in %(frames)d of %(total)d frames; ready for review.") % {
        "frames": sum(1 for f in frames if f.get("boxes")),
        "total": len(frames),
    }
    update_job(session.job_id, status=JobStatus.SUCCEEDED, progress=1.0, message=message)
    audit.record(
        "vault.redaction_detected",
        obj=session.item,
        actor=session.created_by,
        details={"session": session.pk, "boxes": found, "boxes_sha256": sha256},
    )
    return {"status": "review", "boxes": found}


@task(queue_name=VISION_QUEUE)
def render_redaction(session_id: int) -> dict[str, Any]:
    """Hide the reviewed boxes in a copy of the original and record it as a Derivative."""
    session = _load_session(session_id, RedactionSession.Status.RENDERING)
    if session is None:
        return {"status": "skipped"}
    with translation.override(_language(session)):
        return _render(session)


def _render(session: RedactionSession) -> dict[str, Any]:
    from scape.vision.boxes import BoxFileError, read_boxes
    from scape.vision.config import MaskConfig, MaskMode, RedactConfig
    from scape.vision.redact import Redactor
    from scape.vision.video import VideoError

    item = session.item
    update_job(session.job_id, status=JobStatus.RUNNING, progress=0.0)
    config = RedactConfig(faces=False, plates=False, mask=MaskConfig(mode=MaskMode(session.mode)))
    try:
        with (
            _original_path(item) as src,
            tempfile.TemporaryDirectory(dir=storage.staging_dir()) as tmp,
        ):
            boxes_path = Path(tmp) / "boxes.jsonl"
            with storage.open_stored(session.boxes_key) as fh:
                boxes_path.write_bytes(fh.read())
            out = Path(tmp) / "redacted.mp4"
            Redactor(config, manual=read_boxes(boxes_path)).run(
                src, out, progress=_reporter(session.job_id)
            )
            if session.sound_ranges:
                from scape.vision.audio import silence_ranges

                quiet = Path(tmp) / "redacted-sound.mp4"
                silence_ranges(
                    out,
                    quiet,
                    session.sound_ranges,
                    bleep=session.sound == RedactionSession.Sound.BLEEP,
                )
                out = quiet
            staged = storage.adopt(out)
            key = storage.derived_key(staged.sha256, ".mp4")
            storage.commit(staged, key)
    except RedactionError as exc:
        return _fail(session, str(exc))
    except (VideoError, BoxFileError) as exc:
        return _fail(session, _("The redacted copy could not be made: %(error)s") % {"error": exc})
    except Exception:
        _fail(session, _("Rendering the redacted copy failed unexpectedly."))
        raise
    stem = Path(item.original_name).stem or f"item-{item.pk}"
    with transaction.atomic():
        derivative = Derivative.objects.create(
            item=item,
            kind=DerivativeKind.REDACTED,
            sha256=staged.sha256,
            size=staged.size,
            storage_key=key,
            content_type="video/mp4",
            name=f"{stem}-redacted.mp4",
            created_by=session.created_by,
            details={
                "source_sha256": item.sha256,
                "session": session.pk,
                "mode": session.mode,
                "boxes_key": session.boxes_key,
                "boxes_sha256": session.boxes_sha256,
                "sound_ranges": session.sound_ranges,
                "sound": session.sound,
            },
        )
        RedactionSession.objects.filter(pk=session.pk).update(
            status=RedactionSession.Status.DONE, result=derivative, message=""
        )
        audit.record(
            "vault.redacted_copy_made",
            obj=item,
            actor=session.created_by,
            details={
                "session": session.pk,
                "sha256": staged.sha256,
                "size": staged.size,
                "source_sha256": item.sha256,
                "mode": session.mode,
                "boxes_sha256": session.boxes_sha256,
                "sound_ranges": session.sound_ranges,
                "sound": session.sound,
            },
        )
    update_job(
        session.job_id,
        status=JobStatus.SUCCEEDED,
        progress=1.0,
        message=gettext_noop("The redacted copy is ready."),
    )
    return {"status": "done", "sha256": staged.sha256}
