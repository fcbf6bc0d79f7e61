"""Tell characters the recogniser read on an emblem or a sticker from printed ones.

Many plates carry something between or before their characters that is no
character: the Slovak coat of arms, the round inspection and emission stickers
of Czech plates, a city's badge. The recogniser, which reads a whole line,
often reads such a thing as a character (a shield as ``P`` or ``O``, two round
stickers as ``8``), and is unsure of it.

What a printed character is, whatever its font: strokes of the plate's ink,
as dark as the other characters' strokes, running through most of the
character's height. An emblem or a sticker is coloured or mid-grey, and has
little of that ink. A character is judged not printed only when the
recogniser was unsure of it too, and only against the other characters of the
same line, so that a line read from a dim, blurred or dirty plate is judged by
its own ink, not by a fixed level. The grammar plays no part: the judgement is
made on the image before any format is looked at.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

# Below this confidence the recogniser counts as unsure of a character.
UNSURE = 0.85
# Half the width looked at around a character's centre, in text heights.
HALF_WINDOW = 0.2
# A pixel is ink when its lightness is this close to the ink's (0 = ink, 1 = ground).
INK_LEVEL = 0.35
# A pixel whose chroma exceeds the ground's by this much (Lab) is colour, not ink.
COLOUR_CHROMA = 15.0
# Not printed: its ink runs through less than this share of the rows the line's
# other characters' ink runs through (median)...
MAX_ROWS_RATIO = 0.5
# ...and it holds less than this share of their ink (median)...
MAX_INK_RATIO = 0.7
# ...but not nothing: a shield's outline or a sticker's print leaves some ink in
# this share of the others' rows at least, where a character washed out by glare
# or blur leaves none, and is kept.
MIN_ROWS_RATIO = 0.1
# The crop holds the line grown by this share of its height above and below
# (``propose``): the text is the crop's height / (1 + 2 * LINE_PAD).
LINE_PAD = 0.12
# The line's vertical core (the characters' rows) in the crop, as shares of its height.
CORE = (0.15, 0.85)


def ink_levels(lightness: np.ndarray) -> tuple[float, float, np.ndarray] | None:
    """Return the ground's and the ink's lightness in a line's core, and its light pixels.

    None when the line has no clear ink on a clear ground.
    """
    t, _ = cv2.threshold(lightness, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    light = lightness >= t
    if light.all() or not light.any():
        return None
    ground = float(np.median(lightness[light]))
    ink_level = float(np.percentile(lightness[~light], 25))
    if ground - ink_level < 20:
        return None
    return ground, ink_level, light


def _ink(image: np.ndarray) -> np.ndarray | None:
    """Return the mask of ink pixels in the core rows of a line crop, or None."""
    h = image.shape[0]
    y1, y2 = int(CORE[0] * h), int(CORE[1] * h)
    core = image[y1:y2]
    if core.size == 0:
        return None
    lab = cv2.cvtColor(core, cv2.COLOR_BGR2LAB)
    lightness = lab[..., 0]
    chroma = np.hypot(lab[..., 1].astype(np.float32) - 128, lab[..., 2].astype(np.float32) - 128)
    levels = ink_levels(lightness)
    if levels is None:
        return None
    ground, ink_level, light = levels
    colour = chroma > float(np.median(chroma[light])) + COLOUR_CHROMA
    mask: np.ndarray = (lightness < ink_level + INK_LEVEL * (ground - ink_level)) & ~colour
    return mask


def not_printed(
    image: np.ndarray,
    text: str,
    columns: Sequence[float] | None,
    confidences: Sequence[float] | None,
) -> set[int]:
    """Return the positions in ``text`` read on an emblem or sticker, not on a character.

    ``image`` is the crop the recogniser read, ``columns`` each character's
    centre as a share of its width and ``confidences`` how sure the recogniser
    was of each. Only letters and digits it was unsure of are judged; a line
    with fewer than four other characters to compare with is left as it is.
    """
    if columns is None or confidences is None:
        return set()
    if not len(columns) == len(confidences) == len(text):
        return set()
    alnum = [i for i, ch in enumerate(text) if ch.isascii() and ch.isalnum()]
    unsure = [i for i in alnum if confidences[i] < UNSURE]
    if not unsure or len(alnum) - 1 < 4:
        return set()
    mask = _ink(image)
    if mask is None:
        return set()
    w = mask.shape[1]
    half = HALF_WINDOW * image.shape[0] / (1 + 2 * LINE_PAD)
    share, coverage = {}, {}
    for i in alnum:
        x = columns[i] * w
        a, b = max(0, int(x - half)), min(w, int(np.ceil(x + half)))
        win = mask[:, a:b]
        share[i] = float(win.mean()) if win.size else 0.0
        coverage[i] = float(win.any(axis=1).mean()) if win.size else 0.0
    out: set[int] = set()
    for i in unsure:
        others = [j for j in alnum if j != i and j not in out]
        if len(others) < 4:
            break
        ink = float(np.median([share[j] for j in others]))
        through = float(np.median([coverage[j] for j in others]))
        if (
            MIN_ROWS_RATIO * through <= coverage[i] < MAX_ROWS_RATIO * through
            and share[i] < MAX_INK_RATIO * ink
        ):
            out.add(i)
    return out
