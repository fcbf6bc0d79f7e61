"""Silence or bleep chosen time ranges of a video's sound (names, addresses said aloud).

The picture is copied packet by packet, untouched; each audio stream is decoded,
the samples inside the ranges are replaced (silence, or a 1 kHz tone that tells a
listener something was taken out), and encoded again as AAC. The output appears
atomically, as every file the engine writes.
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Iterable, Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from scape.vision.video import VideoError

BLEEP_HZ = 1000.0
BLEEP_LEVEL = 0.1  # -20 dBFS: heard, not painful


def _merged(ranges: Iterable[Sequence[float]]) -> list[tuple[float, float]]:
    """Return the ranges sorted, overlaps joined, empty and negative ones dropped."""
    spans = sorted((max(0.0, float(a)), float(b)) for a, b in ranges if float(b) > float(a))
    out: list[tuple[float, float]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _edit(
    samples: np.ndarray, first: float, rate: int, spans: list[tuple[float, float]], bleep: bool
) -> bool:
    """Replace, in place, the samples of ``samples`` (channels by samples, starting at ``first`` s)
    that fall in ``spans``; return whether any did."""
    n = samples.shape[-1]
    last = first + n / rate
    touched = False
    for start, end in spans:
        if end <= first or start >= last:
            continue
        a = max(0, math.floor((start - first) * rate))
        b = min(n, math.ceil((end - first) * rate))
        if b <= a:
            continue
        if bleep:
            t = (np.arange(a, b) / rate) + first
            tone = (BLEEP_LEVEL * np.sin(2 * np.pi * BLEEP_HZ * t)).astype(samples.dtype)
            samples[..., a:b] = tone
        else:
            samples[..., a:b] = 0
        touched = True
    return touched


def silence_ranges(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    ranges: Iterable[Sequence[float]],
    *,
    bleep: bool = False,
) -> int:
    """Write ``src`` to ``dst`` with its sound silenced (or bleeped) in ``ranges`` (seconds).

    Return how many audio frames were changed. A video without sound is copied as it is.
    """
    spans = _merged(ranges)
    dst = Path(dst)
    tmp = dst.with_name(f".{dst.name}.{secrets.token_hex(6)}.part")
    changed = 0
    try:
        with av.open(os.fspath(src)) as source, av.open(str(tmp), "w", format="mp4") as out:
            copies = {}
            for picture in source.streams.video:
                copies[picture.index] = out.add_stream_from_template(picture)
            encoders = {}
            for sound in source.streams.audio:
                ctx = sound.codec_context
                rate = ctx.sample_rate or 48000
                layout = ctx.layout.name if ctx.layout else "stereo"
                encoder = out.add_stream("aac", rate=rate, layout=layout)
                encoder.time_base = Fraction(1, rate)
                encoders[sound.index] = (encoder, rate)
            streams = [*source.streams.video, *source.streams.audio]
            for packet in source.demux(*streams):
                if packet.stream.type == "video":
                    if packet.dts is None:
                        continue
                    packet.stream = copies[packet.stream.index]
                    out.mux(packet)
                    continue
                encoder, rate = encoders[packet.stream.index]
                for frame in packet.decode():
                    if not isinstance(frame, av.AudioFrame):
                        continue
                    samples = frame.to_ndarray()
                    planar = frame.format.is_planar
                    data = samples if planar else samples.reshape(-1, len(frame.layout.channels)).T
                    data = np.ascontiguousarray(data, dtype=np.float32)
                    first = float(frame.time) if frame.time is not None else 0.0
                    if _edit(data, first, frame.sample_rate or rate, spans, bleep):
                        changed += 1
                    fresh = av.AudioFrame.from_ndarray(
                        data, format="fltp", layout=frame.layout.name
                    )
                    fresh.sample_rate = frame.sample_rate or rate
                    fresh.pts = round(first * fresh.sample_rate)
                    fresh.time_base = Fraction(1, fresh.sample_rate)
                    out.mux(encoder.encode(fresh))
            for encoder, _rate in encoders.values():
                out.mux(encoder.encode(None))
        os.replace(tmp, dst)
    except av.error.FFmpegError as exc:
        tmp.unlink(missing_ok=True)
        raise VideoError(f"cannot edit the sound of {os.fspath(src)!r}: {exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return changed
