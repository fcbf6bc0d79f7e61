"""What a file is: kind by name and signature, metadata from PyAV."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from scape.vault.choices import MediaKind

EXTENSIONS: dict[str, tuple[str, str]] = {
    ".mp4": (MediaKind.VIDEO, "video/mp4"),
    ".mov": (MediaKind.VIDEO, "video/quicktime"),
    ".mkv": (MediaKind.VIDEO, "video/x-matroska"),
    ".avi": (MediaKind.VIDEO, "video/x-msvideo"),
    ".jpg": (MediaKind.IMAGE, "image/jpeg"),
    ".jpeg": (MediaKind.IMAGE, "image/jpeg"),
    ".png": (MediaKind.IMAGE, "image/png"),
    ".dng": (MediaKind.IMAGE, "image/x-adobe-dng"),
    ".wav": (MediaKind.AUDIO, "audio/wav"),
    ".mp3": (MediaKind.AUDIO, "audio/mpeg"),
    ".m4a": (MediaKind.AUDIO, "audio/mp4"),
}
SIDECARS = {".srt": "application/x-subrip", ".gpx": "application/gpx+xml"}


def kind_of(name: str) -> tuple[str, str] | None:
    """Return (media kind, content type) for an accepted evidence file name."""
    return EXTENSIONS.get(Path(name).suffix.lower())


def video_type(meta: dict[str, Any]) -> str:
    """Return the content type of a video by its container, as the probe found it."""
    fmt = str(meta.get("format", ""))
    if "matroska" in fmt:
        return "video/x-matroska"
    if "avi" in fmt:
        return "video/x-msvideo"
    return "video/mp4" if "mp4" in fmt or "mov" in fmt else "application/octet-stream"


def is_sidecar(name: str) -> bool:
    return Path(name).suffix.lower() in SIDECARS


def probe(path: str | Path | int | BinaryIO, kind: str) -> tuple[dict[str, Any], str]:
    """Return (metadata, problem); problem is the decoder's reason when unreadable.

    ``path`` is a path, an open descriptor, or a seekable binary file (an
    object on the store, read in ranges: only what the decoder asks for).
    """
    if kind == MediaKind.IMAGE:
        return _probe_image(path)
    import av

    target = _target(path)
    try:
        with av.open(target, "r", timeout=30) as container:
            meta: dict[str, Any] = {"format": container.format.name}
            if container.duration:
                meta["duration_s"] = round(container.duration / 1_000_000, 3)
            tags = dict(container.metadata or {})
            created = tags.get("creation_time")
            if created:
                meta["creation_time"] = created
            location = tags.get("location") or tags.get("com.apple.quicktime.location.ISO6709")
            if location:
                meta["gps"] = location
            video = next(iter(container.streams.video), None)
            audio = next(iter(container.streams.audio), None)
            if kind == MediaKind.VIDEO and video is None:
                return meta, _("the file holds no video stream")
            if kind == MediaKind.AUDIO and video is not None:
                # A video renamed .wav is a video: its kind comes from its content.
                meta["content_kind"] = MediaKind.VIDEO
            if video is not None:
                rate = video.average_rate or video.guessed_rate
                meta.update(
                    codec=video.codec_context.name,
                    width=video.codec_context.width,
                    height=video.codec_context.height,
                    fps=round(float(rate), 3) if rate else None,
                    frames=video.frames or None,
                )
                # Decoding one frame proves the stream is readable, not just its header.
                for _frame in container.decode(video=0):
                    break
                else:
                    return meta, _("no video frame of the file can be decoded")
            if audio is not None:
                meta["audio_codec"] = audio.codec_context.name
                meta["sample_rate"] = audio.codec_context.sample_rate
            return meta, ""
    except (av.error.FFmpegError, OSError, ValueError, IndexError) as exc:
        # The decoder's own words name the server's file path: a person reads
        # this sentence; the decoder's reason, without the path, is kept aside.
        return {"decoder_error": _decoder_reason(exc)}, _(
            "the file cannot be decoded as audio or video: it is damaged or of another type"
        )


def _decoder_reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", "") or exc.__class__.__name__)[:200]


def _target(path: str | Path | int | BinaryIO) -> str | BinaryIO:
    """Return what the decoders open: a path, a descriptor's path, or a seekable file."""
    if isinstance(path, int):
        return f"/proc/self/fd/{path}"
    if isinstance(path, str | Path):
        return str(path)
    return path


def _probe_image(path: str | Path | int | BinaryIO) -> tuple[dict[str, Any], str]:
    from PIL import UnidentifiedImageError

    from scape.core.limits import ImageTooLargeError, open_image

    target = _target(path)
    try:
        # The declared size is checked before anything is decoded: a tiny file
        # may declare billions of pixels.
        with open_image(target) as image:
            image.verify()
        if not isinstance(target, str):
            target.seek(0)
        with open_image(target) as image:
            meta: dict[str, Any] = {"width": image.width, "height": image.height}
            exif = image.getexif()
            taken = exif.get(306)  # DateTime
            if taken:
                meta["creation_time"] = str(taken)
            return meta, ""
    except ImageTooLargeError as exc:
        return {}, str(exc)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return {"decoder_error": _decoder_reason(exc)}, _(
            "the picture cannot be decoded: it is damaged or of another type"
        )


def recorded_at(meta: dict[str, Any]) -> datetime | None:
    """Return the recording time the file states, if any, as an aware UTC time."""
    raw = meta.get("creation_time")
    if not raw:
        return None
    for fmt in ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ", "%Y:%m:%d %H:%M:%S"):
        with contextlib.suppress(ValueError):
            return datetime.strptime(str(raw), fmt).replace(tzinfo=UTC)
    with contextlib.suppress(ValueError):
        parsed = datetime.fromisoformat(str(raw))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None
