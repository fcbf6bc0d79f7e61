"""Join sparse detections into tracks and give every frame its boxes.

Detectors run on every Nth frame only. The tracker links the detections of
consecutive detection frames into tracks (overlap with, or nearness to, where
the track's motion predicts the object), then answers for any frame:

* between two detections of a track: the box linearly interpolated, padded
  by how far the object could have strayed from that line at its speed;
* up to ``hold_frames`` after the last or before the first detection: the
  box carried on at the track's speed (or held still), slowly growing;
* across up to ``max_gap_frames`` of missed detections: interpolated, so a
  face the detector misses for a while stays covered without flicker.

Because a later detection can still change an earlier frame's boxes (the
start of a new track reaches back ``hold_frames``; a re-found track fills its
gap), a frame's boxes are final only ``latency`` frames after it. The
redactor keeps that many frames in a lookahead buffer before encoding them.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import numpy as np

from scape.vision.config import TrackConfig


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


def _grow(box: np.ndarray, factor: float) -> np.ndarray:
    if factor == 1.0:
        return box
    c = _centre(box)
    half = (box[2:] - box[:2]) * factor / 2
    return np.concatenate([c - half, c + half])


def iou(a: np.ndarray, b: np.ndarray) -> float:
    """Return the intersection over union of two boxes."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


class Tracker:
    """Track one kind of object through the detections of a video."""

    def __init__(self, config: TrackConfig | None = None) -> None:
        self.config = config or TrackConfig()
        self.tracks: list[Track] = []

    @property
    def latency(self) -> int:
        """Return how many frames after a frame its boxes may still change."""
        return max(self.config.hold_frames, self.config.max_gap_frames)

    def update(self, frame: int, detections: np.ndarray) -> None:
        """Add the (N, 5) detections (x1, y1, x2, y2, score) made on ``frame``."""
        cfg = self.config
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
        # Greedy on cost is enough here: objects of one kind rarely cross
        # within the few frames between two detections.
        pairs.sort()
        used_tracks: set[int] = set()
        used_dets: set[int] = set()
        for _cost, ti, di in pairs:
            if ti in used_tracks or di in used_dets:
                continue
            used_tracks.add(ti)
            used_dets.add(di)
            det = detections[di]
            live[ti].add(frame, np.asarray(det[:4], dtype=np.float64), float(det[4]))
        for di, det in enumerate(detections):
            if di not in used_dets:
                track = Track()
                track.add(frame, np.asarray(det[:4], dtype=np.float64), float(det[4]))
                self.tracks.append(track)

    def boxes_at(self, frame: int) -> list[tuple[np.ndarray, float]]:
        """Return the (box, score) of every track present at ``frame``."""
        cfg = self.config
        out = []
        for track in self.tracks:
            frames = track.frames
            i = bisect_right(frames, frame)
            if i == 0:
                # Before the first detection: reach back, the object was
                # probably there already and simply not detected yet.
                d = frames[0] - frame
                if d > cfg.hold_frames:
                    continue
                shift = -track.velocity(at_end=False) * d
                box = _grow(track.boxes[0] + np.tile(shift, 2), 1 + cfg.grow_per_frame * d)
                out.append((box, track.scores[0]))
            elif i == len(frames):
                d = frame - frames[-1]
                if d > cfg.hold_frames:
                    continue
                box = _grow(track.predict(frame), 1 + cfg.grow_per_frame * d)
                out.append((box, track.scores[-1]))
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
                out.append((box, min(track.scores[i - 1 : i + 1])))
        return out

    def forget(self, before: int) -> None:
        """Drop tracks that can no longer touch frames from ``before`` on."""
        keep = self.latency
        self.tracks = [t for t in self.tracks if t.frames[-1] + keep >= before]
