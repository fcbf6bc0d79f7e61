"""Plate or sign: judged from the image and the layout of the read, not the grammar."""

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from scape.vision.plates.propose import _background, looks_like_plate, propose
from scape.vision.plates.textdet import TextBox
from tests.vision.test_plates_reader import plates


@pytest.mark.parametrize(
    ("raw", "band", "fits", "plate"),
    [
        ("ABC 123", False, True, True),
        ("PP 587AO", False, False, True),  # foreign, kept as read
        ("B AB 1234", False, False, True),
        ("RĪGA 210", False, False, False),  # a diacritic: a sign
        ("KLAIPĖDA 8 km", False, False, False),
        ("APTIEKA 24h", False, False, False),  # lower case
        ("RIMI 8-22", False, False, False),  # a word of four letters
        ("MAXIMA", False, False, False),  # no digit
        ("A-1", False, True, False),  # short: needs the band
        ("A-1", True, True, True),
        ("LV COYOTE", True, False, True),  # personalised, vouched by the band
    ],
)
def test_it_judges_the_layout_of_a_read(raw, band, fits, plate):
    assert looks_like_plate(raw, has_band=band, fits=fits) is plate


def draw_line(text: str, ground: tuple[int, int, int], ink: tuple[int, int, int]) -> np.ndarray:
    img = Image.new("RGB", (260, 60), ground[::-1])
    font = ImageFont.truetype(plates.font_path(), 40)
    ImageDraw.Draw(img).text((12, 6), text, font=font, fill=ink[::-1])
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


@pytest.mark.parametrize(
    ("ground", "ink", "colour"),
    [
        ((255, 255, 255), (15, 15, 15), "white"),
        ((0, 204, 255), (15, 15, 15), "yellow"),  # a taxi plate
        ((60, 120, 0), (245, 245, 245), "dark"),  # green direction sign
        ((160, 80, 0), (245, 245, 245), "dark"),  # blue motorway sign
        ((30, 60, 110), (245, 245, 245), "dark"),  # brown tourist sign
    ],
)
def test_it_tells_a_plate_ground_from_a_sign_ground(ground, ink, colour):
    assert _background(draw_line("RGA 210", ground, ink))[0] == colour


def test_it_proposes_the_plate_and_cuts_its_band_but_not_the_sign():
    spec = plates.PlateSpec("KM4711", "KM-4711", "LV", "car")
    frame = np.full((300, 600, 3), 96, np.uint8)
    box = plates.paste_plate(
        frame, plates.render_plate(spec), 60, (300, 220), np.random.default_rng(1), tilt=0.0
    )
    frame[30:90, 150:410] = draw_line("RGA 210", (60, 120, 0), (245, 245, 245))
    h = box[3] - box[1]
    # The detector's lines: the plate's characters (band excluded) and the sign's.
    x0 = box[0] + int(0.45 * h)
    plate_line = TextBox(np.float32([[x0, box[1] + 8], [box[2] - 6, box[1] + 8],
                                     [box[2] - 6, box[3] - 8], [x0, box[3] - 8]]), 0.9)  # fmt: skip
    sign_line = TextBox(np.float32([[158, 36], [400, 36], [400, 84], [158, 84]]), 0.9)
    props = propose(frame, [plate_line, sign_line], min_height=8, max_height=200)
    assert len(props) == 1
    assert props[0].has_band and props[0].background == "white"
    hsv = cv2.cvtColor(props[0].text_image, cv2.COLOR_BGR2HSV)
    blue = cv2.inRange(hsv, (100, 110, 50), (130, 255, 255))
    assert blue.mean() / 255 < 0.02  # the recogniser gets no band


def test_it_drops_a_line_cut_off_by_the_frame_edge():
    spec = plates.PlateSpec("KM4711", "KM-4711", "LV", "car")
    frame = np.full((300, 600, 3), 96, np.uint8)
    box = plates.paste_plate(
        frame, plates.render_plate(spec), 60, (300, 220), np.random.default_rng(1), tilt=0.0
    )
    y1, y2 = box[1] + 8, box[3] - 8
    inside = TextBox(
        np.float32([[box[0] + 30, y1], [box[2] - 6, y1], [box[2] - 6, y2], [box[0] + 30, y2]]), 0.9
    )
    assert len(propose(frame, [inside], min_height=8, max_height=200)) == 1
    # The same plate with the frame's right edge through its last characters.
    cut = frame[:, : box[2] - 40]
    w = cut.shape[1]
    at_edge = TextBox(np.float32([[box[0] + 30, y1], [w, y1], [w, y2], [box[0] + 30, y2]]), 0.9)
    assert propose(cut, [at_edge], min_height=8, max_height=200) == []


def _text_line(frame: np.ndarray, box: tuple[int, int, int, int]) -> TextBox:
    """Return the detector's line around a pasted plate's characters (band left out)."""
    x1, y1, x2, y2 = box
    h = y2 - y1
    grey = cv2.cvtColor(frame[y1:y2, x1:x2], cv2.COLOR_BGR2GRAY)
    ink = grey < 90
    ink[:, : int(0.7 * h)] = False  # the band and its letters
    ink[: int(0.12 * h)] = ink[-int(0.12 * h) :] = False  # the outline
    ink[:, -int(0.12 * h) :] = False
    ys, xs = np.nonzero(ink)
    a, b = x1 + int(xs.min()) - 2, x1 + int(xs.max()) + 3
    c, d = y1 + int(ys.min()) - 2, y1 + int(ys.max()) + 3
    return TextBox(np.float32([[a, c], [b, c], [b, d], [a, d]]), 0.9)


def test_a_short_plate_shows_its_band_across_its_light_ground():
    # LV "U-35": the characters are centred, two heights and more right of the band.
    spec = plates.PlateSpec("U35", "U-35", "LV", "trailer")
    frame = np.full((300, 600, 3), 96, np.uint8)
    box = plates.paste_plate(
        frame, plates.render_plate(spec), 60, (300, 150), np.random.default_rng(1), tilt=0.0
    )
    line = _text_line(frame, box)
    props = propose(frame, [line], min_height=8, max_height=200)
    assert len(props) == 1 and props[0].has_band
    assert props[0].box[0] <= box[0] + 4  # the plate's box takes the band in
    # The same characters on a white card beside blue paint: no band, no plate ground.
    card = np.full((300, 600, 3), 96, np.uint8)
    card[:, :300] = (160, 80, 0)
    x1, y1, x2, y2 = line.box
    card[y1 - 10 : y2 + 10, x1 - 6 : x2 + 30] = frame[y1 - 10 : y2 + 10, x1 - 6 : x2 + 30]
    card[:, : x1 - 6] = (160, 80, 0)
    props = propose(card, [line], min_height=8, max_height=200)
    assert len(props) == 1 and not props[0].has_band
