"""Read licence plates in still images and in video.

Stages, cheapest first: motion gating (video only) picks the regions that
changed; the candidate finder looks for plate-shaped text there; each candidate
is rectified to an upright crop and, only then, recognised by the OCR model; the
grammars turn the raw text into a plate. In video, candidates are tracked so that
one vehicle is read a few times, not in every frame, and its reads are voted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from scape.vision.plates.config import ReaderConfig
from scape.vision.plates.detect import (
    Box,
    Candidate,
    Rectified,
    _nested,
    find_candidates,
    iou,
    point_in_zone,
    rectify,
    zone_bounds,
)
from scape.vision.plates.grammar import GAP_CHARS, parse_plate
from scape.vision.plates.ocr import TextRead, recognise
from scape.vision.plates.voting import PlateRead, Track, edit_distance, vote

# A corrected character is less certain than one read as it is.
CORRECTED_WEIGHT = 0.7
# A read that fits no national grammar must be this confident to be kept.
UNKNOWN_MIN_CONFIDENCE = 0.85
# Candidates read in an image where none showed a plate outline.
FALLBACK_CANDIDATES = 2
# A track whose first reads are all junk is not a plate: stop spending OCR on it.
MAX_FAILED_READS = 3
# When two reads of one plate compete, each grammar cost point weighs this much.
RANK_COST_FACTOR = 0.85


def to_read(
    text: TextRead,
    rect: Rectified,
    hint: str | None,
    *,
    frame: int = 0,
    time_s: float = 0.0,
) -> PlateRead | None:
    """Turn one recognised crop into a plate read, or None when it is no plate."""
    scored = _to_scored_read(text, rect, hint, frame=frame, time_s=time_s)
    return scored[0] if scored is not None else None


def _to_scored_read(
    text: TextRead,
    rect: Rectified,
    hint: str | None,
    *,
    frame: int = 0,
    time_s: float = 0.0,
) -> tuple[PlateRead, float] | None:
    """Return ``to_read``'s read with the grammar cost of its fit."""
    confidences = text.char_confidences if len(text.char_confidences) == len(text.text) else None
    parsed = parse_plate(text.text, hint=hint, confidences=confidences)
    if parsed is None:
        return None
    if parsed.country is None and (text.confidence < UNKNOWN_MIN_CONFIDENCE or not rect.has_band):
        return None
    # Without a plate outline around it, only text that fits a national format
    # cleanly is trusted to be a plate.
    if not rect.fitted and (parsed.kind == "personalised" or parsed.cost > 1.0):
        return None
    # One to three characters (LV "A-1") are easily found in a grille or a
    # badge: such short plates need the band to count.
    if len(parsed.plate) < 4 and not rect.has_band:
        return None
    confs = []
    upper = text.text.upper()
    for ch, src in zip(parsed.plate, parsed.sources, strict=False):
        c = text.char_confidences[src] if src < len(text.char_confidences) else text.confidence
        confs.append(c if upper[src] == ch else c * CORRECTED_WEIGHT)
    # A symbol read between the plate's characters stands for a character that
    # could not be read: its (low) confidence counts against the read.
    junk = []
    if parsed.sources and confidences is not None:
        kept = set(parsed.sources)
        for i in range(parsed.sources[0], parsed.sources[-1]):
            if i not in kept and upper[i] not in GAP_CHARS:
                junk.append(confidences[i])
    confidence = float(np.mean(confs + junk)) if confs else text.confidence
    # Each correction or trimmed character lowers the trust in the read.
    confidence *= 0.95**parsed.cost
    read = PlateRead(
        plate=parsed.plate,
        text=parsed.text,
        country=parsed.country,
        kind=parsed.kind,
        confidence=confidence,
        box=rect.box,
        frame=frame,
        time_s=time_s,
        char_confidences=tuple(confs),
        crop=rect.image,
    )
    return read, parsed.cost


class PlateReader:
    """Read LT/LV (and, as unknown, foreign) plates in images and videos.

    One reader may serve many images and videos one after another; each thread
    should use its own reader (the OCR engines are per thread anyway).
    """

    def __init__(self, config: ReaderConfig | None = None) -> None:
        self.config = config or ReaderConfig()

    def candidates(self, frame_bgr: np.ndarray, roi: Box | None = None) -> list[Candidate]:
        """Return plate candidates inside the zone (and ``roi``), best first."""
        cfg = self.config
        h, w = frame_bgr.shape[:2]
        zb = zone_bounds(cfg.zone, w, h)
        if roi is not None:
            zb = (max(zb[0], roi[0]), max(zb[1], roi[1]), min(zb[2], roi[2]), min(zb[3], roi[3]))
        if zb[2] - zb[0] < 8 or zb[3] - zb[1] < 8:
            return []
        found = find_candidates(frame_bgr, cfg.detect, roi=zb)
        return [
            c
            for c in found
            if point_in_zone(cfg.zone, (c.box[0] + c.box[2]) / 2, (c.box[1] + c.box[3]) / 2)
        ]

    def plates(self, frame_bgr: np.ndarray, cands: list[Candidate]) -> list[Rectified]:
        """Rectify candidates and keep one per plate: the most plate-like.

        A plate can be found whole and as its separate words, and at two scales;
        the candidate with the blue band, then with a plate outline, then the
        largest, stands for it.
        """
        cfg = self.config
        rects = [rectify(frame_bgr, c.box, cfg.ocr_height) for c in cands]
        if cfg.detect.require_outline:
            rects = [r for r in rects if r.fitted]
        rects.sort(key=lambda r: (r.has_band, r.fitted, _area(r.box)), reverse=True)
        kept: list[Rectified] = []
        for r in rects:
            if all(iou(r.box, k.box) <= 0.1 for k in kept):
                kept.append(r)
        return kept

    def read_rectified(
        self, rects: list[Rectified], *, frame: int = 0, time_s: float = 0.0
    ) -> list[PlateRead | None]:
        """Read each rectified crop in one OCR batch; return a read (or None) per crop."""
        cfg = self.config
        texts = recognise([r.text_image for r in rects], cfg.ocr_threads)
        out: list[PlateRead | None] = []
        for text, rect in zip(texts, rects, strict=True):
            read = to_read(text, rect, cfg.country_hint, frame=frame, time_s=time_s)
            out.append(read if read is not None and read.confidence >= cfg.min_confidence else None)
        return out

    def read_image(self, frame_bgr: np.ndarray) -> list[PlateRead]:
        """Return the plates read in one image, most confident first.

        Candidates are read one at a time, the most plate-like first (with the
        blue band, then the largest outline), and a candidate that overlaps a
        plate already read cleanly is skipped: one word of a plate, or the same
        plate found at another scale, costs no second OCR run.
        """
        cfg = self.config
        cands = self.candidates(frame_bgr)
        rects = [rectify(frame_bgr, c.box, cfg.ocr_height) for c in cands]
        fallback: list[Rectified] = []
        if cfg.detect.require_outline:
            # Small blurred plates can lose their outline: when nothing with an
            # outline reads as a plate, the best few others are still read (the
            # grammar is stricter for them, see to_read).
            for r in rects:
                if r.fitted or len(fallback) >= FALLBACK_CANDIDATES:
                    continue
                # One sign found at two scales is one fallback, not two.
                if all(iou(r.box, f.box) < 0.3 and not _nested(r.box, f.box) for f in fallback):
                    fallback.append(r)
            rects = [r for r in rects if r.fitted]
        rects.sort(key=lambda r: (r.has_band, r.fitted, _area(r.box)), reverse=True)
        kept = self._read_in_order(rects)
        if not kept and fallback:
            kept = self._read_in_order(fallback)
        kept.sort(key=lambda r: r.confidence, reverse=True)
        return kept

    def _read_in_order(self, rects: list[Rectified]) -> list[PlateRead]:
        cfg = self.config
        kept: list[tuple[PlateRead, float]] = []
        for rect in rects:
            if any(iou(rect.box, k.box) > 0.1 for k, _ in kept if k.kind != "unknown"):
                continue
            text = recognise([rect.text_image], cfg.ocr_threads)[0]
            scored = _to_scored_read(text, rect, cfg.country_hint)
            if scored is None or scored[0].confidence < cfg.min_confidence:
                continue
            read = scored[0]
            clash = next((i for i, (k, _) in enumerate(kept) if iou(read.box, k.box) > 0.1), None)
            if clash is None:
                kept.append(scored)
            elif _rank(*scored) > _rank(*kept[clash]):
                kept[clash] = scored
        return [k for k, _ in kept]

    def session(self, fps: float = 25.0) -> VideoSession:
        """Return a fresh per-video state to feed frames into."""
        return VideoSession(self, fps)

    def read_video(self, path: str | Path) -> Iterator[PlateRead]:
        """Yield one voted read per vehicle seen in the video at ``path``."""
        import av

        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            fps = float(stream.average_rate) if stream.average_rate else 25.0
            session = self.session(fps)
            for index, frame in enumerate(container.decode(stream)):
                time_s = float(frame.time) if frame.time is not None else index / fps
                yield from session.feed(frame.to_ndarray(format="bgr24"), index, time_s)
            yield from session.close()


@dataclass
class _Pending:
    reads: list[PlateRead]
    voted: PlateRead
    last_frame: int


@dataclass
class VideoSession:
    """Motion gating, tracking and voting state for one video."""

    reader: PlateReader
    fps: float = 25.0
    _prev: np.ndarray | None = None
    _tracks: list[Track] = field(default_factory=list)
    _pending: list[_Pending] = field(default_factory=list)
    _failed: dict[int, int] = field(default_factory=dict)
    _next_id: int = 1

    def _moving_regions(self, frame_bgr: np.ndarray, index: int) -> list[Box]:
        """Return the boxes (frame pixels) of what moved since the previous frame."""
        cfg = self.reader.config.motion
        h, w = frame_bgr.shape[:2]
        small = cv2.resize(
            frame_bgr, None, fx=cfg.scale, fy=cfg.scale, interpolation=cv2.INTER_AREA
        )
        small = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (3, 3), 0)
        prev, self._prev = self._prev, small
        if cfg.full_scan_every and index % cfg.full_scan_every == 0:
            return [(0, 0, w, h)]
        if prev is None or prev.shape != small.shape:
            return []
        diff = cv2.absdiff(small, prev)
        _, mask = cv2.threshold(diff, cfg.threshold, 255, cv2.THRESH_BINARY)
        mask = cv2.dilate(mask, np.ones((3, 3), np.uint8), iterations=2)
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        min_area = cfg.min_area_fraction * small.shape[0] * small.shape[1]
        # A plate may sit at the edge of what moved: grow each region by a plate height.
        pad = self.reader.config.detect.max_plate_height // 2
        boxes = []
        for c in contours:
            if cv2.contourArea(c) < min_area:
                continue
            x, y, bw, bh = cv2.boundingRect(c)
            boxes.append(
                (
                    max(0, int(x / cfg.scale) - pad),
                    max(0, int(y / cfg.scale) - pad),
                    min(w, int((x + bw) / cfg.scale) + pad),
                    min(h, int((y + bh) / cfg.scale) + pad),
                )
            )
        return _merge_boxes(boxes)

    def feed(self, frame_bgr: np.ndarray, index: int, time_s: float) -> list[PlateRead]:
        """Process one frame; return the vehicles whose reads are final now."""
        reader = self.reader
        tcfg = reader.config.track
        regions = self._moving_regions(frame_bgr, index)
        # Tracked plates are looked for again where they should be, moving or not.
        for t in self._tracks:
            x1, y1, x2, y2 = t.predicted(index)
            m = y2 - y1
            regions.append((x1 - 2 * m, y1 - m, x2 + 2 * m, y2 + m))
        regions = _merge_boxes(regions)
        cands: list[Candidate] = []
        for roi in regions:
            cands.extend(reader.candidates(frame_bgr, roi))
        plates = reader.plates(frame_bgr, cands)
        matched: set[int] = set()
        wanted: list[tuple[Track, Rectified]] = []
        for rect in plates:
            track = self._match(rect.box, index, matched)
            if track is None:
                track = Track(self._next_id, rect.box, index, index)
                self._next_id += 1
                self._tracks.append(track)
            else:
                track.update(rect.box, index)
            matched.add(track.track_id)
            if self._wants_ocr(track, index):
                wanted.append((track, rect))
        if wanted:
            reads = reader.read_rectified([r for _, r in wanted], frame=index, time_s=time_s)
            for (track, _), read in zip(wanted, reads, strict=True):
                track.last_ocr_frame = index
                if read is None:
                    self._failed[track.track_id] = self._failed.get(track.track_id, 0) + 1
                else:
                    track.reads.append(read)
        done = [t for t in self._tracks if index - t.last_frame > tcfg.max_gap_frames]
        self._tracks = [t for t in self._tracks if t not in done]
        for t in done:
            self._close_track(t)
        return self._emit(index)

    def close(self) -> list[PlateRead]:
        """Finish the video: close every track and return the remaining vehicles."""
        for t in self._tracks:
            self._close_track(t)
        self._tracks = []
        return self._emit(None)

    def _match(self, box: Box, index: int, taken: set[int]) -> Track | None:
        best, best_iou = None, self.reader.config.track.min_iou
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        for t in self._tracks:
            if t.track_id in taken:
                continue
            p = t.predicted(index)
            overlap = iou(box, p)
            px, py = (p[0] + p[2]) / 2, (p[1] + p[3]) / 2
            # Small fast plates may not overlap their last box: accept a near centre too.
            near = abs(cx - px) < (p[2] - p[0]) * 0.6 and abs(cy - py) < (p[3] - p[1]) * 0.8
            score = max(overlap, 0.5 * best_iou + 1e-6 if near else 0.0)
            if score >= best_iou and (best is None or score > best[1]):
                best = (t, score)
        return best[0] if best else None

    def _wants_ocr(self, track: Track, index: int) -> bool:
        tcfg = self.reader.config.track
        if index - track.last_ocr_frame < tcfg.ocr_every:
            return False
        if len(track.reads) >= tcfg.max_reads:
            return False
        if not track.reads and self._failed.get(track.track_id, 0) >= MAX_FAILED_READS:
            return False
        return not track.settled(tcfg.settle_reads, tcfg.settle_confidence)

    def _close_track(self, track: Track) -> None:
        self._failed.pop(track.track_id, None)
        tcfg = self.reader.config.track
        if len(track.reads) < tcfg.min_votes:
            return
        voted = vote(track.reads)
        for p in self._pending:
            if (
                track.first_frame - p.last_frame <= tcfg.merge_window_frames
                and edit_distance(p.voted.plate, voted.plate) <= tcfg.merge_distance
            ):
                p.reads.extend(track.reads)
                p.voted = vote(p.reads)
                p.last_frame = max(p.last_frame, track.last_frame)
                return
        self._pending.append(_Pending(list(track.reads), voted, track.last_frame))

    def _emit(self, index: int | None) -> list[PlateRead]:
        window = self.reader.config.track.merge_window_frames
        out, keep = [], []
        for p in self._pending:
            # A live track that began soon after may still turn out to be this
            # vehicle (its track broke): hold the read until that is known.
            waiting = any(t.first_frame - p.last_frame <= window for t in self._tracks)
            if index is None or (index - p.last_frame > window and not waiting):
                out.append(p.voted)
            else:
                keep.append(p)
        self._pending = keep
        return out


def _rank(read: PlateRead, cost: float) -> float:
    return read.confidence * RANK_COST_FACTOR**cost


def _area(box: Box) -> int:
    return (box[2] - box[0]) * (box[3] - box[1])


def _merge_boxes(boxes: list[Box]) -> list[Box]:
    """Merge overlapping boxes until none overlap."""
    boxes = list(boxes)
    merged = True
    while merged:
        merged = False
        out: list[Box] = []
        for b in boxes:
            for i, o in enumerate(out):
                if b[0] <= o[2] and o[0] <= b[2] and b[1] <= o[3] and o[1] <= b[3]:
                    out[i] = (min(b[0], o[0]), min(b[1], o[1]), max(b[2], o[2]), max(b[3], o[3]))
                    merged = True
                    break
            else:
                out.append(b)
        boxes = out
    return boxes
