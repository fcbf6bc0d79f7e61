"""Tiny synthetic clips for the redaction tests, drawn with PyAV in the test run."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
import pytest
from skimage import data

# The astronaut's face in skimage's 512x512 image (CenterFace's box at full size)
# and the head-and-shoulders crop composited into the clips.
ASTRONAUT_FACE = (181.5, 58.2, 269.9, 177.8)
ASTRONAUT_CROP = (130, 10, 330, 250)


def head(face_width: float) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """Return the astronaut's head (BGR) scaled to a face width, and the face box in it."""
    img = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    cx1, cy1, cx2, cy2 = ASTRONAUT_CROP
    fx1, fy1, fx2, fy2 = ASTRONAUT_FACE
    k = face_width / (fx2 - fx1)
    crop = cv2.resize(
        img[cy1:cy2, cx1:cx2],
        (round((cx2 - cx1) * k), round((cy2 - cy1) * k)),
        interpolation=cv2.INTER_AREA,
    )
    return crop, ((fx1 - cx1) * k, (fy1 - cy1) * k, (fx2 - cx1) * k, (fy2 - cy1) * k)


class ClipMaker:
    """Write small test clips and remember where the face is in each frame."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def __call__(
        self,
        name: str = "clip.mp4",
        *,
        size: tuple[int, int] = (320, 240),
        frames: int = 30,
        fps: int = 30,
        audio: bool = True,
        face_width: float | None = 70.0,
        speed: float = 2.0,
        pix_fmt: str = "yuv420p",
        codec: str = "libx264",
    ) -> tuple[Path, list[tuple[float, float, float, float] | None]]:
        """Write a clip; return its path and the face box of every frame (None: no face)."""
        width, height = size
        path = self.directory / name
        yy, xx = np.mgrid[0:height, 0:width]
        background = np.dstack(
            [(xx * 255 // max(width - 1, 1)), (yy * 255 // max(height - 1, 1)), 90 + 0 * xx]
        ).astype(np.uint8)
        sprite, face = head(face_width) if face_width else (None, None)
        boxes: list[tuple[float, float, float, float] | None] = []
        with av.open(str(path), mode="w") as out:
            options = {"crf": "18", "preset": "ultrafast"} if codec == "libx264" else {}
            video = out.add_stream(codec, rate=fps, options=options)
            video.width, video.height, video.pix_fmt = width, height, pix_fmt
            if audio:
                astream = out.add_stream("aac", rate=48000, layout="stereo")
            for n in range(frames):
                img = background.copy()
                if sprite is not None and face is not None:
                    x = int(10 + speed * n) % max(1, width - sprite.shape[1])
                    y = max(0, (height - sprite.shape[0]) // 2)
                    h, w = sprite.shape[:2]
                    img[y : y + h, x : x + w] = sprite[: height - y, : width - x]
                    boxes.append((x + face[0], y + face[1], x + face[2], y + face[3]))
                else:
                    boxes.append(None)
                frame = av.VideoFrame.from_ndarray(img, format="bgr24")
                out.mux(video.encode(frame))
            out.mux(video.encode(None))
            if audio:
                rate, total = 48000, round(frames / fps * 48000)
                t = np.arange(total, dtype=np.float32) / rate
                samples = np.stack([np.sin(2 * np.pi * 440 * t), np.sin(2 * np.pi * 550 * t)])
                samples = (0.2 * samples).astype(np.float32)
                for start in range(0, total, 1024):
                    chunk = np.ascontiguousarray(samples[:, start : start + 1024])
                    af = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
                    af.sample_rate, af.pts, af.time_base = rate, start, Fraction(1, rate)
                    out.mux(astream.encode(af))
                out.mux(astream.encode(None))
        return path, boxes


@pytest.fixture
def make_clip(tmp_path: Path) -> ClipMaker:
    """Return a clip writer working in the test's temporary directory."""
    return ClipMaker(tmp_path)


@pytest.fixture(scope="session")
def face_clip(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, list[tuple[float, float, float, float] | None]]:
    """Return a 2 s 320x240 clip with audio and a moving face, shared by the tests."""
    maker = ClipMaker(tmp_path_factory.mktemp("clips"))
    return maker("face.mp4", size=(320, 240), frames=60, face_width=70.0, speed=1.5)


def _read_frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="bgr24") for f in c.decode(video=0)]


def _dark_share(frame: np.ndarray, box: tuple[float, float, float, float]) -> float:
    x1, y1, x2, y2 = (round(v) for v in box)
    region = frame[y1:y2, x1:x2]
    return float((region.max(axis=2) <= 40).mean())


@pytest.fixture
def read_frames() -> Callable[[Path], list[np.ndarray]]:
    """Return a function giving every frame of a video as BGR arrays."""
    return _read_frames


@pytest.fixture
def dark_share() -> Callable[[np.ndarray, tuple[float, float, float, float]], float]:
    """Return a function giving the share of a box's pixels that are (nearly) black."""
    return _dark_share
