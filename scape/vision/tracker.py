"""Join sparse detections into tracks and give every frame its boxes.

Detectors run on every Nth frame only. The tracker links the detections of
consecutive detection frames into tracks (overlap with, or nearness to, where
the track's motion predicts the object), then answers for any frame:

* between two detections of a track: the box linearly interpolated, padded
  by how far the object could have strayed from that line at its speed;
* up to ``hold_frames`` after the last or before the first detection: the
  box stretched from where the track was seen to where its speed would
  carry it (the speed of a few detections of a small face is mostly their
  jitter, so neither end alone is safe), slowly growing;
* across up to ``max_gap_frames`` of missed detections: interpolated, so a
  face the detector misses for a while stays covered without flicker.

Because a later detection can still change an earlier frame's boxes (the
start of a new track reaches back ``hold_frames``; a re-found track fills its
gap), a frame's boxes are final only ``latency`` frames after it. The
redactor keeps that many frames in a lookahead buffer before encoding them.

Camera motion: a body camera shakes, pans and zooms, so a face can jump by
more than its own width between two detections while the person stands
still. :class:`CameraMotion` estimates the global shift and zoom of every
frame (corners followed on a tiny luma picture, and phase correlation, about
two milliseconds a frame) and the tracker, when given them, interpolates and
holds boxes in *scene* coordinates (shake and zoom taken out), then puts them
back for the frame asked. The redactor also runs the detector sooner when the
picture moves or changes in a way a shift cannot explain (a cut, blur).

For the custodian's review, :meth:`Tracker.review_at` says why a frame's
boxes deserve a look: a track starts or ends there, a box rests on a weak
detection, or a box is held without a detection behind it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import cv2
import numpy as np

from scape.vision.config import TrackConfig
from scape.vision.geometry import greedy_pairs, iou

# Review reasons, in the order they are listed (see scape.vision.boxes).
TRACK_START = "track_start"
TRACK_END = "track_end"
LOW_SCORE = "low_score"
HELD = "held"
REVIEW_REASONS = (TRACK_START, TRACK_END, LOW_SCORE, HELD)


@dataclass
class Track:
    """Detections of one object: frame numbers, boxes (x1, y1, x2, y2) and scores."""

    frames: list[int] = field(default_factory=list)
    boxes: list[np.ndarray] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)

    def add(self, frame: int, box: np.ndarray, score: float) -> None:
        """Append a detection (frames arrive in increasing order)."""
        self.frames.append(frame)
        self.boxes.append(box)
        self.scores.append(score)

    def velocity(self, at_end: bool) -> np.ndarray:
        """Return the per-frame motion of the box centre at one end of the track."""
        if len(self.frames) < 2:
            return np.zeros(2)
        i, j = (-2, -1) if at_end else (0, 1)
        dt = self.frames[j] - self.frames[i]
        return (_centre(self.boxes[j]) - _centre(self.boxes[i])) / dt

    def speed_around(self, segment: int) -> np.ndarray:
        """Return the largest per-axis centre speed over a segment and its neighbours.

        Segment ``k`` runs from detection ``k`` to detection ``k + 1``.
        """
        lo, hi = max(0, segment - 1), min(len(self.frames) - 2, segment + 1)
        speed = np.zeros(2)
        for k in range(lo, hi + 1):
            dt = self.frames[k + 1] - self.frames[k]
            step = np.abs(_centre(self.boxes[k + 1]) - _centre(self.boxes[k])) / dt
            speed = np.maximum(speed, step)
        return speed

    def predict(self, frame: int) -> np.ndarray:
        """Return the box expected at a frame after the last detection."""
        shift = self.velocity(at_end=True) * (frame - self.frames[-1])
        return self.boxes[-1] + np.tile(shift, 2)


def _centre(box: np.ndarray) -> np.ndarray:
    return (box[:2] + box[2:]) / 2


def _union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.concatenate([np.minimum(a[:2], b[:2]), np.maximum(a[2:], b[2:])])


def _grow(box: np.ndarray, factor: float) -> np.ndarray:
    if factor == 1.0:
        return box
    c = _centre(box)
    half = (box[2:] - box[:2]) * factor / 2
    return np.concatenate([c - half, c + half])


class Tracker:
    """Track one kind of object through the detections of a video."""

    def __init__(self, config: TrackConfig | None = None) -> None:
        self.config = config or TrackConfig()
        self.tracks: list[Track] = []
        # Camera shift per frame (see set_camera) and the frames detected on.
        self.camera: dict[int, np.ndarray] = {}
        self.detected_on: list[int] = []

    @property
    def latency(self) -> int:
        """Return how many frames after a frame its boxes may still change."""
        return max(self.config.hold_frames, self.config.max_gap_frames)

    def update(self, frame: int, detections: np.ndarray) -> None:
        """Add the (N, 5) detections (x1, y1, x2, y2, score) made on ``frame``."""
        cfg = self.config
        self.detected_on.append(frame)
        # Scene coordinates: the camera's shift at this frame taken out.
        detections = np.array(detections, dtype=np.float64).reshape(-1, 5)
        detections[:, :4] = self._to_scene(frame, detections[:, :4])
        live = [
            t
            for t in self.tracks
            if t.frames[-1] < frame and frame - t.frames[-1] <= cfg.max_gap_frames
        ]
        pairs = []
        for ti, track in enumerate(live):
            pred = track.predict(frame)
            size = float(max(pred[2] - pred[0], pred[3] - pred[1], 1.0))
            for di, det in enumerate(detections):
                overlap = iou(pred, det[:4])
                dist = float(np.linalg.norm(_centre(pred) - _centre(det[:4]))) / size
                if overlap >= cfg.match_iou or dist <= cfg.max_center_shift:
                    pairs.append((1.0 - overlap + dist, ti, di))
        used_dets: set[int] = set()
        for ti, di in greedy_pairs(pairs):
            used_dets.add(di)
            det = detections[di]
            live[ti].add(frame, np.asarray(det[:4], dtype=np.float64), float(det[4]))
        for di, det in enumerate(detections):
            if di not in used_dets:
                track = Track()
                track.add(frame, np.asarray(det[:4], dtype=np.float64), float(det[4]))
                self.tracks.append(track)

    def set_camera(self, frame: int, position: tuple[float, float], zoom: float = 1.0) -> None:
        """Record the camera's cumulative shift (x, y) in source pixels and zoom at ``frame``.

        A point of the scene at ``p`` is at ``zoom * p + position`` in the
        frame (see :class:`CameraMotion`). Once given, detections are tracked
        in scene coordinates: the camera's shift and zoom at their frame are
        taken out, and put back for the frame asked, so a face near the edge
        of a zooming picture stays in its held box. Frames must be given in
        order, before any detection on them.
        """
        self.camera[frame] = np.array([position[0], position[1], zoom], dtype=np.float64)

    def _to_scene(self, frame: int, boxes: np.ndarray) -> np.ndarray:
        cam = self.camera.get(frame)
        if cam is None:
            return boxes
        return (boxes - np.tile(cam[:2], 2)) / cam[2]

    def _to_frame(self, frame: int, box: np.ndarray) -> np.ndarray:
        cam = self.camera.get(frame)
        if cam is None:
            return box
        return box * cam[2] + np.tile(cam[:2], 2)

    def boxes_at(self, frame: int, *, stretch: bool = True) -> list[tuple[np.ndarray, float]]:
        """Return the (box, score) of every track present at ``frame``.

        A box held past a track's ends covers both where the track was seen and
        where its speed would carry it; ``stretch=False`` gives the carried box
        alone, the size of the face (what a closer look is scaled by).
        """
        return [(box, score) for box, score, _state in self._boxes(frame, stretch)]

    def review_at(self, frame: int) -> set[str]:
        """Return why a person should check ``frame`` (empty when nothing stands out).

        ``track_start`` and ``track_end``: the frame is held before a track's
        first or after its last detection (a face may be there but unseen
        beyond the hold, or the box may be late); ``low_score``: a box rests
        on a detection scored under ``low_score``; ``held``: a box is kept on
        this frame although the detector missed it on a detection frame
        since or before (masks stay on through a miss, but a person should
        see that nothing confirmed them).
        """
        reasons: set[str] = set()
        for _box, score, state in self._boxes(frame):
            if state != "detected" and state != "between":
                reasons.add(state)
            if score < self.config.low_score:
                reasons.add(LOW_SCORE)
        return reasons

    def _boxes(self, frame: int, stretch: bool = True) -> list[tuple[np.ndarray, float, str]]:
        cfg = self.config
        out = []
        for track in self.tracks:
            frames = track.frames
            i = bisect_right(frames, frame)
            if i and frames[i - 1] == frame:
                out.append((track.boxes[i - 1], track.scores[i - 1], "detected"))
                continue
            if i == 0:
                # Before the first detection: reach back, the object was
                # probably there already and simply not detected yet.
                d = frames[0] - frame
                if d > cfg.hold_frames:
                    continue
                shift = -track.velocity(at_end=False) * d
                box = track.boxes[0] + np.tile(shift, 2)
                box = _union(track.boxes[0], box) if stretch else box
                box = _grow(box, 1 + cfg.grow_per_frame * d)
                out.append((box, track.scores[0], TRACK_START))
            elif i == len(frames):
                d = frame - frames[-1]
                if d > cfg.hold_frames:
                    continue
                box = track.predict(frame)
                box = _union(track.boxes[-1], box) if stretch else box
                box = _grow(box, 1 + cfg.grow_per_frame * d)
                out.append((box, track.scores[-1], TRACK_END))
            else:
                f0, f1 = frames[i - 1], frames[i]
                t = (frame - f0) / (f1 - f0)
                box = track.boxes[i - 1] * (1 - t) + track.boxes[i] * t
                d = min(frame - f0, f1 - frame)
                # A straight line between two detections cuts corners when the
                # object turns (a head that stops and comes back can look still
                # at both ends); pad by how far it could have moved meanwhile
                # at the speed it had around this stretch.
                pad = track.speed_around(i - 1) * d
                box = _grow(box, 1 + cfg.grow_per_frame * d) + np.concatenate([-pad, pad])
                # A detection frame between the two where this track was not
                # found: the box bridges a miss.
                missed = any(f0 < f < f1 for f in self.detected_on[-64:])
                state = HELD if missed else "between"
                out.append((box, min(track.scores[i - 1 : i + 1]), state))
        return [(self._to_frame(frame, box), score, state) for box, score, state in out]

    def forget(self, before: int) -> None:
        """Drop tracks that can no longer touch frames from ``before`` on."""
        keep = self.latency
        self.tracks = [t for t in self.tracks if t.frames[-1] + keep >= before]
        horizon = before - 2 * keep - 1
        for f in [f for f in self.camera if f < horizon]:
            del self.camera[f]
        self.detected_on = [f for f in self.detected_on if f >= horizon]


class CameraMotion:
    """Estimate the camera's shift and zoom between consecutive frames from their luma.

    The luma plane is shrunk to ``width`` pixels across. Corners found on the
    previous picture are followed into this one (pyramidal Lucas-Kanade) and a
    shift plus zoom fitted to them, outliers (walking people) left out; the
    two pictures are also phase-correlated, whose peak response is near 1 for
    a clean shift and low for a cut or heavy blur, and whose shift stands in
    when too few corners can be followed.

    :meth:`update` returns the camera's cumulative position (source pixels,
    sign as image content moves) and the response; :attr:`zoom` is the
    cumulative magnification. Together they map a point of the first frame
    to the current one: ``p_now = zoom * p_first + position``. A shift alone
    is not enough at the edge of a 720p picture: a 1 % zoom a frame moves a
    face there by 6 px a frame, 60 px over a track's hold.
    """

    # Corners followed per frame, and the fewest that still fit a zoom.
    CORNERS = 100
    MIN_CORNERS = 12
    # A frame-to-frame zoom outside this range is a failed fit, not a zoom.
    MAX_STEP_ZOOM = 1.2

    def __init__(self, width: int = 160) -> None:
        self.width = width
        self._prev: np.ndarray | None = None
        self._window: np.ndarray | None = None
        self.position = np.zeros(2)
        self.zoom = 1.0

    def update(self, luma: np.ndarray) -> tuple[np.ndarray, float]:
        """Feed one frame's luma plane; return (cumulative position, response)."""
        h, w = luma.shape[:2]
        k = self.width / w
        size = (self.width, max(8, round(h * k)))
        small = cv2.resize(luma, size, interpolation=cv2.INTER_AREA)
        if self._prev is None or self._prev.shape != small.shape:
            self._prev = small
            self._window = cv2.createHanningWindow(size, cv2.CV_32F)
            return self.position.copy(), 1.0
        (dx, dy), response = cv2.phaseCorrelate(
            self._prev.astype(np.float32), small.astype(np.float32), self._window
        )
        step = self._fit(self._prev, small)
        self._prev = small
        if step is None:
            a, b = 1.0, np.array([dx, dy]) / k
        else:
            a, b = step[0], step[1] / k
        # p_now = a * p_prev + b, and p_prev = zoom * p_first + position.
        self.zoom *= a
        self.position = a * self.position + b
        return self.position.copy(), float(response)

    def _fit(self, prev: np.ndarray, cur: np.ndarray) -> tuple[float, np.ndarray] | None:
        """Return (zoom, shift) with ``cur = zoom * prev + shift``, or None when unsure."""
        corners = cv2.goodFeaturesToTrack(prev, self.CORNERS, 0.01, 4)
        if corners is None or len(corners) < self.MIN_CORNERS:
            return None
        moved, status, _err = cv2.calcOpticalFlowPyrLK(
            prev, cur, corners, corners.copy(), winSize=(15, 15), maxLevel=3
        )
        ok = status.ravel() == 1
        if ok.sum() < self.MIN_CORNERS:
            return None
        m, inliers = cv2.estimateAffinePartial2D(
            corners[ok], moved[ok], method=cv2.RANSAC, ransacReprojThreshold=0.5
        )
        if m is None or inliers is None or int(inliers.sum()) < self.MIN_CORNERS:
            return None
        a = float(np.sqrt(abs(np.linalg.det(m[:, :2]))))
        if not 1 / self.MAX_STEP_ZOOM < a < self.MAX_STEP_ZOOM:
            return None
        return a, m[:, 2].astype(np.float64)
