"""Glyph shapes judged on the image: a round letter O told from a zero."""

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from scape.vision.plates import ReaderConfig
from scape.vision.plates.glyphs import round_letters
from scape.vision.plates.ocr import TextRead
from scape.vision.plates.propose import Proposal
from scape.vision.plates.reader import to_read

# A font with a round O and tabular digits, as most plate fonts have; kept in
# the repository, so the test does not depend on the system's fonts.
FONT = Path(__file__).resolve().parents[2] / "scape" / "core" / "fonts" / "DejaVuSans-Bold.ttf"


def line_crop(text: str, blur: bool = True) -> tuple[np.ndarray, tuple[float, ...]]:
    """Return a crop of ``text`` as the recogniser gets it, and each character's centre."""
    font = ImageFont.truetype(str(FONT), 40)
    img = Image.new("RGB", (40 + 34 * len(text), 60), (235, 235, 235))
    draw = ImageDraw.Draw(img)
    x, centres = 16.0, []
    for ch in text:
        left, _top, right, _bottom = draw.textbbox((x, 8), ch, font=font)
        draw.text((x, 8), ch, font=font, fill=(25, 25, 25))
        centres.append((left + right) / 2)
        x = right + 6
    crop = np.array(img)[:, : int(x) + 10, ::-1].copy()
    if blur:
        crop = cv2.GaussianBlur(crop, (3, 3), 0)
    return crop, tuple(c / crop.shape[1] for c in centres)


@pytest.mark.parametrize("printed", ["O-1963", "O-8469"])
def test_it_tells_a_round_letter_o_read_as_zero(printed):
    crop, columns = line_crop(printed)
    assert round_letters(crop, "0" + printed[1:], columns) == {0}


@pytest.mark.parametrize("printed", ["0-1963", "A-8096", "GCS 980"])
def test_it_leaves_a_printed_zero_a_zero(printed):
    crop, columns = line_crop(printed)
    assert round_letters(crop, printed, columns) == set()


def test_it_does_not_judge_a_zero_without_round_digits_to_compare_with():
    # Only a 3 and a 5 beside it: they are open on the left, no fair measure.
    crop, columns = line_crop("O-35")
    assert round_letters(crop, "0-35", columns) == set()


def proposal(crop: np.ndarray) -> Proposal:
    return Proposal((0, 0, crop.shape[1], crop.shape[0]), crop, crop, 40.0, False, "white", 1.0)


def test_a_latvian_plate_whose_o_the_recogniser_read_as_a_sure_zero_is_read_o():
    crop, columns = line_crop("O-1963")
    sure = (0.99,) * 6
    text = TextRead("0-1963", 0.99, sure, (1.0,) * 6, columns)

    read = to_read(text, proposal(crop), ReaderConfig())

    assert read is not None
    assert (read.plate, read.text, read.country) == ("O1963", "O-1963", "LV")


def test_a_plate_whose_zero_is_read_as_a_zero_keeps_it():
    crop, columns = line_crop("A-8096")
    text = TextRead("A-8096", 0.99, (0.99,) * 6, (1.0,) * 6, columns)

    read = to_read(text, proposal(crop), ReaderConfig())

    assert read is not None
    assert (read.plate, read.country) == ("A8096", "LV")


@pytest.mark.parametrize(
    ("printed", "rounds"), [("O-210", {0}), ("OO-9209", {0, 1}), ("KO 100", {1})]
)
def test_it_tells_a_round_letter_o_from_a_zero_of_the_same_line(printed, rounds):
    # No two round digits to compare with, but a true zero beside it.
    crop, columns = line_crop(printed)
    assert round_letters(crop, printed.replace("O", "0"), columns) == rounds


@pytest.mark.parametrize("printed", ["0-210", "A-1007", "GC 100"])
def test_it_leaves_zeros_of_one_width_zeros(printed):
    crop, columns = line_crop(printed)
    assert round_letters(crop, printed, columns) == set()
