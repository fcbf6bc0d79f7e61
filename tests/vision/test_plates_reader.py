"""The plate reader end to end, on synthetic plates rendered like the benchmark's."""

import importlib.util
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from scape.vision.plates import (
    DetectConfig,
    PlateRead,
    PlateReader,
    ReaderConfig,
    detect_plate_boxes,
    vote,
)
from scape.vision.plates import reader as reader_module
from scape.vision.plates.detect import find_candidates, rectify
from scape.vision.plates.emblems import not_printed
from scape.vision.plates.glyphs import plain_bars

_spec = importlib.util.spec_from_file_location(
    "anpr_plates", Path(__file__).resolve().parents[2] / "benchmarks" / "_plates.py"
)
assert _spec is not None and _spec.loader is not None
# The benchmark's own generator, so tests and benchmark draw the same plates.
plates = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = plates
_spec.loader.exec_module(plates)


def scene(text: str, country: str, kind: str, height: int = 40, seed: int = 1):
    rng = np.random.default_rng(seed)
    spec = plates.PlateSpec(text.replace(" ", "").replace("-", ""), text, country, kind)
    frame = plates.background(rng, 960, 540)
    box = plates.paste_plate(frame, plates.render_plate(spec), height, (480, 300), rng)
    return frame, box


def read(plate, confidence, chars=None, frame=0):
    return PlateRead(
        plate=plate,
        text=plate,
        country="LT",
        kind="car",
        confidence=confidence,
        box=(0, 0, 10, 10),
        frame=frame,
        char_confidences=chars or (confidence,) * len(plate),
    )


@pytest.fixture(scope="module")
def reader():
    return PlateReader()


def test_it_reads_a_rendered_lithuanian_plate(reader):
    frame, box = scene("GUF 465", "LT", "car")
    reads = reader.read_image(frame)
    assert [(r.plate, r.text, r.country) for r in reads] == [("GUF465", "GUF 465", "LT")]
    x1, y1, x2, y2 = reads[0].box
    assert x1 < box[2] and box[0] < x2 and y1 < box[3] and box[1] < y2


def test_it_reads_a_rendered_latvian_plate(reader):
    frame, _ = scene("KM-4711", "LV", "car", height=30, seed=2)
    reads = reader.read_image(frame)
    assert [(r.plate, r.country) for r in reads] == [("KM4711", "LV")]


def test_it_ignores_plates_outside_the_zone():
    frame, _ = scene("GUF 465", "LT", "car")
    zoned = PlateReader(ReaderConfig(zone=((0, 0), (300, 0), (300, 540), (0, 540))))
    assert zoned.read_image(frame) == []


def test_it_finds_plate_boxes_without_reading(reader):
    frame, box = scene("ABC 123", "LT", "car")
    boxes = detect_plate_boxes(frame)
    assert any(
        b[0] <= box[0] + 6 and b[1] <= box[1] + 6 and b[2] >= box[2] - 6 and b[3] >= box[3] - 6
        for b in boxes
    )
    assert all(len(b) == 5 and 0.0 <= b[4] <= 1.0 for b in boxes)


def test_it_votes_reads_character_by_character():
    voted = vote(
        [
            read("ABC123", 0.9, (0.9, 0.9, 0.9, 0.9, 0.9, 0.9)),
            read("A8C123", 0.6, (0.9, 0.3, 0.9, 0.9, 0.9, 0.9)),
            read("ABC128", 0.7, (0.9, 0.9, 0.9, 0.9, 0.9, 0.4)),
            read("ABC12", 0.5, frame=7),
        ]
    )
    assert voted.plate == "ABC123"
    assert voted.votes == 4
    assert 0.0 < voted.confidence <= 1.0


def test_it_groups_a_moving_plate_into_one_read(reader):
    rng = np.random.default_rng(5)
    spec = plates.PlateSpec("LMA325", "LMA 325", "LT", "car")
    image = plates.render_plate(spec)
    bg = plates.background(rng, 960, 540)
    session = reader.session(25.0)
    out = []
    for i in range(24):
        frame = bg.copy()
        car = (300 + 6 * i, 120 + 8 * i)
        cv2.rectangle(
            frame, (car[0] - 150, car[1] - 100), (car[0] + 150, car[1] + 60), (40, 90, 160), -1
        )
        plates.paste_plate(frame, image, 34, car, np.random.default_rng(i), tilt=0.2)
        out += session.feed(frame, i, i / 25.0)
    out += session.close()
    assert [r.plate for r in out] == ["LMA325"]
    assert out[0].votes >= 2
    assert out[0].crop is not None


def plain_scene(text: str, country: str, kind: str, height: int = 40):
    """A plate alone on plain asphalt: its own text is the only text in the frame."""
    spec = plates.PlateSpec(text.replace(" ", "").replace("-", ""), text, country, kind)
    frame = np.full((540, 960, 3), 90, np.uint8)
    box = plates.paste_plate(
        frame, plates.render_plate(spec), height, (480, 300), np.random.default_rng(3), tilt=0.2
    )
    return frame, box


def test_it_gives_the_recogniser_the_plate_without_its_band():
    frame, _ = plain_scene("KM-4711", "LV", "car", height=60)
    cands = find_candidates(frame, DetectConfig())
    rect = next(r for r in (rectify(frame, c.box) for c in cands) if r.has_band)
    hsv = cv2.cvtColor(rect.image, cv2.COLOR_BGR2HSV)
    text_hsv = cv2.cvtColor(rect.text_image, cv2.COLOR_BGR2HSV)

    def blue_share(img):
        strip = img[:, : max(2, img.shape[1] // 20)]
        return float(np.count_nonzero(cv2.inRange(strip, (95, 70, 30), (135, 255, 255)))) / (
            strip.shape[0] * strip.shape[1]
        )

    assert blue_share(hsv) > 0.5  # the crop kept for people shows the band
    assert blue_share(text_hsv) < 0.2  # the recogniser gets the characters only
    assert rect.text_image.shape[1] < rect.image.shape[1]


def test_it_reads_a_clean_plate_in_one_batch(monkeypatch):
    # The real recogniser, counted: one still needs one batch, not a call per line.
    frame, _ = plain_scene("KJZ 114", "LT", "car")
    calls = []
    real = reader_module.recognise

    def counted(crops, threads=0):
        calls.append(len(crops))
        return real(crops, threads)

    monkeypatch.setattr(reader_module, "recognise", counted)
    assert [r.plate for r in PlateReader().read_image(frame)] == ["KJZ114"]
    assert len(calls) == 1


def test_it_fits_the_whole_plate_around_a_short_number():
    # "Z-50" sits in the middle of a plate five times as wide as it is high: a
    # candidate around the text alone must still be fitted to the whole plate,
    # band included, so the band counts as the country's.
    frame, box = plain_scene("Z-50", "LV", "trailer", height=60)
    cx, h = (box[0] + box[2]) // 2, box[3] - box[1]
    rect = rectify(frame, (cx - h, box[1] + h // 6, cx + h, box[3] - h // 6))
    assert rect.fitted and rect.has_band
    assert rect.box[0] <= box[0] + 6 and rect.box[2] >= box[2] - 6


def moving_plate_video(path: Path, frames: int = 24) -> None:
    """Write a short H.264 clip of one Lithuanian car driving through the frame."""
    import av

    rng = np.random.default_rng(5)
    image = plates.render_plate(plates.PlateSpec("LMA325", "LMA 325", "LT", "car"))
    bg = plates.background(rng, 960, 540)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=25, options={"crf": "14", "preset": "ultrafast"})
        stream.width, stream.height, stream.pix_fmt = 960, 540, "yuv420p"
        for i in range(frames):
            frame = bg.copy()
            car = (300 + 6 * i, 120 + 8 * i)
            cv2.rectangle(
                frame, (car[0] - 150, car[1] - 100), (car[0] + 150, car[1] + 60), (40, 90, 160), -1
            )
            plates.paste_plate(frame, image, 34, car, np.random.default_rng(i), tilt=0.2)
            out.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format="bgr24")))
        out.mux(stream.encode())


def test_it_reads_a_video_file_and_reports_its_progress(reader, tmp_path):
    path = tmp_path / "car.mp4"
    moving_plate_video(path)
    seen: list[float] = []

    reads = list(reader.read_video(path, progress=seen.append))

    assert [r.plate for r in reads] == ["LMA325"]
    assert len(seen) > 10 and seen == sorted(seen)
    assert seen[-1] == 1.0 and max(seen[:-1]) < 1.0


def test_it_says_a_file_without_video_is_not_a_video(reader, tmp_path):
    from scape.vision.video import UnreadableVideoError

    path = tmp_path / "notes.mp4"
    path.write_bytes(b"not a video at all")
    with pytest.raises(UnreadableVideoError):
        list(reader.read_video(path))


def test_frames_decoded_ahead_come_in_order_and_a_decoding_error_reaches_the_reader():
    # The next frames are decoded on a thread while the current one is read:
    # the reader still sees every frame once, in order, and a broken file's
    # error where it happened, not a silent end of the video.
    def frames():
        yield from range(5)
        raise RuntimeError("broken packet")

    got = []
    with pytest.raises(RuntimeError, match="broken packet"):
        for frame in reader_module._ahead(frames()):
            got.append(frame)
    assert got == [0, 1, 2, 3, 4]


def test_a_video_read_stopped_early_leaves_no_decoding_thread():
    import threading

    decoded = reader_module._ahead(iter(range(10_000)), depth=2)
    assert next(decoded) == 0
    decoded.close()
    assert not [t for t in threading.enumerate() if t.name == "plates-decode"]


def _gap_centre(plate: np.ndarray) -> int:
    """Return the column in the middle of the widest gap between the plate's characters."""
    gray = cv2.cvtColor(plate, cv2.COLOR_BGR2GRAY)
    h = plate.shape[0]
    cols = np.where((gray[h // 4 : 3 * h // 4] < 100).any(axis=0))[0]
    cols = cols[cols > plates.BAND_W + 12]
    k = int(np.argmax(np.diff(cols)))
    return int((cols[k] + cols[k + 1]) // 2)


def stickers(plate: np.ndarray) -> None:
    """Two round pale stickers one above the other, as on Czech plates."""
    cx, cy, r = _gap_centre(plate), plate.shape[0] // 2, int(plate.shape[0] * 0.12)
    cv2.circle(plate, (cx, cy - int(1.3 * r)), r, (150, 150, 200), -1)
    cv2.circle(plate, (cx, cy + int(1.3 * r)), r, (150, 190, 150), -1)


def shield(plate: np.ndarray) -> None:
    """A red shield with a white cross and blue hills, as on Slovak plates."""
    cx, h = _gap_centre(plate), plate.shape[0]
    w, top, hh = int(h * 0.45), int(h * 0.22), int(h * 0.55)
    outline = [
        [cx - w // 2, top],
        [cx + w // 2, top],
        [cx + w // 2, top + hh * 2 // 3],
        [cx, top + hh],
        [cx - w // 2, top + hh * 2 // 3],
    ]
    cv2.fillPoly(plate, [np.array(outline, np.int32)], (40, 40, 210))
    cv2.line(plate, (cx, top + 3), (cx, top + hh - 8), (255, 255, 255), max(2, w // 8))
    cv2.line(plate, (cx - w // 4, top + hh // 4), (cx + w // 4, top + hh // 4), (255, 255, 255), 5)
    cv2.ellipse(plate, (cx, top + hh - 6), (w // 2 - 2, hh // 5), 0, 180, 360, (160, 60, 0), -1)


@pytest.mark.parametrize(
    ("text", "mark", "height"),
    [("4B2   1875", stickers, 34), ("3B2   9485", stickers, 40), ("RK   069AV", shield, 30)],
)
def test_a_foreign_plate_is_read_without_its_stickers_or_emblem(text, mark, height):
    plate = plates.render_plate(plates.PlateSpec(text.replace(" ", ""), text, "SK", "car"))
    mark(plate)
    frame = np.full((540, 960, 3), 90, np.uint8)
    plates.paste_plate(frame, plate, height, (480, 300), np.random.default_rng(3), tilt=0.2)

    reads = PlateReader().read_image(frame)

    # Every character printed, nothing for the marks, and no LT/LV country.
    assert [(r.plate, r.country) for r in reads] == [(text.replace(" ", ""), None)]


def _bars_crop() -> np.ndarray:
    """A line crop as the recogniser gets it: a plain bar at x=60, a one with its flag at x=140."""
    crop = np.full((60, 200, 3), 235, np.uint8)
    cv2.rectangle(crop, (57, 12), (63, 48), (25, 25, 25), -1)
    cv2.rectangle(crop, (137, 12), (143, 48), (25, 25, 25), -1)
    cv2.line(crop, (138, 13), (126, 23), (25, 25, 25), 5)
    return cv2.GaussianBlur(crop, (3, 3), 0)


def test_an_unsure_one_that_is_a_plain_bar_is_read_as_i():
    crop = _bars_crop()
    columns = (60 / 200, 140 / 200)
    assert plain_bars(crop, "11", columns, (0.6, 0.6)) == {0}
    # What the recogniser was sure of is left as it read it.
    assert plain_bars(crop, "11", columns, (0.99, 0.6)) == set()


def _line_crop(marks: dict[int, str]) -> tuple[np.ndarray, tuple[float, ...]]:
    """Seven places of a line: a dark character in each, or a pale sticker, or nothing."""
    crop = np.full((60, 280, 3), 235, np.uint8)
    centres = [20 + 40 * k for k in range(7)]
    for k, x in enumerate(centres):
        what = marks.get(k, "char")
        if what == "char":
            cv2.rectangle(crop, (x - 9, 12), (x + 9, 48), (25, 25, 25), 4)
        elif what == "sticker":
            cv2.circle(crop, (x, 22), 6, (150, 150, 200), -1)
            cv2.circle(crop, (x, 38), 6, (150, 190, 150), -1)
            # the stickers' own small print
            cv2.line(crop, (x, 20), (x, 24), (40, 40, 40), 1)
            cv2.line(crop, (x, 36), (x, 40), (40, 40, 40), 1)
    return crop, tuple(x / 280 for x in centres)


def test_an_unsure_character_read_on_a_sticker_is_not_printed():
    crop, columns = _line_crop({3: "sticker"})
    assert not_printed(crop, "ABC8DEF", columns, (1.0,) * 3 + (0.5,) + (1.0,) * 3) == {3}
    # The recogniser's sure reads are never judged.
    assert not_printed(crop, "ABC8DEF", columns, (1.0,) * 7) == set()


def test_an_unsure_character_with_no_ink_at_all_is_kept():
    # A character washed out by glare leaves the ground only: no mark to drop.
    crop, columns = _line_crop({6: "nothing"})
    assert not_printed(crop, "ABCDEF0", columns, (1.0,) * 6 + (0.5,)) == set()
