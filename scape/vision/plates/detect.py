"""Find licence-plate candidates with classic image processing, and rectify them.

Plates are dense rows of vertical strokes on a light rectangle. The finder looks
for exactly that on a small image pyramid (each level covers one band of plate
heights, so a fixed morphology kernel fits the characters at that level), keeps
rectangles of plate shape and scores them by how plate-like their contents are.
No neural network runs here: this is the cheap stage that decides where the
expensive recogniser looks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from scape.vision.geometry import iou
from scape.vision.plates.config import DetectConfig

Box = tuple[int, int, int, int]

# At each pyramid level a plate should be this many pixels high for the kernels below.
LEVEL_MIN_H = 7
LEVEL_MAX_H = 26
# EU plates are 520 x 110 mm; the blue band is the leftmost 40-ish mm.
PLATE_ASPECT = 520 / 110
BAND_FRACTION = 44 / 520
_CLOSE = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3))
# Opening with a wide flat kernel cuts off thin slanted lines (lane marks, poles)
# that touch a plate and would merge with its text blob.
_OPEN = cv2.getStructuringElement(cv2.MORPH_RECT, (11, 3))


@dataclass(frozen=True)
class Candidate:
    """A region that may hold a plate, in frame pixels, with a plate-likeness score."""

    box: Box
    score: float


@dataclass
class Rectified:
    """A plate fitted in a frame; ``image`` is its crop warped upright.

    The warp runs on first use only: in video most fitted plates are tracked
    without being read, so most warps would be wasted.
    """

    quad: np.ndarray
    box: Box
    has_band: bool
    fitted: bool
    _crop: np.ndarray = field(repr=False)
    _matrix: np.ndarray = field(repr=False)
    _size: tuple[int, int] = (0, 0)
    _image: np.ndarray | None = field(default=None, repr=False)
    band_px: int = 0

    @property
    def image(self) -> np.ndarray:
        """Return the upright plate crop (BGR, the configured height)."""
        if self._image is None:
            self._image = cv2.warpPerspective(
                self._crop,
                self._matrix,
                self._size,
                flags=cv2.INTER_CUBIC,
                borderMode=cv2.BORDER_REPLICATE,
            )
        return self._image

    @property
    def text_image(self) -> np.ndarray:
        """Return the upright crop without the blue band: the plate's characters only.

        The recogniser hardly ever reads the small band letters, but reads the
        band's stars as a stray ``0``, ``O`` or ``E`` before the plate.
        """
        image = self.image
        return image[:, self.band_px :] if self.band_px else image


def _levels(cfg: DetectConfig) -> list[int]:
    """Return the pyramid levels (0 = full size) that cover the configured heights."""
    out = []
    for level in range(6):
        s = 0.5**level
        lo, hi = LEVEL_MIN_H / s, LEVEL_MAX_H / s
        if hi >= cfg.min_plate_height and lo <= cfg.max_plate_height:
            out.append(level)
    return out


def _score(gray: np.ndarray, edges: np.ndarray, x: int, y: int, w: int, h: int) -> float:
    """Score how plate-like a rectangle is: light background, dark strokes, even rows."""
    patch = gray[y : y + h, x : x + w]
    if patch.size == 0:
        return 0.0
    t, binary = cv2.threshold(patch, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    light = float(np.count_nonzero(binary)) / binary.size
    # Characters cover roughly a third of a plate; a sign or a grille covers other shares.
    light_score = max(0.0, 1.0 - abs(light - 0.65) / 0.35)
    lo = float(patch[binary == 0].mean()) if light < 1.0 else t
    hi = float(patch[binary > 0].mean()) if light > 0.0 else t
    contrast = min(1.0, (hi - lo) / 90.0)
    # Strokes run through the middle rows of a plate, not along its top or bottom.
    e = edges[y : y + h, x : x + w]
    mid = float(np.count_nonzero(e[h // 4 : h - h // 4])) / max(1, e[h // 4 : h - h // 4].size)
    stroke = min(1.0, mid / 0.25)
    return light_score * 0.4 + contrast * 0.35 + stroke * 0.25


def find_candidates(
    frame_bgr: np.ndarray,
    cfg: DetectConfig,
    roi: Box | None = None,
    gray: np.ndarray | None = None,
) -> list[Candidate]:
    """Return plate candidates in ``frame_bgr`` (or only in ``roi``), best first."""
    fh, fw = frame_bgr.shape[:2]
    ox, oy = 0, 0
    if roi is not None:
        ox, oy = max(0, roi[0]), max(0, roi[1])
        region = (slice(oy, min(fh, roi[3])), slice(ox, min(fw, roi[2])))
        gray = cv2.cvtColor(frame_bgr[region], cv2.COLOR_BGR2GRAY) if gray is None else gray[region]
    elif gray is None:
        gray = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2GRAY)
    found: list[Candidate] = []
    levels = _levels(cfg)
    img = gray
    for level in range(max(levels) + 1 if levels else 0):
        if level > 0:
            if min(img.shape[:2]) < 16:
                break
            img = cv2.pyrDown(img)
        if level not in levels:
            continue
        s = 0.5**level
        found.extend(_find_at_level(img, s, cfg, ox, oy))
    found.sort(key=lambda c: c.score, reverse=True)
    kept: list[Candidate] = []
    for c in found:
        # A whole line and one of its words both stay: the word may score higher
        # but only the line holds the whole plate.
        if all(iou(c.box, k.box) < 0.3 or _nested(c.box, k.box) for k in kept):
            kept.append(c)
        if len(kept) >= cfg.max_candidates:
            break
    return kept


def _nested(a: Box, b: Box) -> bool:
    """Return whether the smaller box lies inside a clearly larger one."""
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    area_a = (a[2] - a[0]) * (a[3] - a[1])
    area_b = (b[2] - b[0]) * (b[3] - b[1])
    small, large = min(area_a, area_b), max(area_a, area_b)
    return ix * iy >= 0.85 * small and large >= 1.4 * small


def _find_at_level(
    img: np.ndarray, s: float, cfg: DetectConfig, ox: int, oy: int
) -> list[Candidate]:
    grad = cv2.convertScaleAbs(cv2.Sobel(img, cv2.CV_16S, 1, 0, ksize=3))
    _, edges = cv2.threshold(grad, cfg.edge_threshold, 255, cv2.THRESH_BINARY)
    blob = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, _CLOSE)
    blob = cv2.morphologyEx(blob, cv2.MORPH_OPEN, _OPEN)
    contours, _ = cv2.findContours(blob, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    # The text blob is about 0.7 plate heights tall; a slanted plate's edges can
    # make it as tall as the plate. Neighbouring levels overlap on purpose.
    min_h = max(LEVEL_MIN_H * 0.7, cfg.min_plate_height * s * 0.65)
    max_h = min(LEVEL_MAX_H * 1.5, cfg.max_plate_height * s * 1.2)
    pieces = []
    for c in contours:
        x, y, w, h = cv2.boundingRect(c)
        if min_h <= h <= max_h:
            pieces.append((x, y, w, h, cv2.contourArea(c)))
    out = []
    for x, y, w, h, area in _join_words(pieces):
        if w < cfg.min_aspect * h * 0.8 or w > cfg.max_aspect * h * 1.3:
            continue
        fill = area / float(w * h)
        if fill < 0.45:
            continue
        # Grow the text blob to the whole plate: margins around the characters.
        gx, gy = int(h * 0.35), int(h * 0.3)
        x0, y0 = max(0, x - gx), max(0, y - gy)
        x1, y1 = min(img.shape[1], x + w + gx), min(img.shape[0], y + h + gy)
        score = _score(img, edges, x0, y0, x1 - x0, y1 - y0) * min(1.0, fill / 0.6)
        if score < cfg.min_score:
            continue
        box = (
            int(x0 / s) + ox,
            int(y0 / s) + oy,
            int(np.ceil(x1 / s)) + ox,
            int(np.ceil(y1 / s)) + oy,
        )
        out.append(Candidate(box, score))
    return out


def _join_words(
    pieces: list[tuple[int, int, int, int, float]],
) -> list[tuple[int, int, int, int, float]]:
    """Join text blobs that sit side by side on one line (``ABC`` and ``123``).

    On large plates the gap between the letter and digit groups is wider than
    the closing kernel, so each group is its own blob; a plate is their union.
    Single pieces are kept too, so a joined line never hides its parts.
    """
    pieces = sorted(pieces)
    out = list(pieces)
    used = [False] * len(pieces)
    for i, (x, y, w, h, a) in enumerate(pieces):
        if used[i]:
            continue
        gx1, gy1, gx2, gy2, area, joined = x, y, x + w, y + h, a, False
        for j in range(i + 1, len(pieces)):
            x2, y2, w2, h2, a2 = pieces[j]
            gh = gy2 - gy1
            overlap = min(gy2, y2 + h2) - max(gy1, y2)
            if x2 - gx2 > 1.2 * max(gh, h2) or x2 < gx1:
                continue
            if overlap < 0.6 * min(gh, h2) or not (0.6 <= h2 / gh <= 1.6):
                continue
            gx1, gy1 = min(gx1, x2), min(gy1, y2)
            gx2, gy2 = max(gx2, x2 + w2), max(gy2, y2 + h2)
            area += a2
            used[j] = joined = True
        if joined:
            out.append((gx1, gy1, gx2 - gx1, gy2 - gy1, area))
    return out


def _order_quad(pts: np.ndarray) -> np.ndarray:
    """Order four points as top-left, top-right, bottom-right, bottom-left."""
    pts = pts.reshape(4, 2).astype(np.float32)
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array(
        [pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]],
        dtype=np.float32,
    )


def _plate_quad(crop: np.ndarray) -> np.ndarray | None:
    """Return the quadrilateral of the light plate body in ``crop``, or None."""
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    _, light = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    contours, _ = cv2.findContours(light, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(c)
    area = cv2.contourArea(hull)
    h, w = gray.shape[:2]
    if area < 0.1 * h * w:
        return None
    peri = cv2.arcLength(hull, True)
    quad = None
    for eps in (0.02, 0.04, 0.06, 0.08):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            quad = approx
            break
    if quad is None:
        quad = cv2.boxPoints(cv2.minAreaRect(hull))
    q = _order_quad(np.asarray(quad))
    # A quad that is far from the hull area is a bad fit (clutter merged in).
    if cv2.contourArea(q) > 1.35 * area or cv2.contourArea(q) < 0.6 * area:
        return None
    top, left = np.linalg.norm(q[1] - q[0]), np.linalg.norm(q[3] - q[0])
    if left < 1 or not (2.0 <= top / left <= 7.5):
        return None
    return q


def _contains(outer: np.ndarray, inner: np.ndarray) -> bool:
    """Return whether ``inner`` lies inside ``outer`` (grown by a few pixels)."""
    if cv2.contourArea(outer) <= cv2.contourArea(inner):
        return False
    poly = outer.reshape(-1, 1, 2).astype(np.float32)
    return all(cv2.pointPolygonTest(poly, (float(x), float(y)), True) >= -3.0 for x, y in inner)


def _cut_at_side(quad: np.ndarray, width: int) -> bool:
    """Return whether ``quad`` reaches the left or right edge of a crop ``width`` wide."""
    xs = quad[:, 0]
    return bool(xs.min() <= 1.0 or xs.max() >= width - 2.0)


def _blue_band(crop: np.ndarray, quad: np.ndarray) -> bool:
    """Return whether the strip left of ``quad`` is the blue EU band."""
    tl, tr, _, bl = quad
    step = (tr - tl) * (BAND_FRACTION / (1 - BAND_FRACTION))
    strip = np.array([tl - step, tl, bl, bl - step], dtype=np.int32)
    mask = np.zeros(crop.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, strip, 255)
    if cv2.countNonZero(mask) < 4:
        return False
    hsv = cv2.cvtColor(crop, cv2.COLOR_BGR2HSV)
    blue = cv2.inRange(hsv, (95, 70, 30), (135, 255, 255))
    return cv2.countNonZero(cv2.bitwise_and(blue, mask)) > 0.3 * cv2.countNonZero(mask)


def rectify(frame_bgr: np.ndarray, box: Box, out_h: int = 48) -> Rectified:
    """Warp the plate inside ``box`` to an upright crop ``out_h`` pixels high.

    The light plate body is fitted with a quadrilateral; when the blue band is
    found to its left the quad is extended over it (``image`` shows the whole
    plate; ``text_image`` leaves the band out for the recogniser). When no clean
    quad is found the box itself is used.
    """
    fh, fw = frame_bgr.shape[:2]
    x1, y1, x2, y2 = box
    bh = y2 - y1
    # Margin on the left reaches the band when the text blob started after it.
    mx1, my1 = max(0, x1 - int(bh * 0.6)), max(0, y1 - int(bh * 0.25))
    mx2, my2 = min(fw, x2 + int(bh * 0.25)), min(fh, y2 + int(bh * 0.25))
    crop = frame_bgr[my1:my2, mx1:mx2]
    quad = _plate_quad(crop) if crop.size else None
    if quad is not None and _cut_at_side(quad, crop.shape[1]):
        # The outline runs out of the crop: the text is short and centred on a
        # wider plate (``Z-50``). Fit again on a crop a whole plate wide, so the
        # band (and its letters) is found too.
        half = int(bh * PLATE_ASPECT * 0.75)
        cx = (x1 + x2) // 2
        wx1, wx2 = max(0, min(mx1, cx - half)), min(fw, max(mx2, cx + half))
        wide = frame_bgr[my1:my2, wx1:wx2]
        wquad = _plate_quad(wide) if wide.size else None
        # Only the same plate, grown: the first outline must lie inside the new
        # one, and the new one must end inside the wider crop (else it is the
        # background, not a plate).
        if (
            wquad is not None
            and not _cut_at_side(wquad, wide.shape[1])
            and _contains(wquad, quad + np.array([mx1 - wx1, 0], dtype=np.float32))
        ):
            crop, quad, mx1, mx2 = wide, wquad, wx1, wx2
    fitted = quad is not None
    has_band = False
    band_frac = 0.0
    if quad is not None:
        has_band = _blue_band(crop, quad)
        if has_band:
            step = (quad[1] - quad[0]) * (BAND_FRACTION / (1 - BAND_FRACTION))
            quad = np.array([quad[0] - step, quad[1], quad[2], quad[3] - step], np.float32)
            band_frac = BAND_FRACTION
        # A little margin: the recogniser reads edge characters better with room.
        c = quad.mean(axis=0)
        quad = c + (quad - c) * np.array([1.03, 1.12], dtype=np.float32)
        top = float(np.linalg.norm(quad[1] - quad[0]))
        side = float(np.linalg.norm(quad[3] - quad[0]))
    else:
        cx1, cy1, cx2, cy2 = x1 - mx1, y1 - my1, x2 - mx1, y2 - my1
        quad = np.array([[cx1, cy1], [cx2, cy1], [cx2, cy2], [cx1, cy2]], dtype=np.float32)
        top, side = float(cx2 - cx1), float(cy2 - cy1)
    out_w = max(out_h, min(int(out_h * top / max(side, 1.0)), out_h * 10))
    dst = np.array([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    full = quad + np.array([mx1, my1], dtype=np.float32)
    bx1, by1 = np.floor(full.min(axis=0)).astype(int)
    bx2, by2 = np.ceil(full.max(axis=0)).astype(int)
    out_box = (max(0, int(bx1)), max(0, int(by1)), min(fw, int(bx2)), min(fh, int(by2)))
    # The band ends a little past its share of the grown quad (margin included).
    band_px = int(out_w * (0.015 + band_frac * 1.02)) if has_band else 0
    return Rectified(full, out_box, has_band, fitted, crop, m, (out_w, out_h), band_px=band_px)


def point_in_zone(zone: tuple[tuple[int, int], ...] | None, x: float, y: float) -> bool:
    """Return whether a point lies in the zone polygon (always, with no zone)."""
    if zone is None:
        return True
    poly = np.asarray(zone, dtype=np.float32).reshape(-1, 1, 2)
    return cv2.pointPolygonTest(poly, (float(x), float(y)), False) >= 0


def zone_bounds(zone: tuple[tuple[int, int], ...] | None, w: int, h: int) -> Box:
    """Return the bounding box of the zone clipped to a ``w`` x ``h`` frame."""
    if zone is None:
        return (0, 0, w, h)
    xs = [p[0] for p in zone]
    ys = [p[1] for p in zone]
    return (max(0, min(xs)), max(0, min(ys)), min(w, max(xs) + 1), min(h, max(ys) + 1))
