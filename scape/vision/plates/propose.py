"""From learned text-line proposals to plate crops, and what a plate looks like.

The text detector finds every line of text: plates, but also road signs, shop
signs and badges. What makes a line a plate is judged here from the image, not
from the grammar (which fits only LT/LV plates and must keep foreign ones):

- shape: one line, wider than high, within the plate heights looked for;
- colours: dark characters on a light background, white or yellow; the white
  characters of a green, blue or brown road sign are not a plate;
- the EU band: a blue strip just left of the characters is strong evidence,
  and it is cut off so that the recogniser reads the characters only;
- layout, checked on the read (``looks_like_plate``): capital letters A-Z and
  digits, 2-10 of them, no diacritics, no lower case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from scape.vision.plates.grammar import clean, has_foreign_letter
from scape.vision.plates.textdet import TextBox

Box = tuple[int, int, int, int]

# Pixels from the frame's edge within which a text line counts as cut off.
EDGE_MARGIN = 1
# Height of the crop handed to the recogniser (its input is 48 px high).
REC_HEIGHT = 48
# How far left of the characters the band may start, in character heights.
BAND_REACH = 1.1
# A column is band when this share of its pixels is saturated blue.
BAND_COLUMN_SHARE = 0.45
# A line at most this many times as wide as high holds three or four
# characters: a short plate (LV "U-35") whose characters are centred, so its
# band lies further left than a full plate's.
SHORT_ASPECT = 3.2
# How far left of a short line's characters its band is looked for, in heights.
FAR_BAND_REACH = 3.5
# Share of the columns between a far band and the characters that must be the
# plate's light, grey ground.
FAR_GROUND_SHARE = 0.85
# Share of dark pixels above which the text is light on a dark background.
MAX_DARK_SHARE = 0.55
# Saturation (0-255) above which a background counts as coloured.
COLOURED_SATURATION = 95


@dataclass(frozen=True)
class Proposal:
    """A text line that may be a plate, rectified for the recogniser."""

    box: Box
    text_image: np.ndarray
    image: np.ndarray
    height: float
    has_band: bool
    background: str
    score: float


def _line_geometry(points: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Return the ordered corners (tl, tr, br, bl), width and height of a text line."""
    rect = cv2.minAreaRect(points.astype(np.float32))
    pts = cv2.boxPoints(rect)
    # Order the corners: the two left-most are the left edge.
    order = np.argsort(pts[:, 0])
    left, right = pts[order[:2]], pts[order[2:]]
    tl, bl = left[np.argsort(left[:, 1])]
    tr, br = right[np.argsort(right[:, 1])]
    quad = np.array([tl, tr, br, bl], dtype=np.float32)
    w = float((np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2)
    h = float((np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2)
    return quad, w, h


def merge_lines(boxes: list[TextBox], max_gap: float = 0.6) -> list[TextBox]:
    """Merge text boxes that are words of one line (``VW`` and ``4X4WP``).

    Two boxes merge when their heights are alike, they overlap vertically for
    most of their height and the gap between them is under ``max_gap`` heights.
    """
    items = [(b.points.astype(np.float32), b.score) for b in boxes]
    merged = True
    while merged:
        merged = False
        out: list[tuple[np.ndarray, float]] = []
        for pts, score in sorted(items, key=lambda it: float(it[0][:, 0].min())):
            for i, (opts, oscore) in enumerate(out):
                if _same_line(opts, pts, max_gap):
                    out[i] = (np.concatenate([opts, pts]), max(score, oscore))
                    merged = True
                    break
            else:
                out.append((pts, score))
        items = out
    result = []
    for pts, score in items:
        quad, _, _ = _line_geometry(pts)
        result.append(TextBox(quad, score))
    return result


def _same_line(a: np.ndarray, b: np.ndarray, max_gap: float) -> bool:
    ax1, ay1 = a.min(axis=0)
    ax2, ay2 = a.max(axis=0)
    bx1, by1 = b.min(axis=0)
    bx2, by2 = b.max(axis=0)
    ha, hb = ay2 - ay1, by2 - by1
    if min(ha, hb) <= 0 or max(ha, hb) / min(ha, hb) > 1.45:
        return False
    overlap = min(ay2, by2) - max(ay1, by1)
    if overlap < 0.6 * min(ha, hb):
        return False
    gap = max(bx1 - ax2, ax1 - bx2)
    return bool(gap < max_gap * min(ha, hb))


def _warp(
    frame: np.ndarray, quad: np.ndarray, left: float, right: float, vert: float
) -> tuple[np.ndarray, float]:
    """Warp the line ``quad`` upright to REC_HEIGHT, grown by the given shares of its height."""
    tl, tr, br, bl = quad
    h = float((np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2)
    w = float((np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2)
    k = REC_HEIGHT / max(h, 1.0)
    out_w = max(8, round((w + (left + right) * h) * k))
    out_h = max(8, round(h * (1 + 2 * vert) * k))
    dst = np.array(
        [
            [left * h * k, vert * h * k],
            [(left * h + w) * k, vert * h * k],
            [(left * h + w) * k, (vert * h + h) * k],
            [left * h * k, (vert * h + h) * k],
        ],
        dtype=np.float32,
    )
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    img = cv2.warpPerspective(
        frame, m, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return img, k


def _band_end(wide: np.ndarray, text_x: int) -> int | None:
    """Return the column where a blue EU band ends, or None.

    The band is looked for left of the characters (``text_x``) and up to one
    character height into the line, which the detector may have grown over it.
    """
    if text_x < 4:
        return None
    hsv = cv2.cvtColor(wide[:, : text_x + REC_HEIGHT], cv2.COLOR_BGR2HSV)
    h = hsv.shape[0]
    rows = hsv[h // 6 : h - h // 6]
    blue = cv2.inRange(rows, (100, 110, 50), (130, 255, 255))
    is_band = blue.mean(axis=0) / 255.0 > BAND_COLUMN_SHARE
    # The band is the blue run that touches the characters' left edge: it starts
    # left of them and is about half a character height wide (an emblem further
    # in, as on Slovak plates, is no band).
    reach = text_x + REC_HEIGHT // 3
    end = None
    col = 0
    while col < min(reach, is_band.size):
        if not is_band[col]:
            col += 1
            continue
        run_start = col
        while col < is_band.size and is_band[col]:
            col += 1
        width = col - run_start
        # A run from the crop's very edge is a blue surface (a sign), not a band.
        if (
            run_start > 0
            and REC_HEIGHT // 5 <= width <= REC_HEIGHT
            and col >= text_x - REC_HEIGHT // 3
        ):
            end = col
    return end


def _far_band(wide: np.ndarray, text_x: int) -> bool:
    """Return whether a band lies left of a short line, across the plate's light ground.

    The band is the blue run nearest the characters, half a character height
    wide at least (it may run on into blue paint beyond the plate), and the
    columns between it and the characters are a light, grey ground, the
    plate's: not text beside blue paint.
    """
    if text_x < REC_HEIGHT:
        return False
    part = wide[:, :text_x]
    h = part.shape[0]
    hsv = cv2.cvtColor(part, cv2.COLOR_BGR2HSV)[h // 6 : h - h // 6]
    blue = cv2.inRange(hsv, (100, 110, 50), (130, 255, 255))
    is_band = blue.mean(axis=0) / 255.0 > BAND_COLUMN_SHARE
    cols = np.flatnonzero(is_band)
    if cols.size == 0:
        return False
    end = int(cols[-1]) + 1
    start = end
    while start > 0 and is_band[start - 1]:
        start -= 1
    if end - start < REC_HEIGHT // 5 or text_x - end < REC_HEIGHT // 4:
        return False
    grey = cv2.cvtColor(part, cv2.COLOR_BGR2GRAY)[h // 6 : h - h // 6]
    middle = (int(grey.min()) + int(grey.max())) / 2
    gap = slice(end + 2, text_x - 2)
    light = (grey[:, gap] > middle) & (hsv[:, gap, 1] < COLOURED_SATURATION)
    return bool((light.mean(axis=0) > 0.7).mean() >= FAR_GROUND_SHARE)


def _background(text_img: np.ndarray) -> tuple[str, float]:
    """Judge the colours of a line: return ('white'|'yellow'|'dark'|'coloured', dark share).

    Between the characters of a line the background fills most of its box, so
    the grey-level class (Otsu) that covers most of the box's core is the
    background. A plate's is the lighter one, white or yellow; white letters on
    a green, blue or brown sign give a dark or a coloured background.
    """
    h, w = text_img.shape[:2]
    core = text_img[int(h * 0.2) : int(h * 0.8) + 1, int(w * 0.04) : int(w * 0.96) + 1]
    gray = cv2.cvtColor(core, cv2.COLOR_BGR2GRAY)
    _thr, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    light = mask > 0
    dark_share = 1.0 - float(light.mean())
    if dark_share > MAX_DARK_SHARE or not light.any():
        return "dark", dark_share
    bg = cv2.cvtColor(core, cv2.COLOR_BGR2HSV)[light]
    sat = float(np.median(bg[:, 1]))
    hue = float(np.median(bg[:, 0]))
    if sat < COLOURED_SATURATION:
        return "white", dark_share
    if 12 <= hue <= 40:
        return "yellow", dark_share
    return "coloured", dark_share


def light_ground(frame: np.ndarray, line: TextBox) -> bool:
    """Return whether a text line has dark characters on a white or yellow ground.

    Checked on each of the detector's lines before they are merged, so that a
    plate is never merged with the white letters of a sign right beside it.
    """
    quad, _w, h = _line_geometry(line.points)
    if h < 4:
        return False
    img, _k = _warp(frame, quad, 0.05, 0.05, 0.12)
    return _background(img)[0] in ("white", "yellow")


def propose(
    frame: np.ndarray,
    lines: list[TextBox],
    *,
    min_height: float,
    max_height: float,
    min_aspect: float = 1.1,
    max_aspect: float = 14.0,
) -> list[Proposal]:
    """Rectify each text line that may be a plate; drop those that cannot be one."""
    out = []
    fh, fw = frame.shape[:2]
    for line in lines:
        quad, w, h = _line_geometry(line.points)
        if not min_height <= h <= max_height or h <= 0:
            continue
        aspect = w / h
        if not min_aspect <= aspect <= max_aspect:
            continue
        # A line that runs into the frame's edge is a plate cut off by it: its
        # read would lack characters, and a partial plate is a false read.
        lx1, ly1, lx2, ly2 = line.box
        if (
            lx1 <= EDGE_MARGIN
            or ly1 <= EDGE_MARGIN
            or lx2 >= fw - EDGE_MARGIN
            or ly2 >= fh - EDGE_MARGIN
        ):
            continue
        wide, k = _warp(frame, quad, BAND_REACH, 0.15, 0.12)
        text_x = round(BAND_REACH * h * k)
        band_end = _band_end(wide, text_x)
        has_band = band_end is not None
        reach = BAND_REACH
        if not has_band and aspect <= SHORT_ASPECT:
            far, _k = _warp(frame, quad, FAR_BAND_REACH, 0.15, 0.12)
            if _far_band(far, round(FAR_BAND_REACH * h * k)):
                has_band, reach = True, FAR_BAND_REACH
        # The detector's line may reach into the band: the characters start after it.
        start = text_x - int(0.12 * REC_HEIGHT)
        if band_end is not None:
            start = max(start, band_end + 1)
        text_img = wide[:, max(0, start) :]
        if text_img.shape[1] < REC_HEIGHT // 2:
            continue
        colour, _dark = _background(text_img)
        # Light text on a dark or coloured ground is a sign, band or no band.
        if colour in ("dark", "coloured"):
            continue
        x1, y1, x2, y2 = line.box
        pad = int(0.1 * h)
        box = (
            max(0, x1 - (int(reach * h) if has_band else pad)),
            max(0, y1 - pad),
            min(fw, x2 + pad),
            min(fh, y2 + pad),
        )
        score = line.score * (1.2 if has_band else 1.0)
        out.append(Proposal(box, text_img, wide, h, has_band, colour, score))
    return out


def looks_like_plate(raw: str, *, has_band: bool, fits: bool) -> bool:
    """Return whether a read's characters are laid out like a plate's.

    Plates print capitals A-Z and digits only: a diacritic (``RĪGA``) or lower
    case (``24h``, ``km``) marks a sign. A plate has 2-10 characters. A read that
    neither fits an LT/LV format nor shows the band must look like a plate of
    somewhere: four or more characters, a digit among them, and no run of four
    letters or more (a word: ``RIMI 8-22``, ``PICA 2 EUR``). Fewer than four
    characters need the band.
    """
    if has_foreign_letter(raw):
        return False
    lower = sum(1 for ch in raw if ch.isalpha() and ch.islower())
    chars, _ = clean(raw)
    if not 2 <= len(chars) <= 10:
        return False
    # One to three characters (LV "A-1") are easily found in a grille or a
    # badge: such short plates need the band.
    if len(chars) < 4 and not has_band:
        return False
    if fits:
        return lower <= 1
    if lower:
        return False
    if has_band:
        return True
    if len(chars) < 4 or not any(ch.isdigit() for ch in chars):
        return False
    return re.search(r"[A-Z]{4}", chars) is None
