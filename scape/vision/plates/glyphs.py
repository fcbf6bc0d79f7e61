"""Tell a plain bar (``I``) from a one (``1``) by its shape, where the recogniser was unsure.

The recogniser, trained on general text, reads a lone vertical bar among
digits as ``1`` even where it hesitated. On plates the two differ in shape in
every plate font: a one has a flag at its top-left (DIN 1451, FE-Schrift and
the sans-serif fonts of most countries), an ``I`` is a plain bar. A ``1`` the
recogniser was unsure of is read as ``I`` only when its stroke is a plain bar:
no ink left of the stem in the top of the glyph. A stroke with any flag or
serif stays ``1``; an ``I`` is never made a ``1`` here (an ``I`` with serifs
would look like a one with a base).

Like ``emblems``, this looks at the image only, never at a format; the
character stays as unsure as the recogniser was, so a grammar may still
correct it where a national format wants a digit.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from scape.vision.plates.emblems import CORE, LINE_PAD, UNSURE, ink_levels

# Half the width looked at around the character's centre, in text heights.
HALF_WINDOW = 0.25
# Share of the glyph's height, from its top, where a one's flag is.
FLAG_ROWS = 0.35
# A plain bar has less ink than this left of its stem in those rows, in stem areas.
MAX_FLAG = 0.2
# A row inked across most of the window is the plate's frame, not the glyph.
FRAME_ROW = 0.8
# The glyph's stroke is at least this share of the text height.
MIN_HEIGHT = 0.35


def _flag(image: np.ndarray, column: float) -> float | None:
    """Return the ink left of the stem in the glyph's top rows, in stem areas; None if unclear."""
    h, w = image.shape[:2]
    lightness = cv2.cvtColor(image, cv2.COLOR_BGR2LAB)[..., 0]
    levels = ink_levels(lightness[int(CORE[0] * h) : int(CORE[1] * h)])
    if levels is None:
        return None
    ground, ink, _light = levels
    mask = lightness < (ground + ink) / 2
    text_h = h / (1 + 2 * LINE_PAD)
    x = column * w
    a, b = max(0, int(x - HALF_WINDOW * text_h)), min(w, int(np.ceil(x + HALF_WINDOW * text_h)))
    win = mask[:, a:b]
    if win.shape[1] < 3:
        return None
    frame = win.mean(axis=1) > FRAME_ROW
    counts = win[~frame].sum(axis=0)
    c = int(np.argmax(counts))
    if counts[c] == 0:
        return None
    # The stem: the columns around the fullest one that hold half its ink or more.
    left, right = c, c
    while left > 0 and counts[left - 1] >= 0.5 * counts[c]:
        left -= 1
    while right < len(counts) - 1 and counts[right + 1] >= 0.5 * counts[c]:
        right += 1
    stem = win[:, left : right + 1].any(axis=1) & ~frame
    rows = np.flatnonzero(stem)
    if rows.size == 0:
        return None
    # The stroke is the run of stem rows nearest the crop's middle.
    mid = int(rows[np.argmin(np.abs(rows - h // 2))])
    y0 = y1 = mid
    while y0 > 0 and stem[y0 - 1]:
        y0 -= 1
    while y1 < h - 1 and stem[y1 + 1]:
        y1 += 1
    height = y1 - y0 + 1
    width = right - left + 1
    if height < MIN_HEIGHT * text_h or height < 3 * width:
        return None
    top = win[y0 : y0 + max(1, int(FLAG_ROWS * height)), max(0, left - 2 * width) : left]
    return float(top.sum()) / (width * max(1, int(FLAG_ROWS * height)))


def plain_bars(
    image: np.ndarray,
    text: str,
    columns: Sequence[float] | None,
    sureness: Sequence[float] | None,
) -> set[int]:
    """Return the positions of ``1`` in ``text`` that are plain bars: ``I``, not ones.

    Only a ``1`` the recogniser was unsure of (``sureness`` below UNSURE) is looked at.
    """
    if columns is None or sureness is None or not len(columns) == len(sureness) == len(text):
        return set()
    out = set()
    for i, ch in enumerate(text):
        if ch != "1" or sureness[i] >= UNSURE:
            continue
        flag = _flag(image, columns[i])
        if flag is not None and flag < MAX_FLAG:
            out.add(i)
    return out


# Components this share of the crop's height or more are about a character's
# size (the plate's frame spans more, specks of dirt less).
MIN_GLYPH_SHARE = 0.25
# A glyph is a component within these shares of the characters' median height.
GLYPH_HEIGHTS = (0.7, 1.3)
# A zero at least this much wider (width over height) than the line's round
# digits is a letter O: in most plate fonts an O is 19-39 % wider than the
# digits, which are all as wide as one another (tabular figures).
MIN_ROUND_RATIO = 1.15
# The digits a zero is compared with: those inked out to both sides of their
# box. A 2, 3, 5 or 7 is open on its left and loses that side's thin ends in a
# blurred crop, a 1 is a bar, a 4's width varies between fonts.
ROUND_DIGITS = "689"
# Round digits a zero is compared with, at least.
MIN_DIGITS = 2


def glyph_aspects(image: np.ndarray, columns: Sequence[float]) -> list[float | None]:
    """Return the width over height of the glyph read at each column, None where unclear.

    A glyph is the one connected ink component under the column about as tall
    as the line's characters; it is unclear when there is none, or when
    another read character's column falls inside it too (touching glyphs, dirt).
    """
    h, w = image.shape[:2]
    lightness = cv2.cvtColor(image, cv2.COLOR_BGR2LAB)[..., 0]
    levels = ink_levels(lightness[int(CORE[0] * h) : int(CORE[1] * h)])
    if levels is None:
        return [None] * len(columns)
    ground, ink, _light = levels
    mask = (lightness < (ground + ink) / 2).astype(np.uint8)
    _n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    # The glyphs' height: the median of the components of about a character's
    # size (the plate's frame and specks of dirt are neither).
    sized = heights[(heights >= MIN_GLYPH_SHARE * h) & (heights <= 0.95 * h)]
    if sized.size == 0:
        return [None] * len(columns)
    glyph_h = float(np.median(sized))
    xs = [min(w - 1, max(0, int(c * w))) for c in columns]
    out: list[float | None] = []
    for x in xs:
        found = [int(k) for k in np.unique(labels[:, x]) if k != 0]
        tall = [
            k
            for k in found
            if GLYPH_HEIGHTS[0] * glyph_h
            <= stats[k, cv2.CC_STAT_HEIGHT]
            <= GLYPH_HEIGHTS[1] * glyph_h
        ]
        if len(tall) != 1:
            out.append(None)
            continue
        k = tall[0]
        left, gw = int(stats[k, cv2.CC_STAT_LEFT]), int(stats[k, cv2.CC_STAT_WIDTH])
        inside = sum(1 for o in xs if left <= o < left + gw)
        out.append(gw / float(stats[k, cv2.CC_STAT_HEIGHT]) if inside == 1 else None)
    return out


def round_letters(image: np.ndarray, text: str, columns: Sequence[float] | None) -> set[int]:
    """Return the positions of ``0`` in ``text`` whose glyph is a round letter ``O``.

    A zero is judged against the round digits (6, 8, 9) of the same line: an
    ``O`` is wider than them, a ``0`` as wide. It is also judged against the
    line's other zeros: one font's zeros are all as wide, so of two glyphs read
    ``0`` the one wider by ``MIN_ROUND_RATIO`` is an ``O`` (``O-210`` has no
    round digit, but its O is 1.3 times as wide as its 0). Judged
    whatever the recogniser's confidence (it reads an ``O`` among digits as a
    sure ``0``), but never the other way: in DIN-style fonts such as OSP-DIN
    the two glyphs are the same, so a narrow ``O`` is no evidence of a zero.
    """
    if columns is None or len(columns) != len(text) or "0" not in text:
        return set()
    aspects = glyph_aspects(image, columns)
    out = set()
    for i, ch in enumerate(text):
        a = aspects[i]
        if ch != "0" or a is None:
            continue
        others = [
            b
            for j, (c, b) in enumerate(zip(text, aspects, strict=True))
            if j != i and b is not None and c in ROUND_DIGITS
        ]
        zeros = [
            b
            for j, (c, b) in enumerate(zip(text, aspects, strict=True))
            if j != i and b is not None and c == "0"
        ]
        if (len(others) >= MIN_DIGITS and a >= MIN_ROUND_RATIO * float(np.median(others))) or (
            zeros and a >= MIN_ROUND_RATIO * min(zeros)
        ):
            out.add(i)
    return out
