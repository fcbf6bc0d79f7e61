"""Synthetic clips with known ground truth, for the vision benchmarks.

A clip is a panning test pattern with copies of the astronaut's head from
``skimage.data`` moving over it at several sizes, plus a sine-tone audio
track. Everything is drawn from a fixed seed, so the frame and the face boxes
of frame ``n`` can be rebuilt at any time without storing them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
from skimage import data

# Face box of the astronaut in skimage's 512x512 image, as CenterFace finds it
# at full size: it defines what "the face" is for coverage.
ASTRONAUT_FACE = (181.5, 58.2, 269.9, 177.8)
# Head-and-shoulders crop around it that gets composited (x1, y1, x2, y2).
ASTRONAUT_CROP = (130, 10, 330, 250)
# Face widths as a share of frame height: 48, 72, 120 and 200 px at 720p.
FACE_SIZES = (48 / 720, 72 / 720, 120 / 720, 200 / 720)


@dataclass(frozen=True)
class ClipSpec:
    """What to draw: frame size, rate, length and the random seed of the motion."""

    width: int = 1280
    height: int = 720
    fps: int = 30
    seconds: float = 20.0
    seed: int = 7
    audio_rate: int = 48000

    @property
    def frames(self) -> int:
        """Return the number of frames of the clip."""
        return round(self.seconds * self.fps)


@dataclass(frozen=True)
class _Sprite:
    image: np.ndarray  # BGR head crop at this size
    face: tuple[float, float, float, float]  # face box inside the crop
    lane: tuple[int, int]  # x range the crop moves in, so heads never overlap
    x0: float
    y0: float
    vx: float
    vy: float
    wobble: float


class Clip:
    """Draw the frames and ground-truth face boxes of one synthetic clip."""

    def __init__(self, spec: ClipSpec) -> None:
        self.spec = spec
        rng = np.random.default_rng(spec.seed)
        self.background = _pattern(spec.width * 2, spec.height, rng)
        head = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
        cx1, cy1, cx2, cy2 = ASTRONAUT_CROP
        head = head[cy1:cy2, cx1:cx2]
        fx1, fy1, fx2, fy2 = ASTRONAUT_FACE
        images = []
        for share in FACE_SIZES:
            k = share * spec.height / (fx2 - fx1)
            size = (round(head.shape[1] * k), round(head.shape[0] * k))
            img = cv2.resize(head, size, interpolation=cv2.INTER_AREA)
            face = ((fx1 - cx1) * k, (fy1 - cy1) * k, (fx2 - cx1) * k, (fy2 - cy1) * k)
            images.append((img, face))
        # Each head moves in its own column: an occluded face would count
        # against every tool for pixels nobody can see.
        slack = max(0, spec.width - sum(img.shape[1] for img, _f in images)) // len(images)
        self.sprites = []
        left = 0
        for img, face in images:
            lane = (left, left + img.shape[1] + slack)
            left = lane[1]
            speed = rng.uniform(1.5, 6.0) * spec.height / 720
            self.sprites.append(
                _Sprite(
                    image=img,
                    face=face,
                    lane=lane,
                    x0=rng.uniform(0, slack),
                    y0=rng.uniform(0, spec.height - img.shape[0]),
                    vx=rng.uniform(0.3, 1.5) * rng.choice((-1, 1)),
                    vy=speed * rng.choice((-1, 1)),
                    wobble=rng.uniform(0.02, 0.08),
                )
            )

    def _position(self, sprite: _Sprite, n: int) -> tuple[int, int]:
        """Return the top-left corner of a sprite at frame n (bouncing off the edges)."""
        h, w = sprite.image.shape[:2]
        span_x = sprite.lane[1] - sprite.lane[0] - w
        span_y = self.spec.height - h
        x = sprite.x0 + sprite.vx * n + 20 * math.sin(n * sprite.wobble)
        y = sprite.y0 + sprite.vy * n + 15 * math.cos(n * sprite.wobble * 1.3)
        return sprite.lane[0] + round(_bounce(x, span_x)), round(_bounce(y, span_y))

    def frame(self, n: int) -> tuple[np.ndarray, list[tuple[float, float, float, float]]]:
        """Return frame n as BGR and the face boxes in it."""
        shift = (n * 3) % self.spec.width  # slow pan, so the encoder has real work
        img = self.background[:, shift : shift + self.spec.width].copy()
        boxes = []
        for sprite in self.sprites:
            x, y = self._position(sprite, n)
            h, w = sprite.image.shape[:2]
            img[y : y + h, x : x + w] = sprite.image
            fx1, fy1, fx2, fy2 = sprite.face
            boxes.append((x + fx1, y + fy1, x + fx2, y + fy2))
        return img, boxes

    def frames(self) -> Iterator[tuple[np.ndarray, list[tuple[float, float, float, float]]]]:
        """Yield (frame, face boxes) for every frame."""
        for n in range(self.spec.frames):
            yield self.frame(n)

    def write(self, path: str | Path, crf: int = 16) -> Path:
        """Encode the clip (H.264 high quality + AAC tone) to ``path``."""
        spec = self.spec
        path = Path(path)
        with av.open(str(path), mode="w") as out:
            video = out.add_stream(
                "libx264", rate=spec.fps, options={"crf": str(crf), "preset": "veryfast"}
            )
            video.width, video.height, video.pix_fmt = spec.width, spec.height, "yuv420p"
            audio = out.add_stream("aac", rate=spec.audio_rate, layout="stereo")
            samples = tone(spec.seconds, spec.audio_rate)
            step = 1024
            sent = 0
            for n, (img, _boxes) in enumerate(self.frames()):
                for packet in video.encode(av.VideoFrame.from_ndarray(img, format="bgr24")):
                    out.mux(packet)
                # Interleave audio up to the current video time.
                until = min(samples.shape[1], round((n + 1) / spec.fps * spec.audio_rate))
                while sent + step <= until or (n == spec.frames - 1 and sent < until):
                    chunk = samples[:, sent : sent + step]
                    frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
                    frame.sample_rate = spec.audio_rate
                    frame.pts = sent
                    frame.time_base = Fraction(1, spec.audio_rate)
                    for packet in audio.encode(frame):
                        out.mux(packet)
                    sent += chunk.shape[1]
            out.mux(video.encode(None))
            out.mux(audio.encode(None))
        return path


def tone(seconds: float, rate: int) -> np.ndarray:
    """Return a stereo 440/660 Hz tone as a (2, samples) float32 array."""
    t = np.arange(round(seconds * rate), dtype=np.float32) / rate
    left = 0.2 * np.sin(2 * np.pi * 440 * t)
    right = 0.2 * np.sin(2 * np.pi * 660 * t)
    return np.stack([left, right]).astype(np.float32)


def _bounce(v: float, span: int) -> float:
    """Fold a coordinate back into [0, span] like a ball bouncing off the walls."""
    if span <= 0:
        return 0.0
    period = 2 * span
    v = v % period
    return v if v <= span else period - v


def _pattern(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """Return a BGR test pattern: colour bars, a grid, gradients and some texture."""
    img = np.zeros((height, width, 3), np.uint8)
    bars = [
        (192, 192, 192),
        (0, 192, 192),
        (192, 192, 0),
        (0, 192, 0),
        (192, 0, 192),
        (0, 0, 192),
        (192, 0, 0),
    ]
    bw = width // (len(bars) * 2)
    for i in range(len(bars) * 2):
        img[: height // 2, i * bw : (i + 1) * bw] = bars[i % len(bars)]
    ramp = np.linspace(40, 230, width, dtype=np.float32)
    img[height // 2 :, :, 0] = ramp.astype(np.uint8)
    img[height // 2 :, :, 1] = ramp[::-1].astype(np.uint8)
    img[height // 2 :, :, 2] = 120
    step = max(16, height // 18)
    img[::step, :] = 255
    img[:, ::step] = 255
    noise = rng.integers(-12, 13, size=(height // 4, width // 4, 1), dtype=np.int16)
    noise = cv2.resize(noise.astype(np.float32), (width, height))[..., None]
    return np.clip(img.astype(np.float32) + noise, 0, 255).astype(np.uint8)
