"""``scape anpr``: the command line of the plate reader."""

import json

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from scape.vision.cli_anpr import main
from tests.vision.test_plates_reader import plates, scene


def test_it_prints_json_lines(tmp_path, capsys):
    frame, _ = scene("GUF 465", "LT", "car")
    path = tmp_path / "car.png"
    cv2.imwrite(str(path), frame)
    assert main([str(path), "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert set(row) == {"file", "frame", "time_s", "plate", "text", "country", "confidence", "box"}
    assert (row["file"], row["plate"], row["text"], row["country"]) == (
        str(path),
        "GUF465",
        "GUF 465",
        "LT",
    )
    assert row["frame"] == 0 and row["time_s"] == 0
    assert 0 < row["confidence"] <= 1 and len(row["box"]) == 4


def test_it_prints_one_line_per_read(tmp_path, capsys):
    frame, _ = scene("KM-4711", "LV", "car", height=30, seed=2)
    path = tmp_path / "car.jpg"
    cv2.imwrite(str(path), frame)
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "KM-4711" in out and "LV" in out


def test_it_exits_2_on_an_unreadable_file(tmp_path, capsys):
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(b"this is not a video")
    assert main([str(bad)]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_it_exits_2_on_a_missing_file(tmp_path, capsys):
    assert main([str(tmp_path / "nope.png")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_it_reads_no_plate_in_an_empty_image(tmp_path, capsys):
    path = tmp_path / "grey.png"
    cv2.imwrite(str(path), np.full((200, 300, 3), 128, np.uint8))
    assert main([str(path), "--zone", "0,0,100,0,100,100"]) == 0
    assert capsys.readouterr().out == ""


def foreign_scene(text: str, country: str = "SK", height: int = 48):
    """A foreign plate (EU band, dark characters on white) on a plain grey road."""
    spec = plates.PlateSpec(text.replace(" ", "").replace("-", ""), text, country, "car")
    frame = np.full((360, 640, 3), 96, np.uint8)
    plates.paste_plate(
        frame, plates.render_plate(spec), height, (320, 200), np.random.default_rng(2), tilt=0.2
    )
    return frame


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("PP 587AO", "PP587AO"),  # was cut to the LT car PP5874
        ("XYZ 321", "XYZ321"),  # was cut to the LT trailer YZ321
        ("B AB 1234", "BAB1234"),  # was cut to the LV car AB1234
        ("GD 12345", "GD12345"),  # was cut to GD1234
    ],
)
def test_it_prints_a_foreign_plate_whole_with_no_country(tmp_path, capsys, text, plate):
    path = tmp_path / "foreign.png"
    cv2.imwrite(str(path), foreign_scene(text))
    assert main([str(path), "--json", "--country", "LT"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["plate"], r["country"]) for r in rows] == [(plate, None)]


def test_it_prints_no_plate_for_a_road_sign(tmp_path, capsys):
    # A green direction sign with a place name and a distance: white letters on
    # green, a diacritic, a word. Once returned as the LT car RGA210.
    frame = np.full((360, 640, 3), 96, np.uint8)
    cv2.rectangle(frame, (150, 120), (490, 220), (60, 120, 0), -1)
    cv2.rectangle(frame, (150, 120), (490, 220), (245, 245, 245), 3)
    img = Image.fromarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    font = ImageFont.truetype(plates.font_path(), 56)
    ImageDraw.Draw(img).text((175, 135), "RĪGA 210", font=font, fill=(245, 245, 245))
    path = tmp_path / "sign.png"
    cv2.imwrite(str(path), cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR))
    assert main([str(path), "--json"]) == 0
    assert capsys.readouterr().out == ""


def test_it_reads_a_plate_in_a_video_file(tmp_path, capsys):
    from tests.vision.test_plates_reader import moving_plate_video

    path = tmp_path / "car.mp4"
    moving_plate_video(path)
    assert main([str(path), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["plate"], r["country"]) for r in rows] == [("LMA325", "LT")]
