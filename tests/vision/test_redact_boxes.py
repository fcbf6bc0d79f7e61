"""Box files in and out, mask modes, plates and configuration checks."""

from __future__ import annotations

import json
import sys
import types

import numpy as np
import pytest
from pydantic import ValidationError

from scape.vision import cli_redact
from scape.vision.boxes import BoxFileError, link_tracks, read_boxes
from scape.vision.config import MaskConfig, MaskMode, MaskShape, RedactConfig, TrackConfig
from scape.vision.geometry import iou
from scape.vision.redact import PlatesUnavailableError, Redactor, bgr_detector, mask_frame


def _write_lines(path, lines):
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")


def test_it_renders_manual_boxes_from_boxes_in(face_clip, tmp_path, read_frames, dark_share):
    src, _ = face_clip
    boxes_in = tmp_path / "in.jsonl"
    manual = [10, 20, 60, 50]
    _write_lines(
        boxes_in,
        [{"frame": n, "boxes": [{"kind": "manual", "box": manual}]} for n in (3, 4, 5)],
    )
    out = tmp_path / "out.mp4"
    argv = [str(src), str(out), "--no-faces", "--mode", "solid", "--boxes-in", str(boxes_in)]
    assert cli_redact.main([*argv, "--quiet"]) == 0
    frames = read_frames(out)
    for n in (3, 4, 5):
        assert dark_share(frames[n], manual) > 0.97
    for n in (2, 6):
        assert dark_share(frames[n], manual) < 0.1


def test_it_writes_one_line_per_frame_with_boxes_out(face_clip, tmp_path):
    src, truth = face_clip
    boxes_out = tmp_path / "boxes.jsonl"
    out = tmp_path / "out.mp4"
    assert cli_redact.main([str(src), str(out), "--boxes-out", str(boxes_out), "--quiet"]) == 0
    lines = [json.loads(x) for x in boxes_out.read_text().splitlines()]
    assert [x["frame"] for x in lines] == list(range(60))
    assert lines[30]["time_s"] == pytest.approx(1.0)
    faces = [b for b in lines[30]["boxes"] if b["kind"] == "face"]
    # One box on the face (the frame squashed for stretched faces may add a
    # faint box beside it, a shoulder seen squashed; none on the face itself).
    faces = [b for b in faces if iou(b["box"], truth[30]) > 0.3]
    assert len(faces) == 1
    x1, _y1, x2, _y2 = faces[0]["box"]
    tx1, _ty1, tx2, _ty2 = truth[30]
    assert abs((x1 + x2) / 2 - (tx1 + tx2) / 2) < 8
    assert 0 < faces[0]["score"] <= 1
    # The file is valid input again.
    assert len(read_boxes(boxes_out)) == 60


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "Invalid JSON"),
        ('{"frame": -1, "boxes": []}', "frame: Input should be greater than or equal to 0"),
        ('{"frame": 1, "boxes": [{"kind": "car", "box": [0, 0, 1, 1]}]}', "boxes.0.kind"),
        ('{"frame": 1, "boxes": [{"kind": "face", "box": [5, 0, 1, 1]}]}', "x2 > x1"),
        ('{"frame": 1, "boxes": [{"kind": "face", "box": [0, 0, 1]}]}', "boxes.0.box"),
        ('{"frame": 1, "boxes": [], "colour": "red"}', "colour: Extra inputs"),
    ],
)
def test_it_rejects_a_bad_boxes_file_with_the_line_and_reason(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"frame": 0, "boxes": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(BoxFileError) as info:
        read_boxes(path)
    assert f"{path}:2: " in str(info.value)
    assert message in str(info.value)


def test_it_rejects_a_frame_given_twice(tmp_path):
    path = tmp_path / "dup.jsonl"
    _write_lines(path, [{"frame": 3, "boxes": []}, {"frame": 3, "boxes": []}])
    with pytest.raises(BoxFileError, match="frame 3 already given on line 1"):
        read_boxes(path)


def test_it_exits_2_on_a_bad_boxes_file_and_writes_nothing(face_clip, tmp_path, capsys):
    src, _ = face_clip
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"frame": 0, "boxes": [{"kind": "face", "box": [1, 1, 0, 0]}]}\n')
    out = tmp_path / "out.mp4"
    assert cli_redact.main([str(src), str(out), "--boxes-in", str(bad), "--quiet"]) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err
    assert not out.exists()


def _frame_with_texture():
    import av

    rng = np.random.default_rng(1)
    img = rng.integers(0, 256, (120, 160, 3), dtype=np.uint8)
    return av.VideoFrame.from_ndarray(img, format="bgr24").reformat(format="yuv420p"), img


@pytest.mark.parametrize("mode", list(MaskMode))
def test_it_hides_the_region_and_leaves_the_rest(mode):
    frame, _ = _frame_with_texture()
    before = frame.to_ndarray(format="bgr24").astype(int)
    mask_frame(frame, [(40, 30, 100, 90)], MaskConfig(mode=mode))
    after = frame.to_ndarray(format="bgr24").astype(int)
    inside = after[32:88, 42:98]
    # Outside the box (with a margin for chroma sharing) nothing changes.
    assert np.array_equal(after[:, :38], before[:, :38])
    assert np.array_equal(after[92:], before[92:])
    # Inside, the random texture is gone: few distinct values, little detail left.
    detail = np.abs(np.diff(inside[..., 1], axis=1)).mean()
    assert detail < 0.1 * np.abs(np.diff(before[32:88, 42:98, 1], axis=1)).mean()
    if mode == MaskMode.SOLID:
        assert inside.max() <= 2


def test_it_masks_an_ellipse_inside_the_box():
    frame, _ = _frame_with_texture()
    before = frame.to_ndarray(format="bgr24")
    mask_frame(
        frame, [(40, 30, 100, 90)], MaskConfig(mode=MaskMode.PIXELATE, shape=MaskShape.ELLIPSE)
    )
    after = frame.to_ndarray(format="bgr24")
    assert np.array_equal(after[31, 41], before[31, 41])  # corner of the box: untouched
    assert not np.array_equal(after[55:65, 65:75], before[55:65, 65:75])


def test_it_masks_plates_from_a_plate_detector(face_clip, tmp_path, read_frames, dark_share):
    src, _ = face_clip
    seen_shapes = []

    def plates(frame_bgr):
        seen_shapes.append(frame_bgr.shape)
        return [(200, 180, 260, 200, 0.8)]

    out = tmp_path / "out.mp4"
    config = RedactConfig(
        faces=False,
        plates=True,
        # A still camera: no motion estimate to bring detections forward.
        track=TrackConfig(detect_interval=10, camera_motion=False),
        mask=MaskConfig(mode=MaskMode.SOLID, scale=1.0),
    )
    Redactor(config, plate_detector=bgr_detector(plates)).run(src, out)
    assert seen_shapes[0] == (240, 320, 3)
    assert len(seen_shapes) == 7  # frames 0, 10, ... 50 and the last one
    assert all(dark_share(f, (200, 180, 260, 200)) > 0.97 for f in read_frames(out))


def test_it_says_clearly_when_the_plate_reader_is_missing(face_clip, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "scape.vision.plates", types.ModuleType("scape.vision.plates"))
    with pytest.raises(PlatesUnavailableError, match="detect_plate_boxes"):
        Redactor(RedactConfig(faces=False, plates=True))
    src, _ = face_clip
    out = tmp_path / "out.mp4"
    assert cli_redact.main([str(src), str(out), "--plates", "--quiet"]) == 1
    assert "detect_plate_boxes" in capsys.readouterr().err
    assert not out.exists()


def test_it_rejects_unknown_and_out_of_range_settings(capsys):
    with pytest.raises(ValidationError):
        RedactConfig.model_validate({"faces": True, "blurr": 3})
    with pytest.raises(ValidationError):
        TrackConfig(detect_interval=0)
    assert cli_redact.main(["in.mp4", "out.mp4", "--scale", "0.5"]) == 2
    assert "scale" in capsys.readouterr().err


def test_it_takes_the_small_face_and_motion_settings_from_the_command_line():
    args = cli_redact.build_parser().parse_args(
        ["in.mp4", "out.mp4", "--small-face-tiles", "0", "--moving-interval", "4"]
    )
    config = cli_redact.config_from_args(args)
    assert config.face.small_face_tiles == 0
    assert config.track.moving_interval == 4
    defaults = cli_redact.config_from_args(cli_redact.build_parser().parse_args(["a", "b"]))
    assert defaults == RedactConfig()


def test_it_links_the_boxes_of_one_face_into_one_track_across_a_short_gap():
    def line(n, *boxes):
        return {"frame": n, "boxes": [{"kind": k, "box": b} for k, b in boxes]}

    frames = [
        line(0, ("face", [10, 10, 30, 30]), ("plate", [100, 100, 140, 110])),
        line(1, ("face", [12, 10, 32, 30]), ("face", [200, 200, 220, 220])),
        line(2),
        line(3),
        line(4, ("face", [16, 10, 36, 30]), ("manual", [10, 10, 30, 30])),
        line(8, ("face", [16, 10, 36, 30])),
    ]
    tracks = link_tracks(frames)

    first = tracks[(0, 0)]
    assert tracks[(1, 0)] == tracks[(4, 0)] == first  # two empty frames bridged
    assert tracks[(1, 1)] != first  # another face elsewhere
    assert tracks[(4, 1)] != first  # a hand-drawn box on it is not the face
    assert tracks[(8, 0)] != first  # three frames without it: a new track
    assert tracks[(0, 1)] != first


def test_it_masks_a_small_face_with_a_wider_margin_than_a_large_one(
    face_clip, tmp_path, read_frames, dark_share
):
    src, _ = face_clip
    small, large = (40, 40, 54, 54), (150, 60, 210, 120)  # 14 px and 60 px wide

    def faces(_frame):
        return np.array([[*small, 0.9], [*large, 0.9]])

    out = tmp_path / "out.mp4"
    config = RedactConfig(
        track=TrackConfig(detect_interval=10, camera_motion=False),
        mask=MaskConfig(mode=MaskMode.SOLID),  # defaults: 1.6, small faces 2.0
    )
    Redactor(config, face_detector=faces).run(src, out)
    frame = read_frames(out)[5]

    # A square 1.8 face widths wide around each face: all masked for the
    # small face (scale 2.0), not for the large one (1.6, which is masked whole).
    assert dark_share(frame, (34.4, 34.4, 59.6, 59.6)) > 0.97
    assert dark_share(frame, (125, 35, 235, 145)) < 0.9
    assert dark_share(frame, (132, 42, 228, 138)) > 0.97


def test_it_lists_one_box_per_face_in_the_box_file_and_masks_all_it_was_found_in(
    face_clip, tmp_path, read_frames, dark_share
):
    src, _ = face_clip
    # One face found twice, a little apart (two tracks of it, or two passes),
    # and a small face elsewhere.
    first, second, other = (100, 60, 140, 100), (106, 62, 146, 102), (250, 150, 266, 166)

    def faces(_frame):
        return np.array([[*first, 0.6], [*second, 0.9], [*other, 0.8]])

    out, boxes_out = tmp_path / "out.mp4", tmp_path / "boxes.jsonl"
    config = RedactConfig(
        track=TrackConfig(detect_interval=10, camera_motion=False),
        mask=MaskConfig(mode=MaskMode.SOLID),
    )
    Redactor(config, face_detector=faces).run(src, out, boxes_out=boxes_out)

    lines = [json.loads(x) for x in boxes_out.read_text().splitlines()]
    for line in lines:
        assert len(line["boxes"]) == 2, line
        assert max(b["score"] for b in line["boxes"]) == 0.9
    # Rendered again from the box file alone (what the review page's render
    # does), the same pixels are hidden.
    again = tmp_path / "again.mp4"
    argv = [str(src), str(again), "--no-faces", "--mode", "solid", "--boxes-in", str(boxes_out)]
    assert cli_redact.main([*argv, "--quiet"]) == 0
    for frame in (read_frames(out)[5], read_frames(again)[5]):
        # Both masks of the doubled face (1.6 around each) and the small face's (2.0).
        assert dark_share(frame, (88, 48, 152, 112)) > 0.97
        assert dark_share(frame, (94, 50, 158, 114)) > 0.97
        assert dark_share(frame, (242, 142, 274, 174)) > 0.97
