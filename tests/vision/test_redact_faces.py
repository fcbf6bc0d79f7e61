"""Faces are found by CenterFace and stay covered between and despite missed detections."""

from __future__ import annotations

import av
import cv2
import numpy as np
import pytest
from skimage import data

from scape.vision import cli_redact
from scape.vision.config import FaceConfig, MaskConfig, MaskMode, RedactConfig, TrackConfig
from scape.vision.faces import FaceDetector, nms
from scape.vision.geometry import iou
from scape.vision.redact import FaceFrameDetector, Redactor
from scape.vision.tracker import Tracker
from tests.vision.conftest import head

ASTRONAUT_FACE = np.array([181.5, 58.2, 269.9, 177.8])


def test_it_finds_the_astronauts_face_with_centerface():
    image = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    faces = FaceDetector(FaceConfig(min_face_px=32))(image)
    # The low default threshold may add a faint false box (a few pixels of
    # background blurred); the face itself is found surely, and nothing else is.
    assert len(faces[faces[:, 4] > 0.2]) == 1
    assert faces[0, 4] > 0.8
    assert iou(faces[0, :4], ASTRONAUT_FACE) > 0.6


def test_it_detects_at_full_resolution_by_default_at_720p_and_1080p():
    # 12 px faces must be found, so the defaults never shrink these frames.
    detector = FaceDetector()
    assert detector.input_size(1280, 720) == (1280, 736)
    assert detector.input_size(1920, 1080) == (1920, 1088)


def test_it_finds_a_40_px_face_at_the_reduced_detection_size_asked_for():
    # A 40 px face in a 1280x720 frame: asked for 40 px faces only, the
    # detection size is well below full resolution, and must still see it.
    image = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    k = 40 / (ASTRONAUT_FACE[2] - ASTRONAUT_FACE[0])
    small = cv2.resize(image, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
    frame = np.full((720, 1280, 3), 100, np.uint8)
    frame[300 : 300 + small.shape[0], 600 : 600 + small.shape[1]] = small
    detector = FaceDetector(FaceConfig(min_face_px=40))
    assert detector.input_size(1280, 720)[0] < 1280
    faces = detector(frame)
    expected = ASTRONAUT_FACE * k + np.array([600, 300, 600, 300])
    assert any(iou(f[:4], expected) > 0.5 for f in faces)


def test_it_boxes_a_face_shown_twice_as_tall_as_it_should_be_whole():
    # A photo of a face stretched to 2.4 times its height (a poster, a wrong
    # pixel aspect): CenterFace boxes only its middle at any isotropic scale,
    # so a video's detection frames also see the frame squashed to half as
    # tall again as wide, where it looks like a face.
    sprite, face = head(30)
    sprite = cv2.resize(sprite, (sprite.shape[1], round(sprite.shape[0] * 2.4)))
    fx1, fy1, fx2, fy2 = face
    frame = np.full((720, 1280, 3), 110, np.uint8)
    frame[200 : 200 + sprite.shape[0], 500 : 500 + sprite.shape[1]] = sprite
    expected = np.array([500 + fx1, 200 + fy1 * 2.4, 500 + fx2, 200 + fy2 * 2.4])
    video_frame = av.VideoFrame.from_ndarray(frame, format="bgr24")
    detect = FaceFrameDetector(FaceDetector())
    for _ in range(4):  # full and half-size whole-frame passes, two tiles each
        found = detect(video_frame)
        assert max(_covered(expected, box) for box in found[:, :4]) > 0.85
    # Without the squashed pass the face is only boxed in part.
    found = FaceFrameDetector(FaceDetector(FaceConfig(stretched_faces=False)))(video_frame)
    assert max(_covered(expected, box) for box in found[:, :4]) < 0.75


def test_it_finds_the_same_faces_with_its_passes_run_side_by_side():
    sprite, _face = head(30)
    frame = np.full((720, 1280, 3), 110, np.uint8)
    frame[200 : 200 + sprite.shape[0], 500 : 500 + sprite.shape[1]] = sprite
    small = cv2.resize(sprite, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    frame[500 : 500 + small.shape[0], 900 : 900 + small.shape[1]] = small
    video_frame = av.VideoFrame.from_ndarray(frame, format="bgr24")
    one = FaceFrameDetector(FaceDetector(FaceConfig(parallel_passes=1)))
    two = FaceFrameDetector(FaceDetector(FaceConfig(parallel_passes=2)))
    for _ in range(3):
        a, b = one(video_frame), two(video_frame)
        assert len(a) >= 2
        np.testing.assert_array_equal(a, b)
        one.focus = two.focus = list(a[:, :4])


def _covered(face: np.ndarray, box: np.ndarray) -> float:
    w = max(0.0, min(face[2], box[2]) - max(face[0], box[0]))
    h = max(0.0, min(face[3], box[3]) - max(face[1], box[1]))
    return float(w * h / ((face[2] - face[0]) * (face[3] - face[1])))


def test_it_keeps_the_best_of_overlapping_boxes():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [50, 50, 60, 60]], dtype=np.float32)
    keep = nms(boxes, np.array([0.5, 0.9, 0.7]), 0.3)
    assert sorted(keep.tolist()) == [1, 2]


def test_it_covers_every_frame_of_a_real_face_clip(face_clip, tmp_path, read_frames, dark_share):
    src, boxes = face_clip
    out = tmp_path / "out.mp4"
    assert cli_redact.main([str(src), str(out), "--mode", "solid", "--quiet"]) == 0
    for frame, box in zip(read_frames(out), boxes, strict=True):
        assert dark_share(frame, box) > 0.97


class _ScriptedDetector:
    """Report the true face box, except on the frames listed in ``blind``."""

    def __init__(self, boxes, blind, start=0):
        self.boxes, self.blind, self.start = boxes, set(blind), start
        self.seen: list[int] = []

    def __call__(self, frame: av.VideoFrame) -> np.ndarray:
        index = round(float(frame.pts * frame.time_base) * 30)
        self.seen.append(index)
        if index in self.blind or index < self.start:
            return np.empty((0, 5))
        return np.array([[*self.boxes[index], 0.9]])


def _solid(**track: int) -> RedactConfig:
    return RedactConfig(track=TrackConfig(**track), mask=MaskConfig(mode=MaskMode.SOLID, scale=1.2))


def test_it_covers_a_face_the_detector_misses_on_a_detection_frame(
    face_clip, tmp_path, read_frames, dark_share
):
    src, boxes = face_clip
    out = tmp_path / "out.mp4"
    detector = _ScriptedDetector(boxes, blind={10})
    Redactor(_solid(detect_interval=5), face_detector=detector).run(src, out)
    assert 10 in detector.seen
    frames = read_frames(out)
    for n in range(len(frames)):
        assert dark_share(frames[n], boxes[n]) > 0.97, n


def test_it_covers_a_face_backward_before_its_first_detection(
    face_clip, tmp_path, read_frames, dark_share
):
    src, boxes = face_clip
    out = tmp_path / "out.mp4"
    # First seen on frame 20: frames 12..19 were never looked at with a face
    # in them, and must be covered from the buffered future.
    detector = _ScriptedDetector(boxes, blind=(), start=20)
    Redactor(_solid(detect_interval=5, hold_frames=8), face_detector=detector).run(src, out)
    frames = read_frames(out)
    for n in range(12, 60):
        assert dark_share(frames[n], boxes[n]) > 0.97, n
    assert dark_share(frames[5], boxes[5]) < 0.2


def test_it_does_not_paint_masks_into_later_decoded_frames(
    face_clip, tmp_path, read_frames, dark_share
):
    # Masks are drawn on decoded pictures; if those were still the decoder's
    # reference pictures, the black would leak into the frames after them.
    src, boxes = face_clip
    out = tmp_path / "out.mp4"
    detector = _ScriptedDetector(boxes, blind=(), start=0)
    detector.start, detector.blind = 0, set(range(1, 60))
    Redactor(_solid(detect_interval=1, hold_frames=0), face_detector=detector).run(src, out)
    frames = read_frames(out)
    assert dark_share(frames[0], boxes[0]) > 0.97
    assert all(dark_share(frames[n], boxes[n]) < 0.2 for n in range(1, 60))


def test_it_interpolates_between_detections_and_holds_after_the_last():
    tracker = Tracker(TrackConfig(hold_frames=4, max_gap_frames=10, grow_per_frame=0.0))
    tracker.update(0, np.array([[0, 0, 20, 20, 0.9]]))
    tracker.update(10, np.array([[20, 0, 40, 20, 0.8]]))
    (box, score), *rest = tracker.boxes_at(5)
    assert not rest
    # Interpolated, and padded by how far it could stray in 5 frames at 2 px/frame.
    assert np.allclose(box, [10 - 10, 0, 30 + 10, 20])
    assert score == pytest.approx(0.8)
    # Held for four frames after the last detection: from where it was seen
    # to where its speed carries it.
    (box, _), *_ = tracker.boxes_at(12)
    assert np.allclose(box, [20, 0, 44, 20])
    # A closer look is scaled by the face, not by the stretched box.
    (box, _), *_ = tracker.boxes_at(12, stretch=False)
    assert np.allclose(box, [24, 0, 44, 20])
    assert tracker.boxes_at(15) == []
    # And reached back before the first one.
    assert len(tracker.boxes_at(-3)) == 1


def test_it_holds_a_jittery_small_face_where_it_was_seen_as_well_as_where_it_was_going():
    # Three detections of a still 12 px face, placed 3 px apart by the
    # detector's jitter: the speed read off them is the jitter. Held 20 frames
    # before the first detection, the box must still cover where the face was
    # seen, not only where that false speed would have put it (24 px away).
    tracker = Tracker(TrackConfig(hold_frames=20, grow_per_frame=0.0))
    tracker.update(30, np.array([[100, 50, 112, 62, 0.5]]))
    tracker.update(33, np.array([[103, 50, 115, 62, 0.5]]))
    tracker.update(36, np.array([[100, 50, 112, 62, 0.5]]))
    face = np.array([100.0, 50.0, 112.0, 62.0])
    for frame in (10, 20, 29, 40, 56):
        (box, _), *_ = tracker.boxes_at(frame)
        assert box[0] <= face[0] and box[2] >= face[2], frame
        assert box[1] <= face[1] and box[3] >= face[3], frame


def test_it_bridges_a_gap_of_missed_detections():
    tracker = Tracker(TrackConfig(hold_frames=2, max_gap_frames=12, grow_per_frame=0.0))
    tracker.update(0, np.array([[0, 0, 10, 10, 0.9]]))
    tracker.update(4, np.empty((0, 5)))
    tracker.update(8, np.empty((0, 5)))
    tracker.update(12, np.array([[12, 0, 22, 10, 0.9]]))
    assert len(tracker.tracks) == 1
    (box, _), *_ = tracker.boxes_at(6)
    assert np.allclose(box, [6 - 6, 0, 16 + 6, 10])


def test_it_keeps_two_faces_apart():
    tracker = Tracker(TrackConfig())
    tracker.update(0, np.array([[0, 0, 10, 10, 0.9], [100, 0, 110, 10, 0.9]]))
    tracker.update(5, np.array([[103, 0, 113, 10, 0.9], [2, 0, 12, 10, 0.9]]))
    assert len(tracker.tracks) == 2
    starts = sorted(t.boxes[-1][0] for t in tracker.tracks)
    assert starts == [2, 103]
