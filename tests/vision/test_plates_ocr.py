"""The recogniser's margin over look-alikes: how unsure it was of a character."""

import numpy as np

from scape.vision.plates.ocr import _margins


def test_a_character_the_recogniser_hesitated_on_has_a_small_margin():
    characters = ["blank", "K", "0", "O", "6"]
    probs = np.zeros((6, 5), np.float32)
    probs[0, 1] = 1.0  # K
    probs[1, 0] = 1.0  # blank
    probs[2, [2, 3]] = (0.89, 0.10)  # 0, with a tenth on O
    probs[3, 0] = 1.0
    probs[4, 4] = 1.0  # 6
    probs[5, 0] = 1.0
    margins = _margins(probs, characters, "K06")
    assert margins is not None
    assert margins[0] == 1.0  # K has no look-alike the grammar would swap
    assert abs(margins[1] - 0.79) < 1e-6
    assert margins[2] == 1.0  # 6 -> G, but G was given nothing


def test_no_margins_when_the_decoding_differs_from_the_text():
    probs = np.zeros((2, 3), np.float32)
    probs[0, 1] = probs[1, 2] = 1.0
    assert _margins(probs, ["blank", "A", "B"], "AC") is None
