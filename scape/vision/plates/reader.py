"""Read licence plates in still images and in video.

Stages, cheapest first: in video, motion gating picks the regions that changed
(and tracked plates are looked for where they should be); the learned text
detector that ships with rapidocr proposes text lines there, at a reduced
resolution; lines that cannot be plates by their shape and colours are dropped
(``propose``), the band is cut off, and each remaining line is recognised whole;
the read is kept if its characters are laid out like a plate's, and the grammars
then only score and annotate it (``grammar``): country and kind when it fits an
LT/LV format, otherwise the read exactly as read, with no country. In video a
plate is tracked so that one vehicle is read a few times, not in every frame,
and its reads are voted.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

import cv2
import numpy as np

from scape.vision.geometry import iou
from scape.vision.plates.config import ReaderConfig
from scape.vision.plates.detect import point_in_zone, zone_bounds
from scape.vision.plates.emblems import not_printed
from scape.vision.plates.glyphs import plain_bars, round_letters
from scape.vision.plates.grammar import parse_plate
from scape.vision.plates.ocr import TextRead, recognise
from scape.vision.plates.propose import (
    Proposal,
    light_ground,
    looks_like_plate,
    merge_lines,
    propose,
)
from scape.vision.plates.textdet import TextBox, detect_text
from scape.vision.plates.voting import PlateRead, Track, edit_distance, vote

Box = tuple[int, int, int, int]
T = TypeVar("T")
# Share of a video read so far, 0 to 1.
Progress = Callable[[float], None]

# A corrected character is less certain than one read as it is.
CORRECTED_WEIGHT = 0.7
# Moving regions merge only while their union stays this close to their area.
MAX_REGION_GROWTH = 1.3
# Frames decoded ahead of the one being read.
DECODE_AHEAD = 2
# A track whose first reads are all junk is not a plate: stop spending OCR on it.
MAX_FAILED_READS = 3


def without_emblems(text: TextRead, image: np.ndarray) -> TextRead:
    """Return ``text`` without the characters read on an emblem or a sticker.

    Judged on the crop's ink alone (``emblems.not_printed``), before and
    whatever any grammar says: a shield read as ``O`` is no character of the
    plate, and no format is looked at to decide it.
    """
    drop = not_printed(image, text.text, text.columns, text.char_confidences)
    if not drop:
        return text
    keep = [i for i in range(len(text.text)) if i not in drop]

    def pick(values: tuple[float, ...] | None) -> tuple[float, ...] | None:
        return None if values is None else tuple(values[i] for i in keep)

    confs = tuple(text.char_confidences[i] for i in keep)
    return TextRead(
        "".join(text.text[i] for i in keep),
        float(np.mean(confs)) if confs else text.confidence,
        confs,
        pick(text.margins),
        pick(text.columns),
    )


def with_plain_bars(text: TextRead, image: np.ndarray) -> TextRead:
    """Return ``text`` with each unsure ``1`` whose stroke is a plain bar read as ``I``.

    Judged on the glyph's shape alone (``glyphs.plain_bars``); the character
    keeps the recogniser's confidence and margin, so it stays unsure.
    """
    sureness: tuple[float, ...] | None = text.char_confidences
    if text.margins is not None and len(text.margins) == len(text.char_confidences):
        sureness = tuple(
            min(c, m) for c, m in zip(text.char_confidences, text.margins, strict=True)
        )
    bars = plain_bars(image, text.text, text.columns, sureness)
    if not bars:
        return text
    chars = "".join("I" if i in bars else ch for i, ch in enumerate(text.text))
    return TextRead(chars, text.confidence, text.char_confidences, text.margins, text.columns)


def with_round_letters(text: TextRead, image: np.ndarray) -> TextRead:
    """Return ``text`` with each ``0`` whose glyph is as wide as an ``O`` read as ``O``.

    Judged on the glyph's shape alone (``glyphs.round_letters``), however sure
    the recogniser was: it reads an ``O`` among digits as a sure ``0``. The
    image and the recogniser disagree there, so the character's margin over
    its look-alike becomes 0: it is unsure, and a grammar may still read it
    ``0`` where only a digit fits a national format.
    """
    rounds = round_letters(image, text.text, text.columns)
    if not rounds:
        return text
    chars = "".join("O" if i in rounds else ch for i, ch in enumerate(text.text))
    margins = text.margins
    if margins is None or len(margins) != len(text.text):
        margins = (1.0,) * len(text.text)
    margins = tuple(0.0 if i in rounds else m for i, m in enumerate(margins))
    return TextRead(chars, text.confidence, text.char_confidences, margins, text.columns)


def to_read(
    text: TextRead,
    prop: Proposal,
    cfg: ReaderConfig,
    *,
    frame: int = 0,
    time_s: float = 0.0,
) -> PlateRead | None:
    """Turn one recognised line into a plate read, or None when it is no plate."""
    text = without_emblems(text, prop.text_image)
    text = with_round_letters(with_plain_bars(text, prop.text_image), prop.text_image)
    raw = text.text.strip()
    confidences = text.char_confidences if len(text.char_confidences) == len(raw) else None
    # How sure the recogniser was of each character against its look-alike:
    # a confident "0" that gave "O" a tenth of the probability is unsure.
    sureness = confidences
    if confidences is not None and text.margins is not None and len(text.margins) == len(raw):
        sureness = tuple(min(c, m) for c, m in zip(confidences, text.margins, strict=True))
    parsed = parse_plate(raw, hint=cfg.country_hint, confidences=sureness)
    if parsed is None:
        return None
    if not looks_like_plate(raw, has_band=prop.has_band, fits=parsed.fits):
        return None
    confs = []
    upper = raw.upper()
    for ch, src in zip(parsed.plate, parsed.sources, strict=True):
        c = confidences[src] if confidences is not None else text.confidence
        confs.append(c if upper[src] == ch else c * CORRECTED_WEIGHT)
    confidence = float(np.mean(confs)) if confs else text.confidence
    needed = cfg.min_confidence if parsed.fits or prop.has_band else cfg.unknown_min_confidence
    if confidence < needed:
        return None
    return PlateRead(
        plate=parsed.plate,
        text=parsed.text,
        country=parsed.country,
        kind=parsed.kind,
        confidence=confidence,
        box=prop.box,
        frame=frame,
        time_s=time_s,
        char_confidences=tuple(confs),
        crop=prop.image,
    )


class PlateReader:
    """Read LT/LV plates, and foreign plates as read, in images and videos.

    One reader may serve many images and videos one after another; each thread
    should use its own reader (the ONNX sessions are per thread anyway).
    """

    def __init__(self, config: ReaderConfig | None = None) -> None:
        self.config = config or ReaderConfig()

    def lines(
        self,
        frame_bgr: np.ndarray,
        roi: Box,
        *,
        scale: float | None = None,
        side: int | None = None,
        box_threshold: float | None = None,
    ) -> list[TextBox]:
        """Return the text lines the detector finds inside ``roi``, in frame pixels."""
        cfg = self.config.propose
        x1, y1, x2, y2 = roi
        if x2 - x1 < 16 or y2 - y1 < 16:
            return []
        crop = frame_bgr[y1:y2, x1:x2]
        found = detect_text(
            crop,
            side=side or cfg.still_side,
            scale=scale,
            threads=self.config.ocr_threads,
            thresh=cfg.threshold,
            box_thresh=cfg.box_threshold if box_threshold is None else box_threshold,
        )
        off = np.array([x1, y1], dtype=np.float32)
        return [TextBox(b.points + off, b.score) for b in found]

    def still_lines(self, frame_bgr: np.ndarray, roi: Box) -> list[TextBox]:
        """Return the text lines of a still: coarse to fine.

        The detector first sees the image scaled to ``still_side`` with a lower
        line threshold; every line it finds lower than ``refine_below`` pixels
        (a small plate is a faint line at that scale) is looked at again at full
        resolution, on a crop around it only. Most of the cost of detecting at
        full resolution is saved, and no small plate is given up for it.
        """
        cfg = self.config.propose
        x1, y1, x2, y2 = roi
        if max(x2 - x1, y2 - y1) <= cfg.still_side:
            return self.lines(frame_bgr, roi)
        coarse = self.lines(frame_bgr, roi, box_threshold=cfg.coarse_box_threshold)
        out: list[TextBox] = []
        regions: list[Box] = []
        for line in coarse:
            bx1, by1, bx2, by2 = line.box
            bh = by2 - by1
            if bh >= cfg.refine_below:
                if line.score >= cfg.box_threshold:
                    out.append(line)
                continue
            m = max(bh, 8)
            regions.append(
                (max(x1, bx1 - 2 * m), max(y1, by1 - m), min(x2, bx2 + 2 * m), min(y2, by2 + m))
            )
        for region in _merge_boxes(regions, MAX_REGION_GROWTH):
            out.extend(self.lines(frame_bgr, region, scale=1.0))
        return out

    def proposals(self, frame_bgr: np.ndarray, lines: list[TextBox]) -> list[Proposal]:
        """Return the lines that may be plates, rectified, inside the zone, best first."""
        cfg = self.config
        light = [line for line in lines if light_ground(frame_bgr, line)]
        props = propose(
            frame_bgr,
            merge_lines(light),
            min_height=cfg.propose.min_text_height,
            max_height=cfg.propose.max_text_height,
        )
        props = [
            p
            for p in props
            if point_in_zone(cfg.zone, (p.box[0] + p.box[2]) / 2, (p.box[1] + p.box[3]) / 2)
        ]
        props.sort(key=lambda p: p.score, reverse=True)
        return props

    def read_proposals(
        self, props: list[Proposal], *, frame: int = 0, time_s: float = 0.0
    ) -> list[PlateRead | None]:
        """Recognise the proposals in one batch; return a read (or None) per proposal."""
        cfg = self.config
        texts = recognise([p.text_image for p in props], cfg.ocr_threads)
        return [
            to_read(t, p, cfg, frame=frame, time_s=time_s)
            for t, p in zip(texts, props, strict=True)
        ]

    def read_image(self, frame_bgr: np.ndarray) -> list[PlateRead]:
        """Return the plates read in one image, most confident first."""
        h, w = frame_bgr.shape[:2]
        zb = zone_bounds(self.config.zone, w, h)
        props = self.proposals(frame_bgr, self.still_lines(frame_bgr, zb))
        reads = [r for r in self.read_proposals(props) if r is not None]
        return _dedupe(reads)

    def session(self, fps: float = 25.0) -> VideoSession:
        """Return a fresh per-video state to feed frames into."""
        return VideoSession(self, fps)

    def read_video(
        self, path: str | Path, *, progress: Progress | None = None
    ) -> Iterator[PlateRead]:
        """Yield one voted read per vehicle seen in the video at ``path``.

        ``progress`` is called after every frame with the share of the video
        read so far (below 1 until the last read is out, then 1.0). Raises
        :class:`~scape.vision.video.UnreadableVideoError` when ``path`` does not
        open as a video (:class:`~scape.vision.video.NoVideoStreamError` when it
        holds no video stream) and :class:`~scape.vision.video.VideoError` when
        its frames cannot be decoded.
        """
        # PyAV is loaded when a video is read, not with the package: the
        # grammar (parse_plate) is imported by every SCAPE process at start-up.
        import av

        from scape.vision.video import VideoError, VideoReader

        with VideoReader(path) as video:
            rate = video.video.average_rate
            fps = float(rate) if rate else 25.0
            duration = video.info.duration_s or 0.0
            session = self.session(fps)
            decoded = _ahead(
                (frame.time, frame.to_ndarray(format="bgr24"))
                for frame in video.container.decode(video.video)
            )
            try:
                for index, (when, image) in enumerate(decoded):
                    time_s = float(when) if when is not None else index / fps
                    yield from session.feed(image, index, time_s)
                    if progress is not None and duration:
                        progress(min(time_s / duration, 0.99))
            except av.error.FFmpegError as exc:
                raise VideoError(f"decoding {str(path)!r} failed: {exc}") from exc
            finally:
                # Stop the decoding thread before the container closes under it.
                decoded.close()
            yield from session.close()
        if progress is not None:
            progress(1.0)


def _ahead(items: Iterator[T], depth: int = DECODE_AHEAD) -> Generator[T, None, None]:
    """Yield ``items``, drawn up to ``depth`` ahead on a thread of their own.

    A video's next frames are decoded (FFmpeg and the colour conversion run
    without the GIL) while the reader works on the current one, instead of
    one after the other. An exception raised while drawing is raised here;
    closing this generator stops the thread and waits for it.
    """
    slots: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: tuple[bool, object]) -> bool:
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
        except BaseException as exc:  # raised again in the reader's thread
            put((False, exc))
            return
        put((False, None))

    thread = threading.Thread(target=work, name="plates-decode", daemon=True)
    thread.start()
    try:
        while True:
            ok, value = slots.get()
            if ok:
                yield cast(T, value)
                continue
            if value is not None:
                raise cast(BaseException, value)
            return
    finally:
        stop.set()
        thread.join()


def _dedupe(reads: list[PlateRead]) -> list[PlateRead]:
    """Keep one read per plate position: the one that fits a format, then the surest."""
    reads = sorted(reads, key=lambda r: (r.country is not None, r.confidence), reverse=True)
    kept: list[PlateRead] = []
    for r in reads:
        if all(iou(r.box, k.box) <= 0.1 and not _inside(r.box, k.box) for k in kept):
            kept.append(r)
    kept.sort(key=lambda r: r.confidence, reverse=True)
    return kept


def _inside(a: Box, b: Box) -> bool:
    """Return whether most of one box lies inside the other."""
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return small > 0 and inter > 0.6 * small


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
        grey = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (3, 3), 0)
        # Auto-exposure changes the whole frame's brightness and contrast from one
        # frame to the next: compare frames normalised to one mean and spread, or
        # every flicker is "motion" over the whole frame.
        mean, std = cv2.meanStdDev(grey)
        norm = (grey.astype(np.float32) - float(mean[0, 0])) * (48.0 / max(float(std[0, 0]), 1.0))
        small = np.clip(norm + 128.0, 0, 255).astype(np.uint8)
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
        return _merge_boxes(boxes, MAX_REGION_GROWTH)

    def feed(self, frame_bgr: np.ndarray, index: int, time_s: float) -> list[PlateRead]:
        """Process one frame; return the vehicles whose reads are final now."""
        reader = self.reader
        cfg = reader.config
        tcfg = cfg.track
        h, w = frame_bgr.shape[:2]
        # Motion is followed in every frame (it is cheap); the detector runs on
        # every detect_every-th frame only, and tracks bridge the frames between.
        regions = self._moving_regions(frame_bgr, index)
        if index % cfg.propose.detect_every == 0:
            for t in self._tracks:
                x1, y1, x2, y2 = t.predicted(index)
                m = y2 - y1
                regions.append((x1 - 2 * m, y1 - m, x2 + 2 * m, y2 + m))
            zb = zone_bounds(cfg.zone, w, h)
            regions = [
                (max(zb[0], r[0]), max(zb[1], r[1]), min(zb[2], r[2]), min(zb[3], r[3]))
                for r in _merge_boxes(regions, MAX_REGION_GROWTH)
            ]
            lines: list[TextBox] = []
            for roi in regions:
                lines.extend(reader.lines(frame_bgr, roi, scale=cfg.propose.video_scale))
            self._track(reader.proposals(frame_bgr, lines), index, time_s)
        done = [t for t in self._tracks if index - t.last_frame > tcfg.max_gap_frames]
        self._tracks = [t for t in self._tracks if t not in done]
        for t in done:
            self._close_track(t)
        return self._emit(index)

    def _track(self, props: list[Proposal], index: int, time_s: float) -> None:
        kept: list[Proposal] = []
        for p in props:
            if all(iou(p.box, k.box) <= 0.1 and not _inside(p.box, k.box) for k in kept):
                kept.append(p)
        matched: set[int] = set()
        wanted: list[tuple[Track, Proposal]] = []
        for prop in kept:
            track = self._match(prop.box, index, matched)
            if track is None:
                track = Track(self._next_id, prop.box, index, index)
                self._next_id += 1
                self._tracks.append(track)
            else:
                track.update(prop.box, index)
            matched.add(track.track_id)
            if self._wants_ocr(track, index):
                wanted.append((track, prop))
        if not wanted:
            return
        reads = self.reader.read_proposals([p for _, p in wanted], frame=index, time_s=time_s)
        for (track, _), read in zip(wanted, reads, strict=True):
            track.last_ocr_frame = index
            if read is None:
                self._failed[track.track_id] = self._failed.get(track.track_id, 0) + 1
            else:
                track.reads.append(read)

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


def _merge_boxes(boxes: list[Box], max_growth: float | None = None) -> list[Box]:
    """Merge overlapping boxes until none overlap.

    With ``max_growth``, two boxes merge only when their union is at most that
    many times the area they cover apart: the detector then runs on a few
    tight regions rather than on one box spanning the frame.
    """
    boxes = list(boxes)
    merged = True
    while merged:
        merged = False
        out: list[Box] = []
        for b in boxes:
            for i, o in enumerate(out):
                if b[0] <= o[2] and o[0] <= b[2] and b[1] <= o[3] and o[1] <= b[3]:
                    u = (min(b[0], o[0]), min(b[1], o[1]), max(b[2], o[2]), max(b[3], o[3]))
                    if max_growth is not None and _area(u) > max_growth * (_area(b) + _area(o)):
                        continue
                    out[i] = u
                    merged = True
                    break
            else:
                out.append(b)
        boxes = out
    return boxes


def _area(box: Box) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])
