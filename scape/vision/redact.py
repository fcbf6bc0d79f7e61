"""Hide faces, plates and hand-drawn regions in a video.

One pass over the input: demux, decode, estimate the camera's motion, detect
on every Nth frame (sooner while the camera moves), track, mask, encode, with
audio packets copied through. Decoded frames wait in a
lookahead buffer until the tracker can no longer change their boxes, so boxes
are interpolated both forward and backward from each detection (see
:mod:`scape.vision.tracker`). Masks are drawn straight into the planes of the
YUV frame that goes to the encoder (see :mod:`scape.vision.video`).
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import av
import cv2
import numpy as np

from scape.vision.boxes import BoxWriter, Region
from scape.vision.config import MaskConfig, MaskMode, MaskShape, RedactConfig
from scape.vision.faces import MODEL_MIN_FACE_PX, FaceDetector
from scape.vision.geometry import overlap_groups
from scape.vision.tracker import CameraMotion, Tracker
from scape.vision.video import VideoReader, VideoWriter, frame_planes

# A detector takes a decoded frame and returns an (N, 5) array-like of
# x1, y1, x2, y2, score in source pixels.
FrameDetector = Callable[[av.VideoFrame], "np.ndarray | Sequence[Sequence[float]]"]
# The plate reader's entry point works on BGR arrays.
BgrDetector = Callable[[np.ndarray], Sequence[Sequence[float]]]
Progress = Callable[[int, int], None]


class PlatesUnavailableError(RuntimeError):
    """Plate redaction was asked for but the plate reader is not installed."""


def load_plate_detector() -> BgrDetector:
    """Return ``scape.vision.plates.detect_plate_boxes``, imported only when plates are wanted."""
    try:
        from scape.vision.plates import detect_plate_boxes
    except ImportError as exc:
        raise PlatesUnavailableError(
            "plate redaction needs scape.vision.plates.detect_plate_boxes, "
            f"which cannot be imported: {exc}"
        ) from exc
    return detect_plate_boxes


def bgr_detector(detect: BgrDetector) -> FrameDetector:
    """Adapt a detector of BGR arrays to decoded frames (converted on detection frames only)."""

    def run(frame: av.VideoFrame) -> np.ndarray:
        boxes = detect(frame.to_ndarray(format="bgr24"))
        return np.asarray(boxes, dtype=np.float64).reshape(-1, 5)

    return run


class FaceFrameDetector:
    """Adapt :class:`FaceDetector` to decoded frames.

    Three passes per detection frame, merged, so that the network's work goes
    where small faces can be rather than over the whole frame at full size:

    * the whole frame, shrunk and converted to RGB in one swscale pass (several
      times cheaper than converting it to a full-size array first): at the
      size the configured smallest face needs (full resolution by default) on
      every other detection frame, and in between shrunk to where a face of
      ``COARSE_FACE_PX`` is still found (half size at 720p);
    * one enlarged small-face tile, a different one each time, so that every
      part of the picture gets an enlarged look every few detections; a face
      found late is still covered before, as far back as the tracker holds;
    * regions around the faces under ``FOCUS_BELOW_PX`` being tracked
      (``focus``, set by the redactor before each call), each scaled so that
      its face is about ``FOCUS_FACE_PX`` wide for the network, so a face only
      a closer look can see is confirmed on every detection frame instead of
      only when its tile comes round again;
    * the whole frame squashed to ``SQUASH`` of its width and height (half
      its width, a quarter of its height), so that a face twice as tall as a
      face should be (a photo of a face shown stretched, a camera's wrong
      pixel aspect) looks like a face to the network: CenterFace finds some
      of these at no isotropic scale, and they were most of the face-frames
      the moving-camera clips leaked (docs/benchmarks.md). It is small
      (640x192 at 720p, a twentieth of the frame's pixels) and sees such
      faces from about 20 px wide. Its boxes are merged with the others like
      any pass's; it also puts faint boxes beside some faces (a shoulder
      seen squashed), which were kept: dropping its boxes near faces already
      found leaked more on the clips (docs/benchmarks.md).

    Without small-face tiles the whole frame is seen at full size every time.
    With ``FaceConfig.parallel_passes`` 2 (the default) the whole-frame and
    squashed passes run on a second thread while the tile and the closer
    looks run on the caller's; the boxes do not change.
    """

    # With small-face tiles on, the whole frame is seen shrunk to where a face
    # this wide is still found (the tiles and focus regions see smaller ones).
    COARSE_FACE_PX = 32.0
    FULL_EVERY = 2
    # Tracked faces narrower than this get a focus region; the region spans
    # this many face widths (at least FOCUS_MIN_PX) around the face, and is
    # scaled so that the face is FOCUS_FACE_PX wide for the network.
    FOCUS_BELOW_PX = 40.0
    FOCUS_SPAN = 5.0
    FOCUS_MIN_PX = 96
    FOCUS_FACE_PX = 24.0
    FOCUS_MAX = 24
    # Width and height factors of the squashed pass (see above; off with
    # FaceConfig.stretched_faces False).
    SQUASH: tuple[float, float] | None = (0.5, 0.25)

    def __init__(self, detector: FaceDetector) -> None:
        self.detector = detector
        self.focus: list[np.ndarray] = []
        self._sizes: dict[tuple[tuple[int, int], bool], tuple[int, int]] = {}
        self._turn = 0
        self._executor: ThreadPoolExecutor | None = None

    def reset(self) -> None:
        """Start a new video: the first tile again, no tracked faces."""
        self.focus = []
        self._turn = 0

    def __call__(self, frame: av.VideoFrame) -> np.ndarray:
        """Return the faces of a frame as an (N, 5) array in frame pixels."""
        detector = self.detector
        src = (frame.width, frame.height)
        tiles = detector.tiles(*src)
        full = not tiles or self._turn % self.FULL_EVERY == 0
        key = (src, full)
        if key not in self._sizes:
            coarse = None if full else max(detector.config.min_face_px, self.COARSE_FACE_PX)
            self._sizes[key] = detector.input_size(*src, coarse)
        w, h = self._sizes[key]
        squash = self.SQUASH if detector.config.stretched_faces else None

        def whole() -> tuple[np.ndarray, np.ndarray | None]:
            # One thread: on frames this small, handing out slices costs more than it saves.
            small = frame.reformat(
                width=w, height=h, format="rgb24", interpolation="AREA", threads=1
            )
            found = detector.detect_rgb(small.to_ndarray(), src)
            return found, None if squash is None else self._squashed(frame, src, *squash)

        # The whole-frame passes run beside the tiles and closer looks, each
        # on one onnxruntime thread: the boxes are the same as one after the
        # other, and the network gets a second core.
        pool = self._pool()
        ahead = pool.submit(whole) if pool is not None else None
        found: list[np.ndarray] = []
        if tiles:
            rgb = frame.to_ndarray(format="rgb24")
            found.append(detector.detect_tile(rgb, tiles[self._turn % len(tiles)]))
            self._turn += 1
            for region, scale, widest in self._focus_regions(*src):
                found.append(detector.detect_tile(rgb, region, scale=scale, max_face_px=widest))
        first, squashed = ahead.result() if ahead is not None else whole()
        return detector.merge(first, *([] if squashed is None else [squashed]), *found)

    def _pool(self) -> ThreadPoolExecutor | None:
        if self.detector.config.parallel_passes < 2:
            return None
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scape-pass")
        return self._executor

    def _squashed(
        self, frame: av.VideoFrame, src: tuple[int, int], fx: float, fy: float
    ) -> np.ndarray:
        """Return the faces found on the frame shrunk by ``fx`` across and ``fy`` down."""
        align = 32
        w = max(align, -(-round(src[0] * fx) // align) * align)
        h = max(align, -(-round(src[1] * fy) // align) * align)
        small = frame.reformat(width=w, height=h, format="rgb24", interpolation="AREA", threads=1)
        return self.detector.detect_rgb(small.to_ndarray(), src)

    def _focus_regions(
        self, width: int, height: int
    ) -> list[tuple[tuple[int, int, int, int], float, float]]:
        """Return (region, scale, widest face kept) around each small tracked face."""
        out: list[tuple[tuple[int, int, int, int], float, float]] = []
        small = sorted(
            (b for b in self.focus if b[2] - b[0] < self.FOCUS_BELOW_PX), key=lambda b: b[2] - b[0]
        )
        upscale = self.detector.config.small_face_upscale
        for box in small:
            if len(out) >= self.FOCUS_MAX:
                break
            face = float(box[2] - box[0])
            cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            # A face already well inside a region being looked at is seen there.
            if any(
                r[0] + face <= cx <= r[2] - face and r[1] + face <= cy <= r[3] - face
                for r, _k, widest in out
                if widest >= 2.5 * face
            ):
                continue
            side = max(self.FOCUS_MIN_PX, self.FOCUS_SPAN * face)
            x1 = int(min(max(cx - side / 2, 0), max(0, width - side)))
            y1 = int(min(max(cy - side / 2, 0), max(0, height - side)))
            region = (x1, y1, min(width, x1 + int(side)), min(height, y1 + int(side)))
            scale = min(upscale, max(1.0, self.FOCUS_FACE_PX / max(face, 1.0)))
            out.append((region, scale, max(3 * MODEL_MIN_FACE_PX, 2.5 * face)))
        return out


def face_frame_detector(detector: FaceDetector) -> FrameDetector:
    """Adapt :class:`FaceDetector` to decoded frames (see :class:`FaceFrameDetector`)."""
    return FaceFrameDetector(detector)


@dataclass
class RedactStats:
    """What a run did."""

    frames: int = 0
    seconds: float = 0.0
    detections: dict[str, int] = field(default_factory=lambda: {"face": 0, "plate": 0})
    masked_frames: int = 0
    detection_frames: int = 0
    review_frames: int = 0

    @property
    def fps(self) -> float:
        """Return the frames per second of the whole run."""
        return self.frames / self.seconds if self.seconds else 0.0


# --- masks -------------------------------------------------------------------


def _solid_yuv(bgr: tuple[int, int, int]) -> tuple[int, int, int]:
    """Return a colour as limited-range BT.601 Y, U, V (what swscale assumes by default)."""
    b, g, r = bgr
    y = 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255
    u = 128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255
    v = 128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255
    return tuple(round(min(max(c, 0), 255)) for c in (y, u, v))  # type: ignore[return-value]


def _ellipse(h: int, w: int) -> np.ndarray:
    mask = np.zeros((h, w), np.uint8)
    cv2.ellipse(mask, ((w / 2, h / 2), (w, h), 0.0), 255, -1)
    return mask.astype(bool)


def _hide(roi: np.ndarray, config: MaskConfig) -> np.ndarray:
    """Return the masked replacement of one plane region."""
    h, w = roi.shape
    if config.mode == MaskMode.PIXELATE:
        n = config.pixel_blocks
        mode = cv2.INTER_NEAREST
    else:
        n = config.blur_cells
        mode = cv2.INTER_LINEAR
    k = n / max(h, w)
    cells = (max(1, round(w * k)), max(1, round(h * k)))
    # Shrinking to a handful of cells throws the detail away for good; the
    # upscale only decides how the few remaining values are spread.
    small = cv2.resize(roi, cells, interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=mode)


def mask_frame(
    frame: av.VideoFrame, boxes: Sequence[tuple[int, int, int, int]], config: MaskConfig
) -> None:
    """Hide the integer pixel boxes (x1, y1, x2, y2, exclusive ends) in a writable YUV frame."""
    solid = _solid_yuv(config.solid_bgr)
    for index, (plane, sx, sy) in enumerate(frame_planes(frame)):
        for x1, y1, x2, y2 in boxes:
            # Round outward on subsampled planes so chroma covers the whole box.
            px1, py1 = x1 // sx, y1 // sy
            px2, py2 = -(-x2 // sx), -(-y2 // sy)
            roi = plane[py1:py2, px1:px2]
            if roi.size == 0:
                continue
            if config.mode == MaskMode.SOLID:
                roi[...] = solid[index]
                continue
            hidden = _hide(roi, config)
            if config.shape == MaskShape.ELLIPSE:
                np.copyto(roi, hidden, where=_ellipse(*roi.shape))
            else:
                roi[...] = hidden


def _render_scale(region: Region, mask: MaskConfig) -> float:
    """Return the factor a region is enlarged by around its centre before masking.

    Small faces get at least ``small_scale``: the detector places them less
    precisely, by a larger share of their width. Manual boxes are masked as drawn.
    """
    if region.kind == "manual":
        return 1.0
    if region.kind == "face" and region.x2 - region.x1 < mask.small_face_px:
        return max(mask.scale, mask.small_scale)
    return mask.scale


def _scaled(region: Region, scale: float) -> tuple[float, float, float, float]:
    cx, cy = (region.x1 + region.x2) / 2, (region.y1 + region.y2) / 2
    hw, hh = (region.x2 - region.x1) * scale / 2, (region.y2 - region.y1) * scale / 2
    return cx - hw, cy - hh, cx + hw, cy + hh


def _pixel_boxes(
    regions: Sequence[Region], mask: MaskConfig, width: int, height: int
) -> list[tuple[int, int, int, int]]:
    """Return the regions enlarged (see :func:`_render_scale`) and clipped, in whole pixels."""
    out = []
    for r in regions:
        x1, y1, x2, y2 = _scaled(r, _render_scale(r, mask))
        # Floor the start and ceil the end: a partly covered pixel is masked.
        box = (
            max(0, int(np.floor(x1))),
            max(0, int(np.floor(y1))),
            min(width, int(np.ceil(x2))),
            min(height, int(np.ceil(y2))),
        )
        if box[2] > box[0] and box[3] > box[1]:
            out.append(box)
    return out


# Boxes of one kind in one frame that overlap this much are one object: two
# tracks of one face (one began while the other was held through a miss), or
# a face found again as one of its parts by a closer look.
MERGE_IOU = 0.3
MERGE_INSIDE = 0.5


def merge_overlapping(
    regions: Sequence[Region], mask: MaskConfig, width: int, height: int
) -> list[Region]:
    """Return the regions with the overlapping boxes of one kind merged into one box each.

    A custodian reviewing the box file should see one box per face, not a
    stack of them. The merged box is the one whose mask covers the union of
    the members' masks (each enlarged by its own :func:`_render_scale`), so
    merging never uncovers a pixel; it keeps the best member's score. A
    merged box that would reach past the frame is not made (clipping it would
    shrink its mask on the far side): its members stay. Manual boxes are left
    as drawn.
    """
    out: list[Region] = []
    kinds: dict[str, list[Region]] = {}
    for r in regions:
        if r.kind == "manual":
            out.append(r)
        else:
            kinds.setdefault(r.kind, []).append(r)
    for kind, members in kinds.items():
        groups = overlap_groups(
            [(r.x1, r.y1, r.x2, r.y2) for r in members],
            min_iou=MERGE_IOU,
            min_inside=MERGE_INSIDE,
        )
        for group in groups:
            if len(group) == 1:
                out.append(members[group[0]])
                continue
            masked = np.array([_scaled(members[i], _render_scale(members[i], mask)) for i in group])
            x1, y1 = masked[:, 0].min(), masked[:, 1].min()
            x2, y2 = masked[:, 2].max(), masked[:, 3].max()
            # Shrink the union back by the common scale: the merged box is
            # masked at that scale, or at small_scale (larger) if it is small.
            k = 1.0 / mask.scale
            mx1, my1, mx2, my2 = _scaled(Region(kind, x1, y1, x2, y2, 0.0), k)
            if mx1 < 0 or my1 < 0 or mx2 > width or my2 > height:
                out += [members[i] for i in group]
                continue
            score = max(members[i].score for i in group)
            out.append(Region(kind, float(mx1), float(my1), float(mx2), float(my2), score))
    return out


def _clip(regions: list[Region], width: int, height: int) -> list[Region]:
    out = []
    for r in regions:
        x1, y1 = min(max(r.x1, 0.0), width), min(max(r.y1, 0.0), height)
        x2, y2 = min(max(r.x2, 0.0), width), min(max(r.y2, 0.0), height)
        if x2 - x1 >= 1 and y2 - y1 >= 1:
            out.append(Region(r.kind, x1, y1, x2, y2, r.score))
    return out


# --- pipeline ----------------------------------------------------------------


class Redactor:
    """Redact videos with one configuration and one set of detectors.

    ``face_detector`` and ``plate_detector`` default to CenterFace and the
    plate reader when the configuration enables them; tests pass doubles.
    ``manual`` maps frame numbers to regions to hide as well (``--boxes-in``).
    """

    def __init__(
        self,
        config: RedactConfig | None = None,
        *,
        face_detector: FrameDetector | None = None,
        plate_detector: FrameDetector | None = None,
        manual: dict[int, list[Region]] | None = None,
    ) -> None:
        self.config = config or RedactConfig()
        self.detectors: dict[str, FrameDetector] = {}
        if self.config.faces:
            self.detectors["face"] = face_detector or face_frame_detector(
                FaceDetector(self.config.face)
            )
        if self.config.plates:
            self.detectors["plate"] = plate_detector or bgr_detector(load_plate_detector())
        self.manual = manual or {}

    def run(
        self,
        src: str | os.PathLike[str],
        dst: str | os.PathLike[str],
        *,
        boxes_out: str | os.PathLike[str] | None = None,
        progress: Progress | None = None,
    ) -> RedactStats:
        """Redact ``src`` into ``dst``; optionally write the boxes of every frame.

        Raises :class:`~scape.vision.video.UnreadableVideoError` when ``src``
        cannot be decoded; ``dst`` (and ``boxes_out``) then do not exist.
        """
        started = time.perf_counter()
        # OpenCV would split each small mask resize over a thread pool; the
        # hand-offs cost more than they save and steal the encoder's cores.
        cv_threads = cv2.getNumThreads()
        cv2.setNumThreads(1)
        try:
            stats = self._run(src, dst, boxes_out, progress)
        finally:
            cv2.setNumThreads(cv_threads)
        stats.seconds = time.perf_counter() - started
        return stats

    def _run(
        self,
        src: str | os.PathLike[str],
        dst: str | os.PathLike[str],
        boxes_out: str | os.PathLike[str] | None,
        progress: Progress | None,
    ) -> RedactStats:
        with VideoReader(src) as reader:
            box_writer = BoxWriter(boxes_out) if boxes_out is not None else None
            try:
                with VideoWriter(dst, reader, self.config.encode) as writer:
                    stats = self._loop(reader, writer, box_writer, progress)
            except BaseException:
                if box_writer is not None:
                    box_writer.discard()
                raise
            if box_writer is not None:
                box_writer.finish()
        return stats

    def _loop(
        self,
        reader: VideoReader,
        writer: VideoWriter,
        box_writer: BoxWriter | None,
        progress: Progress | None,
    ) -> RedactStats:
        cfg = self.config
        interval = cfg.track.detect_interval
        moving_interval = min(interval, cfg.track.moving_interval)
        width, height = reader.info.width, reader.info.height
        total = reader.info.frames
        trackers = {kind: Tracker(cfg.track) for kind in self.detectors}
        # A video's boxes must not depend on what this redactor ran before.
        for detector in self.detectors.values():
            if isinstance(detector, FaceFrameDetector):
                detector.reset()
        latency = max((t.latency for t in trackers.values()), default=0)
        stats = RedactStats()
        pending: deque[tuple[int, av.VideoFrame]] = deque()
        last_detected = -1
        motion = CameraMotion() if cfg.track.camera_motion and self.detectors else None
        # The camera at the last detection: frame corners since then move by
        # the shift and the zoom (a zoom moves the edges, not the centre).
        camera = at_detection = (np.zeros(2), 1.0)
        corners = np.array([[0, 0], [width, 0], [0, height], [width, height]], np.float64)
        changed = False  # a frame since the last detection a shift does not explain

        # The detectors run on a worker thread (onnxruntime lets go of the
        # GIL), so decoding, the camera estimate, masking and encoding go on
        # meanwhile on the other core. Only one detection is in flight: the
        # next one's closer looks need the tracks this one gives.
        in_flight: tuple[int, Future[dict[str, np.ndarray]]] | None = None

        def run_detectors(frame: av.VideoFrame) -> dict[str, np.ndarray]:
            return {
                kind: np.asarray(detector(frame), dtype=np.float64).reshape(-1, 5)
                for kind, detector in self.detectors.items()
            }

        def collect() -> int | None:
            # Wait for the detection in flight and track it; return its frame.
            nonlocal in_flight
            if in_flight is None:
                return None
            index, future = in_flight
            in_flight = None
            for kind, found in future.result().items():
                stats.detections[kind] = stats.detections.get(kind, 0) + len(found)
                trackers[kind].update(index, found)
            return index

        def detect(index: int, frame: av.VideoFrame) -> None:
            nonlocal last_detected, at_detection, changed, in_flight
            previous = collect()
            last_detected = index
            at_detection, changed = camera, False
            stats.detection_frames += 1
            for kind, detector in self.detectors.items():
                if isinstance(detector, FaceFrameDetector):
                    detector.focus = [
                        box for box, _score in trackers[kind].boxes_at(index, stretch=False)
                    ]
            in_flight = (index, pool.submit(run_detectors, frame))
            if previous is not None:
                # While this detection runs: the frames the previous one made
                # final (the same boxes as when each detection is awaited).
                emit(previous - latency)

        def emit(until: int) -> None:
            # Frames up to `until` have final boxes: mask, encode, forget.
            while pending and pending[0][0] <= until:
                index, frame = pending.popleft()
                regions = [
                    Region(kind, box[0], box[1], box[2], box[3], score)
                    for kind, tracker in trackers.items()
                    for box, score in tracker.boxes_at(index)
                ]
                review = sorted(set().union(*(t.review_at(index) for t in trackers.values())))
                if review:
                    stats.review_frames += 1
                regions = merge_overlapping(_clip(regions, width, height), cfg.mask, width, height)
                regions = _clip(regions + self.manual.get(index, []), width, height)
                boxes = _pixel_boxes(regions, cfg.mask, width, height)
                if boxes:
                    frame = writer.prepare(frame)
                    mask_frame(frame, boxes, cfg.mask)
                    stats.masked_frames += 1
                writer.write(frame)
                if box_writer is not None:
                    t = None
                    if frame.pts is not None and frame.time_base is not None:
                        t = float(frame.pts * frame.time_base)
                    box_writer.write(index, t, regions, review=review)
                stats.frames += 1
                if progress is not None:
                    progress(stats.frames, total)
            for tracker in trackers.values():
                tracker.forget(until + 1)

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="scape-detect") as pool:
            index = -1
            for item in reader.demux():
                if not isinstance(item, av.VideoFrame):
                    writer.write_audio(item)
                    continue
                index += 1
                pending.append((index, item))
                if not self.detectors:
                    emit(index)
                    continue
                if motion is not None:
                    position, response = motion.update(_luma(item))
                    camera = (position, motion.zoom)
                    changed = changed or response < cfg.track.motion_response
                    for tracker in trackers.values():
                        tracker.set_camera(index, (position[0], position[1]), motion.zoom)
                gap = index - last_detected
                moved = changed or _moved(corners, at_detection, camera) > cfg.track.motion_px
                if last_detected < 0 or gap >= interval or (moved and gap >= moving_interval):
                    detect(index, item)
            # The tail after the last detection frame would only be covered by
            # the hold; the last frame is still buffered, so detect on it too.
            if self.detectors and pending and last_detected != pending[-1][0]:
                detect(*pending[-1])
            collect()
            emit(index)
        return stats


def _moved(
    points: np.ndarray, before: tuple[np.ndarray, float], now: tuple[np.ndarray, float]
) -> float:
    """Return how far (source pixels, largest axis) the points moved between two cameras."""
    (p0, z0), (p1, z1) = before, now
    # A point at p under camera 0 is at (p - p0) / z0 in the scene, then at
    # z1 * that + p1 under camera 1.
    return float(np.abs((points - p0) * (z1 / z0) + p1 - points).max())


def _luma(frame: av.VideoFrame) -> np.ndarray:
    """Return the luma plane of a frame, without copying when it is planar YUV."""
    try:
        return frame_planes(frame)[0][0]
    except ValueError:
        return frame.to_ndarray(format="gray")


def redact_video(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    config: RedactConfig | None = None,
    *,
    manual: dict[int, list[Region]] | None = None,
    boxes_out: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> RedactStats:
    """Redact ``src`` into ``dst`` with the default detectors of ``config``."""
    return Redactor(config, manual=manual).run(src, dst, boxes_out=boxes_out, progress=progress)
