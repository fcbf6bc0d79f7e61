"""Thumbnails and browser-playable copies of evidence, made with PyAV.

The original is only ever opened for reading. Each derived file is written to
a named part file in the staging folder, hashed, linked into place under its
own SHA-256 (``storage.derived_key``) and only then recorded as a Derivative.
A process killed half-way leaves a ``.part-<pid>-`` file that the next run
sweeps away, and no row; a retry makes only what is still missing.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from scape.core import audit
from scape.vault import storage
from scape.vault.choices import DerivativeKind, MediaKind
from scape.vault.models import Derivative, EvidenceItem

Progress = Callable[[float], None]

THUMBNAIL_BOX = 320  # longest side of a thumbnail, in pixels
THUMBNAIL_AT_S = 1.0  # a frame this far in shows more than a black first frame
PROXY_SHORT_SIDE = 720  # at most 720p ...
PROXY_LONG_SIDE = 1280  # ... in either orientation
PROXY_CRF = "23"
AUDIO_BITRATE = 128_000


class MediaError(Exception):
    """The original could not be turned into a thumbnail or playable copy; says why."""


def proxy_size(width: int, height: int) -> tuple[int, int]:
    """Return the playable copy's size: within 720p, aspect kept, even sides (for yuv420p)."""
    short, long = sorted((width, height))
    scale = min(1.0, PROXY_SHORT_SIDE / short, PROXY_LONG_SIDE / long)
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def wanted(item: EvidenceItem) -> list[str]:
    """Return the derivative kinds media production makes for this item."""
    if item.media_kind == MediaKind.VIDEO:
        return [DerivativeKind.THUMBNAIL, DerivativeKind.PROXY]
    if item.media_kind == MediaKind.IMAGE:
        return [DerivativeKind.THUMBNAIL]
    return []


def produce(item: EvidenceItem, *, progress: Progress | None = None) -> list[Derivative]:
    """Make the item's missing thumbnail and playable copy; return the derivatives made.

    Idempotent: kinds that already exist are skipped, so a retry after a crash
    finishes the work without duplicates. Raises MediaError when the original
    cannot be decoded.
    """
    report = progress or (lambda _fraction: None)
    kinds = [k for k in wanted(item) if not item.derivatives.filter(kind=k).exists()]
    storage.sweep_stale_parts(storage.staging_dir())
    made: list[Derivative] = []
    report(0.0)
    with _open_original(item) as source:
        for kind in kinds:
            if kind == DerivativeKind.THUMBNAIL:
                with _part(".jpg") as path:
                    details = _thumbnail(source, item.media_kind, path)
                    derivative = _store(item, kind, path, ".jpg", "image/jpeg", details)
                report(0.05)
            else:
                with _part(".mp4") as path:
                    details = _proxy(source, path, lambda f: report(0.05 + 0.95 * f))
                    derivative = _store(item, kind, path, ".mp4", "video/mp4", details)
            if derivative is not None:
                made.append(derivative)
    report(1.0)
    return made


@contextlib.contextmanager
def _open_original(item: EvidenceItem) -> Iterator[Any]:
    """Yield a local path PyAV and Pillow can read the original from, read-only."""
    if item.blob is None:
        raise MediaError(_("The original file is not stored."))
    with contextlib.ExitStack() as stack:
        # Only opening is translated: an error inside the caller's block stays its own.
        try:
            path = stack.enter_context(storage.local_path(item.blob.storage_key))
        except FileNotFoundError as exc:
            raise MediaError(_("The original file is missing from storage.")) from exc
        yield path


def _rewind(source: Any) -> Any:
    if hasattr(source, "seek"):
        source.seek(0)
    return source


@contextlib.contextmanager
def _part(suffix: str) -> Iterator[Path]:
    """Yield a fresh part file in the staging folder; remove it unless it was committed.

    The name carries this process id so that storage.sweep_stale_parts() can
    remove what a killed process left behind.
    """
    fd, name = tempfile.mkstemp(
        dir=storage.staging_dir(), prefix=f".part-{os.getpid()}-", suffix=suffix
    )
    os.close(fd)
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def _store(
    item: EvidenceItem,
    kind: str,
    path: Path,
    suffix: str,
    content_type: str,
    details: dict[str, Any],
) -> Derivative | None:
    """Link a finished part file into place by its hash and record it; None if lost a race."""
    staged = storage.adopt(path)
    sha256, size = staged.sha256, staged.size
    key = storage.derived_key(sha256, suffix)
    storage.commit(staged, key)
    stem = Path(item.original_name).stem or f"item-{item.pk}"
    with transaction.atomic():
        # The row lock makes two workers on the same item take turns, so only
        # one of them records a derivative of each kind.
        EvidenceItem.objects.select_for_update().filter(pk=item.pk).first()
        if item.derivatives.filter(kind=kind).exists():
            return None
        derivative = Derivative.objects.create(
            item=item,
            kind=kind,
            sha256=sha256,
            size=size,
            storage_key=key,
            content_type=content_type,
            name=f"{stem}-{kind}{suffix}",
            details={**details, "source_sha256": item.sha256},
        )
        audit.record(
            "vault.derivative_created",
            obj=item,
            details={"kind": kind, "sha256": sha256, "size": size, "source_sha256": item.sha256},
        )
    return derivative


def _thumbnail(source: Any, kind: str, out: Path) -> dict[str, Any]:
    from PIL import ImageOps, UnidentifiedImageError

    from scape.core.limits import open_image

    try:
        if kind == MediaKind.IMAGE:
            with open_image(_rewind(source)) as opened:
                image = ImageOps.exif_transpose(opened).convert("RGB")
        else:
            image = _frame_near(source, THUMBNAIL_AT_S).to_image()
        image.thumbnail((THUMBNAIL_BOX, THUMBNAIL_BOX))
        image.save(out, "JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise MediaError(_describe(exc)) from exc
    return {"width": image.width, "height": image.height}


def _frame_near(source: Any, seconds: float) -> Any:
    """Return the first video frame at or after `seconds` (or half-way in a shorter clip)."""
    import av

    try:
        with av.open(_rewind(source), "r") as container:
            stream = container.streams.video[0]
            duration = (container.duration or 0) / av.time_base
            target = min(seconds, duration / 2) if duration else 0.0
            if target > 0:
                # Seek to the keyframe before the target, then decode forward to it.
                container.seek(int(target * av.time_base), backward=True, any_frame=False)
            first = None
            for frame in container.decode(stream):
                first = first or frame
                if frame.time is None or frame.time >= target:
                    return frame
            if first is not None:
                return first
    except (av.error.FFmpegError, IndexError) as exc:
        raise MediaError(_describe(exc)) from exc
    raise MediaError(_("No video frame could be decoded."))


def _proxy(source: Any, out: Path, progress: Progress) -> dict[str, Any]:
    """Transcode to H.264/AAC MP4, moov atom first, at most 720p; return what was made."""
    import av

    try:
        with av.open(_rewind(source), "r") as src:
            if not src.streams.video:
                raise MediaError(_("The file has no video stream."))
            vin = src.streams.video[0]
            ain = src.streams.audio[0] if src.streams.audio else None
            vin.thread_type = "AUTO"
            width, height = proxy_size(vin.codec_context.width, vin.codec_context.height)
            duration = (src.duration or 0) / av.time_base
            rate = vin.average_rate or vin.guessed_rate or Fraction(25)
            with av.open(
                str(out), "w", format="mp4", container_options={"movflags": "+faststart"}
            ) as dst:
                vout = dst.add_stream("libx264", rate=rate)
                vout.width, vout.height, vout.pix_fmt = width, height, "yuv420p"
                vout.options = {"preset": "veryfast", "crf": PROXY_CRF}
                # Source timestamps are kept as they are (variable frame rate stays right).
                vout.codec_context.time_base = vin.time_base
                aout = None
                if ain is not None and ain.codec_context.sample_rate:
                    layout = "mono" if ain.codec_context.layout.nb_channels == 1 else "stereo"
                    aout = dst.add_stream("aac", rate=ain.codec_context.sample_rate, layout=layout)
                    aout.bit_rate = AUDIO_BITRATE
                streams = [vin] + ([ain] if aout is not None else [])
                last_pts = None
                for packet in src.demux(*streams):
                    for frame in packet.decode():
                        if packet.stream is vin:
                            if frame.pts is None or (
                                last_pts is not None and frame.pts <= last_pts
                            ):
                                continue  # a duplicate or unstamped frame cannot be muxed
                            last_pts = frame.pts
                            scaled = frame.reformat(width=width, height=height, format="yuv420p")
                            scaled.pts, scaled.time_base = frame.pts, vin.time_base
                            dst.mux(vout.encode(scaled))
                            if duration and frame.time is not None:
                                progress(min(1.0, frame.time / duration))
                        elif aout is not None:
                            dst.mux(aout.encode(frame))
                dst.mux(vout.encode(None))
                if aout is not None:
                    dst.mux(aout.encode(None))
                if last_pts is None:
                    raise MediaError(_("No video frame could be decoded."))
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise MediaError(_describe(exc)) from exc
    progress(1.0)
    return {
        "width": width,
        "height": height,
        "video_codec": "h264",
        "audio_codec": "aac" if aout is not None else "",
        "duration_s": round(duration, 3) if duration else None,
    }


def _describe(exc: BaseException) -> str:
    return _("The file could not be decoded: %(error)s") % {
        "error": str(exc) or exc.__class__.__name__
    }
