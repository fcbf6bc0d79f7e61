"""A body-camera-like clip with known face boxes: real faces, real backgrounds, a moving camera.

What the generator varies (all drawn from the seed):

* faces cut from several real photographs: scikit-image's astronaut and
  cameraman, and, when the real development set is at hand, the larger
  annotated faces of ``../shared/data/faces-real-dev`` (cut at run time,
  never stored);
* face widths from 12 to about 200 px at 720p (scaled with the frame height),
  each face walking slowly on its own;
* the background: a collage of real photographs (scikit-image's coffee,
  rocket, motorcycle, cat, hubble, textures), larger than the frame;
* the camera: a slow pan, a quick swing, hand shake of a few to a dozen
  pixels a frame and a zoom in and out, so faces jump, grow and shrink and
  enter and leave the picture.

Frame ``n`` and its face boxes are rebuilt from the seed at any time, so the
clip's ground truth is never stored. :func:`leaks` scores a solid-mask
output: a face-frame leaks when less than 90 % of the face's visible, not
already dark, pixels are black.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import av
import cv2
import numpy as np
from skimage import data

# The astronaut's face in skimage's 512x512 image, as CenterFace finds it.
ASTRONAUT_FACE = (181.5, 58.2, 269.9, 177.8)
# Face widths at 720p and zoom 1; the zoom goes up to ZOOM_MAX.
FACE_WIDTHS = (12, 13, 14, 16, 16, 18, 22, 28, 36, 50, 72, 105, 150)
ZOOM_MAX = 1.3
# A face-frame counts when at least this much of the face box is in the
# picture, and it leaks when less than HIDDEN of its eligible pixels are black.
MIN_VISIBLE = 0.5
HIDDEN = 0.9
SOURCE_MIN = 60  # source pixels darker than this are left out (already dark)
COVERED_MAX = 50  # output pixels at most this bright count as black
MIN_WIDTH = 10.0


@dataclass(frozen=True)
class Face:
    """A face photo: the patch composited (BGR) and the face box inside it."""

    image: np.ndarray
    box: tuple[float, float, float, float]
    source: str


def _patch(img: np.ndarray, box: tuple[float, float, float, float], source: str) -> Face:
    """Cut a head-and-shoulders patch around a face box."""
    x1, y1, x2, y2 = box
    w, h = x2 - x1, y2 - y1
    px1, py1 = max(0, int(x1 - 0.5 * w)), max(0, int(y1 - 0.4 * h))
    px2, py2 = min(img.shape[1], int(x2 + 0.5 * w)), min(img.shape[0], int(y2 + 0.6 * h))
    return Face(img[py1:py2, px1:px2].copy(), (x1 - px1, y1 - py1, x2 - px1, y2 - py1), source)


def face_sources(data_dir: Path | None) -> list[Face]:
    """Return the face patches: skimage's, plus the real set's larger faces when present."""
    faces = [_patch(cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR), ASTRONAUT_FACE, "astronaut")]
    camera = cv2.cvtColor(data.camera(), cv2.COLOR_GRAY2BGR)
    # The cameraman's face in skimage's 512x512 image, as CenterFace finds it (score 0.8).
    faces.append(_patch(camera, (197.2, 118.8, 253.4, 199.4), "camera"))
    gt = data_dir / "faces-real-dev" / "gt.json" if data_dir else None
    if gt is not None and gt.is_file():
        for item in json.loads(gt.read_text()):
            big = [b for b in item["boxes"] if b[2] - b[0] >= 32 and b not in item["ignore"]]
            if not big:
                continue
            img = cv2.imread(str(gt.parent / item["file"]), cv2.IMREAD_COLOR)
            if img is None:
                continue
            for b in big:
                faces.append(_patch(img, tuple(b), f"real:{item['file']}"))
    return faces


def _backdrop(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """Return a collage of real photographs, ``width`` x ``height`` BGR."""
    photos = [
        data.coffee(),
        data.rocket(),
        data.stereo_motorcycle()[0],
        data.chelsea(),
        data.hubble_deep_field(),
        data.immunohistochemistry(),
        cv2.cvtColor(data.brick(), cv2.COLOR_GRAY2RGB),
        cv2.cvtColor(data.grass(), cv2.COLOR_GRAY2RGB),
        cv2.cvtColor(data.gravel(), cv2.COLOR_GRAY2RGB),
    ]
    out = np.zeros((height, width, 3), np.uint8)
    tile = height // 2
    for y in range(0, height, tile):
        for x in range(0, width, tile * 3 // 2):
            p = photos[int(rng.integers(len(photos)))]
            w = min(tile * 3 // 2, width - x)
            h = min(tile, height - y)
            k = max(w / p.shape[1], h / p.shape[0]) * rng.uniform(1.0, 1.6)
            big = cv2.resize(p, (math.ceil(p.shape[1] * k), math.ceil(p.shape[0] * k)))
            ox = int(rng.integers(0, big.shape[1] - w + 1))
            oy = int(rng.integers(0, big.shape[0] - h + 1))
            out[y : y + h, x : x + w] = cv2.cvtColor(
                big[oy : oy + h, ox : ox + w], cv2.COLOR_RGB2BGR
            )
    return out


@dataclass(frozen=True)
class _Walker:
    face: Face
    scale: float  # patch pixels -> scene pixels
    x0: float  # scene position of the patch's top-left corner
    y0: float
    vx: float
    vy: float
    span: float  # how far it walks before turning


class FaceClip:
    """Draw frames and face boxes of one moving-camera clip."""

    def __init__(
        self,
        seed: int,
        *,
        width: int = 1280,
        height: int = 720,
        fps: int = 30,
        seconds: float = 4.0,
        data_dir: Path | None = None,
        widths: tuple[int, ...] = FACE_WIDTHS,
    ) -> None:
        self.seed, self.width, self.height, self.fps = seed, width, height, fps
        self.frames = round(seconds * fps)
        rng = np.random.default_rng(seed)
        unit = height / 720
        # The scene is larger than the frame so that panning shows new ground.
        self.scene_w, self.scene_h = int(width * 1.6), int(height * 1.6)
        self.backdrop = _backdrop(self.scene_w, self.scene_h, rng)
        sources = face_sources(data_dir)
        # Faces on a jittered grid around the scene centre, biggest last so
        # that overlap hides small ones rarely.
        cols, rows = 5, 3
        cells = [(c, r) for r in range(rows) for c in range(cols)]
        rng.shuffle(cells)
        self.walkers: list[_Walker] = []
        cw, ch = width * 1.1 / cols, height * 1.1 / rows
        left, top = (self.scene_w - width * 1.1) / 2, (self.scene_h - height * 1.1) / 2
        for (c, r), fw in zip(cells, sorted(widths), strict=False):
            # A quarter from scikit-image's photos, the rest from the real set.
            pick = int(rng.integers(2)) if rng.random() < 0.25 else int(rng.integers(len(sources)))
            face = sources[pick]
            bx1, _by1, bx2, _by2 = face.box
            scale = fw * unit * rng.uniform(0.95, 1.1) / (bx2 - bx1)
            pw = face.image.shape[1] * scale
            ph = face.image.shape[0] * scale
            self.walkers.append(
                _Walker(
                    face=face,
                    scale=scale,
                    x0=left + c * cw + rng.uniform(0, max(1.0, cw - pw)),
                    y0=top + r * ch + rng.uniform(0, max(1.0, ch - ph)),
                    vx=rng.uniform(-1.0, 1.0) * unit,
                    vy=rng.uniform(-0.4, 0.4) * unit,
                    span=rng.uniform(20, 60) * unit,
                )
            )
        self.walkers.sort(key=lambda w: w.scale * (w.face.box[2] - w.face.box[0]))
        # Camera: pan + one quick swing + hand shake + zoom.
        self._pan = rng.uniform(-1, 1, 2) * np.array([width, height]) * 0.12
        self._swing_at = rng.uniform(0.3, 0.7) * self.frames
        self._swing = rng.uniform(-1, 1, 2) * np.array([width, height]) * 0.1
        self._shake = [
            (rng.uniform(2, 10) * unit, rng.uniform(1.5, 5.0), rng.uniform(0, 2 * math.pi), axis)
            for axis in (0, 1, 0, 1, 0, 1)
        ]
        self._jitter = rng.normal(0, 1.5 * unit, (self.frames, 2))
        self._zoom_period = rng.uniform(2.0, 5.0) * fps
        self._zoom_phase = rng.uniform(0, 2 * math.pi)

    def camera(self, n: int) -> tuple[float, float, float]:
        """Return the scene point at the frame centre and the zoom at frame n."""
        t = n / self.fps
        u = n / max(1, self.frames - 1)
        cx = self.scene_w / 2 + self._pan[0] * math.sin(math.pi * u)
        cy = self.scene_h / 2 + self._pan[1] * math.sin(math.pi * u)
        swing = 1 / (1 + math.exp(-(n - self._swing_at) / 4))  # half a second, logistic
        cx += self._swing[0] * swing
        cy += self._swing[1] * swing
        for amp, freq, phase, axis in self._shake:
            d = amp * math.sin(2 * math.pi * freq * t + phase)
            cx, cy = (cx + d, cy) if axis == 0 else (cx, cy + d)
        jx, jy = self._jitter[min(n, len(self._jitter) - 1)]
        phase = 2 * math.pi * n / self._zoom_period + self._zoom_phase
        zoom = 1 + (ZOOM_MAX - 1) * (0.5 - 0.5 * math.cos(phase))
        return cx + jx, cy + jy, zoom

    def _walker_at(self, w: _Walker, n: int) -> tuple[float, float]:
        # Walk back and forth over `span` scene pixels.
        d = abs(((n * math.hypot(w.vx, w.vy)) % (2 * w.span)) - w.span) - w.span / 2
        norm = math.hypot(w.vx, w.vy) or 1.0
        return w.x0 + d * w.vx / norm, w.y0 + d * w.vy / norm

    def frame(self, n: int) -> tuple[np.ndarray, list[tuple[float, float, float, float]]]:
        """Return frame n (BGR) and the face boxes in it, in frame pixels (may leave the frame)."""
        img, boxes, _patches = self.render(n)
        return img, boxes

    def render(
        self, n: int
    ) -> tuple[
        np.ndarray, list[tuple[float, float, float, float]], list[tuple[int, int, int, int]]
    ]:
        """Return frame n, its face boxes and the frame rectangle each face's patch covers."""
        cx, cy, zoom = self.camera(n)
        m = np.array(
            [[zoom, 0, self.width / 2 - zoom * cx], [0, zoom, self.height / 2 - zoom * cy]]
        )
        img = cv2.warpAffine(
            self.backdrop,
            m,
            (self.width, self.height),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REFLECT,
        )
        boxes = []
        patches = []
        for w in self.walkers:
            sx, sy = self._walker_at(w, n)
            k = w.scale * zoom
            ph, pw = w.face.image.shape[:2]
            size = (max(1, round(pw * k)), max(1, round(ph * k)))
            x = round(self.width / 2 + zoom * (sx - cx))
            y = round(self.height / 2 + zoom * (sy - cy))
            sprite = cv2.resize(w.face.image, size, interpolation=cv2.INTER_AREA)
            # Paste the part inside the frame.
            fx1, fy1 = max(0, x), max(0, y)
            fx2, fy2 = min(self.width, x + size[0]), min(self.height, y + size[1])
            if fx2 > fx1 and fy2 > fy1:
                img[fy1:fy2, fx1:fx2] = sprite[fy1 - y : fy2 - y, fx1 - x : fx2 - x]
            patches.append((fx1, fy1, fx2, fy2))
            kx, ky = size[0] / pw, size[1] / ph
            bx1, by1, bx2, by2 = w.face.box
            boxes.append((x + bx1 * kx, y + by1 * ky, x + bx2 * kx, y + by2 * ky))
        return img, boxes, patches

    def write(self, path: Path, crf: int = 16) -> Path:
        """Encode the clip as H.264 (high quality, no audio) to ``path``."""
        with av.open(str(path), mode="w") as out:
            video = out.add_stream(
                "libx264", rate=self.fps, options={"crf": str(crf), "preset": "veryfast"}
            )
            video.width, video.height, video.pix_fmt = self.width, self.height, "yuv420p"
            for n in range(self.frames):
                img, _ = self.frame(n)
                out.mux(video.encode(av.VideoFrame.from_ndarray(img, format="bgr24")))
            out.mux(video.encode(None))
        return path


@dataclass
class LeakScore:
    """Face-frames of a solid-mask output, and those that leaked."""

    face_frames: int = 0
    leaked: int = 0
    leaked_small: int = 0  # of faces under 20 px wide
    small_frames: int = 0
    worst: float = 1.0

    def as_dict(self) -> dict[str, float]:
        """Return the score as plain data."""
        return dict(self.__dict__)


def leaks(clip: FaceClip, path: Path) -> LeakScore:
    """Count the face-frames of ``path`` (a solid black mask output) that leak."""
    score = LeakScore()
    with av.open(str(path)) as c:
        stream = c.streams.video[0]
        stream.thread_type = "AUTO"
        for n, frame in enumerate(c.decode(stream)):
            if n >= clip.frames:
                break
            out = frame.to_ndarray(format="bgr24")
            src, boxes, patches = clip.render(n)
            occluded = np.zeros(src.shape[:2], bool)
            # Faces are drawn smallest first: a later patch hides earlier faces,
            # whose hidden pixels nobody can be asked to mask.
            for i in range(len(boxes) - 1, -1, -1):
                x1, y1, x2, y2 = boxes[i]
                ix1, iy1 = max(0, math.floor(x1)), max(0, math.floor(y1))
                ix2, iy2 = min(clip.width, math.ceil(x2)), min(clip.height, math.ceil(y2))
                full = (math.ceil(x2) - math.floor(x1)) * (math.ceil(y2) - math.floor(y1))
                sl = np.s_[iy1:iy2, ix1:ix2]
                eligible = (src[sl].max(axis=2) >= SOURCE_MIN) & ~occluded[sl]
                px1, py1, px2, py2 = patches[i]
                if px2 > px1 and py2 > py1:
                    occluded[py1:py2, px1:px2] = True
                if x2 - x1 < MIN_WIDTH or ix2 <= ix1 or iy2 <= iy1:
                    continue
                # Mostly outside the picture, behind another face, or dark already.
                if (ix2 - ix1) * (iy2 - iy1) < MIN_VISIBLE * full:
                    continue
                if eligible.sum() < 0.3 * eligible.size:
                    continue
                dark = out[sl].max(axis=2) <= COVERED_MAX
                share = float((eligible & dark).sum() / eligible.sum())
                small = x2 - x1 < 20
                score.face_frames += 1
                score.small_frames += small
                score.worst = min(score.worst, share)
                if share < HIDDEN:
                    score.leaked += 1
                    score.leaked_small += small
    return score
