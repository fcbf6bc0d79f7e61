"""Decode and encode video with PyAV.

Frames leave the decoder as ``av.VideoFrame`` objects; :func:`frame_planes`
exposes their planes as NumPy views without copying, and
:meth:`VideoReader.frames_bgr` yields ``bgr24`` arrays (OpenCV's channel
order, which the plate reader and OpenCV-based callers expect).

The redaction pipeline works on the planar YUV frames directly, in the pixel
format the encoder takes, instead of converting every frame to BGR and back:
the two full-frame colour conversions would cost about as much as all the
rest of the redaction work. Only the few frames given to a detector are
converted, and shrunk in the same swscale pass.

Output is H.264 (libx264) in the container the output name implies, with the
input's size, frame timestamps (pts and time base copied), frame rate and
sample aspect ratio. Audio packets are copied as they are, never re-encoded.

Odd sizes: H.264 in 4:2:0 cannot describe an odd width or height (its cropping
works in whole chroma samples), so padding would change the picture size.
Inputs with an odd side are encoded in 4:4:4 instead (High 4:4:4 profile),
which keeps the exact size at the cost of player support; even-sized inputs,
the usual case, get 4:2:0 for every player.

The output is written under a temporary name in the destination directory and
moved into place with ``os.replace`` once complete, so a reader never sees a
half-written file, and the temporary file is removed on any failure.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Any

import av
import av.error
import numpy as np
from av.video.reformatter import ColorRange

from scape.vision.config import EncodeConfig


class VideoError(RuntimeError):
    """A video could not be read or written."""


class UnreadableVideoError(VideoError):
    """The input is not a video the decoder can read; ``reason`` says why."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(f"cannot read video {os.fspath(path)!r}: {reason}")
        self.path = os.fspath(path)
        self.reason = reason


class NoVideoStreamError(UnreadableVideoError):
    """The input opens, but holds no video stream (a sound file, say)."""


@dataclass(frozen=True)
class VideoInfo:
    """What the pipeline needs to know about an input video stream."""

    width: int
    height: int
    time_base: Fraction
    frame_rate: Fraction | None
    frames: int
    duration_s: float | None
    start_pts: int | None
    audio_streams: int


# Container muxer per output suffix; anything else is written as MP4.
_MUXERS = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mov", ".mkv": "matroska"}
# Planar 8-bit formats whose planes can be edited in place, with the chroma
# subsampling (x, y) of their second and third planes.
_PLANAR = {"yuv420p": (2, 2), "yuvj420p": (2, 2), "yuv444p": (1, 1), "yuvj444p": (1, 1)}


def _reason(exc: BaseException) -> str:
    """Return the decoder's own words for an error."""
    if isinstance(exc, av.error.FFmpegError) and exc.strerror:
        return str(exc.strerror)
    return str(exc) or type(exc).__name__


def encoder_pix_fmt(width: int, height: int) -> str:
    """Return the pixel format the encoder uses for this frame size (see module doc)."""
    return "yuv420p" if width % 2 == 0 and height % 2 == 0 else "yuv444p"


def frame_planes(frame: av.VideoFrame) -> list[tuple[np.ndarray, int, int]]:
    """Return each plane of a planar 8-bit YUV frame as (view, subsample x, subsample y).

    The arrays are views of the frame's own buffers, so writing to them edits
    the frame; make the frame writable first if a decoder may still use it.
    """
    sub = _PLANAR.get(frame.format.name)
    if sub is None:
        raise ValueError(f"frame format {frame.format.name} is not planar 8-bit YUV")
    out = []
    for i, plane in enumerate(frame.planes):
        rows = np.frombuffer(memoryview(plane), dtype=np.uint8).reshape(-1, plane.line_size)
        view = rows[: plane.height, : plane.width]
        sx, sy = (1, 1) if i == 0 else sub
        out.append((view, sx, sy))
    return out


class VideoReader:
    """Demux a video file, decode its first video stream and hand over its audio packets."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        try:
            self.container = av.open(self.path, mode="r")
        except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
            raise UnreadableVideoError(path, _reason(exc)) from exc
        if not self.container.streams.video:
            self.container.close()
            raise NoVideoStreamError(path, "the file has no video stream")
        self.video = self.container.streams.video[0]
        # Frame threads plus slice threads: decoding a 1080p H.264 stream on
        # one core would otherwise cost a large share of the frame budget.
        self.video.thread_type = "AUTO"
        self.audio = list(self.container.streams.audio)
        ctx = self.video.codec_context
        if not ctx.width or not ctx.height:
            self.container.close()
            raise UnreadableVideoError(path, "the video stream has no picture size")
        tb = self.video.time_base or Fraction(1, 90000)
        duration: float | None = None
        if self.video.duration is not None:
            duration = float(self.video.duration * tb)
        elif self.container.duration is not None:
            duration = self.container.duration / av.time_base
        rate = self.video.average_rate or self.video.guessed_rate
        frames = self.video.frames
        if not frames and duration and rate:
            frames = round(duration * rate)
        self.info = VideoInfo(
            width=ctx.width,
            height=ctx.height,
            time_base=tb,
            frame_rate=Fraction(rate) if rate else None,
            frames=frames or 0,
            duration_s=duration,
            start_pts=self.video.start_time,
            audio_streams=len(self.audio),
        )

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the input file."""
        self.container.close()

    def demux(self) -> Iterator[av.VideoFrame | av.Packet]:
        """Yield decoded video frames and raw audio packets in file order.

        Raises :class:`UnreadableVideoError` when the stream turns out to be
        undecodable before any frame came out of it; later corruption is
        skipped by the decoder the way players skip it.
        """
        seen_frame = False
        try:
            for packet in self.container.demux(self.video, *self.audio):
                if packet.stream.type == "audio":
                    if packet.dts is not None and packet.size:
                        yield packet
                    continue
                for frame in packet.decode():
                    if isinstance(frame, av.VideoFrame):
                        seen_frame = True
                        yield frame
        except av.error.FFmpegError as exc:
            if not seen_frame:
                raise UnreadableVideoError(self.path, _reason(exc)) from exc
            raise VideoError(f"decoding {self.path!r} failed: {_reason(exc)}") from exc
        if not seen_frame:
            raise UnreadableVideoError(self.path, "no video frame could be decoded")

    def frames(self) -> Iterator[av.VideoFrame]:
        """Yield the decoded video frames only."""
        for item in self.demux():
            if isinstance(item, av.VideoFrame):
                yield item

    def frames_bgr(self) -> Iterator[np.ndarray]:
        """Yield every frame as an (height, width, 3) ``bgr24`` array."""
        for frame in self.frames():
            yield frame.to_ndarray(format="bgr24")


class VideoWriter:
    """Encode frames to H.264 next to remuxed audio, publishing the file atomically.

    Use as a context manager: leaving the block normally finishes the file and
    moves it into place; leaving it with an exception deletes the partial file.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        reader: VideoReader,
        config: EncodeConfig | None = None,
    ) -> None:
        self.path = Path(path)
        config = config or EncodeConfig()
        info = reader.info
        self.pix_fmt = encoder_pix_fmt(info.width, info.height)
        muxer = _MUXERS.get(self.path.suffix.lower(), "mp4")
        # Same directory: os.replace is only atomic within one file system.
        # O_EXCL instead of mkstemp: mkstemp would make the result owner-only,
        # whereas a plain new file follows the umask like any other output.
        self.tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(6)}.part")
        os.close(os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        tmp = str(self.tmp)
        self._done = False
        try:
            self.container = av.open(tmp, mode="w", format=muxer)
            self.video = self.container.add_stream(
                "libx264",
                rate=info.frame_rate,
                options={"preset": config.preset, "crf": str(config.crf)},
            )
            ctx = self.video.codec_context
            ctx.width, ctx.height, ctx.pix_fmt = info.width, info.height, self.pix_fmt
            ctx.time_base = info.time_base
            self.video.time_base = info.time_base
            ctx.thread_count = config.threads
            src = reader.video.codec_context
            if src.sample_aspect_ratio:
                ctx.sample_aspect_ratio = src.sample_aspect_ratio
            for attr in ("color_primaries", "color_trc", "colorspace"):
                value = getattr(src, attr, None)
                if value:
                    setattr(ctx, attr, value)
            self.audio = {s.index: self.container.add_stream_from_template(s) for s in reader.audio}
        except av.error.FFmpegError as exc:
            self._discard()
            raise VideoError(f"cannot start writing {os.fspath(path)!r}: {_reason(exc)}") from exc
        except Exception:
            self._discard()
            raise
        # Stand-in timestamps for inputs whose frames carry none (some raw
        # and AVI streams): one frame duration apart, from the frame rate.
        self._next_pts = 0
        rate = info.frame_rate or Fraction(25)
        self._tick = max(1, round(1 / (rate * info.time_base)))

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.finish()
        else:
            self._discard()

    def prepare(self, frame: av.VideoFrame) -> av.VideoFrame:
        """Return ``frame`` in the encoder's pixel format, safe to draw on.

        A decoded frame may still be a reference picture of the decoder, so it
        is copied before it is edited; a converted frame is already a new one.
        """
        if frame.format.name != self.pix_fmt:
            # Name the source range: swscale otherwise takes full-range
            # (JPEG, yuvj*) pictures for limited range and stretches contrast.
            src_range = frame.color_range or (
                ColorRange.JPEG if frame.format.name.startswith("yuvj") else ColorRange.MPEG
            )
            out = frame.reformat(
                format=self.pix_fmt, src_color_range=src_range, dst_color_range=ColorRange.MPEG
            )
            out.pts, out.time_base, out.duration = frame.pts, frame.time_base, frame.duration
            return out
        frame.make_writable()
        return frame

    def write(self, frame: av.VideoFrame) -> None:
        """Encode one frame, keeping its pts."""
        if frame.format.name != self.pix_fmt:
            frame = self.prepare(frame)
        if frame.pts is None:
            frame.pts = self._next_pts
        self._next_pts = frame.pts + self._tick
        # The decoder's picture type (I/P/B) would otherwise force the
        # encoder's frame types and defeat its own decisions.
        frame.pict_type = av.video.frame.PictureType.NONE
        try:
            self.container.mux(self.video.encode(frame))
        except av.error.FFmpegError as exc:
            raise VideoError(f"encoding {self.path} failed: {_reason(exc)}") from exc

    def write_audio(self, packet: av.Packet) -> None:
        """Copy one audio packet to the output unchanged."""
        packet.stream = self.audio[packet.stream_index]
        try:
            self.container.mux(packet)
        except av.error.FFmpegError as exc:
            raise VideoError(f"copying audio to {self.path} failed: {_reason(exc)}") from exc

    def finish(self) -> None:
        """Flush the encoder, close the file and move it to its final name."""
        if self._done:
            return
        try:
            self.container.mux(self.video.encode(None))
            self.container.close()
            os.replace(self.tmp, self.path)
            self._done = True
        except av.error.FFmpegError as exc:
            self._discard()
            raise VideoError(f"finishing {self.path} failed: {_reason(exc)}") from exc
        except BaseException:
            self._discard()
            raise

    def _discard(self) -> None:
        self._done = True
        container: Any = getattr(self, "container", None)
        if container is not None:
            # The file is deleted next; an error while closing it changes nothing.
            with contextlib.suppress(av.error.FFmpegError, OSError, ValueError):
                container.close()
        self.tmp.unlink(missing_ok=True)


def transcode(
    src: str | os.PathLike[str], dst: str | os.PathLike[str], config: EncodeConfig | None = None
) -> int:
    """Re-encode ``src`` to ``dst`` with no processing and return the frame count.

    This is the ceiling any redaction run can reach with the same encoder settings.
    """
    count = 0
    with VideoReader(src) as reader, VideoWriter(dst, reader, config) as writer:
        for item in reader.demux():
            if isinstance(item, av.VideoFrame):
                writer.write(item)
                count += 1
            else:
                writer.write_audio(item)
    return count
