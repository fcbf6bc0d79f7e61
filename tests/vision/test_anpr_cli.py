"""``scape anpr``: the command line of the plate reader."""

import json

import cv2
import numpy as np

from scape.vision.cli_anpr import main
from tests.vision.test_plates_reader import scene


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
