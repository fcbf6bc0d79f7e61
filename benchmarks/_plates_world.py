"""Synthetic LT/LV plate scenes that vary what the first generator held fixed.

``_plates.py`` drew every plate in one font on a drawn background; a reader
tuned on it learned that font and those backgrounds. Here each sample draws:

- the font from several families Debian packages (a DIN 1451-style one, OSP-DIN
  from fonts-opendin, and others), skipping any that is not installed;
- a real photograph (scikit-image's sample images) as the background;
- distractors: road signs (green, blue, brown, with white text such as
  "RĪGA 210" or "KLAIPĖDA 8 km") and shop signs (dark text on white or yellow,
  with place names and numbers) that must not come out as plates;
- plate tilt and perspective, dirt on the plate, motion blur, rain, glare, night,
  sensor noise and JPEG compression.

Every sample comes from a seeded generator: a run on the fixed development
seed repeats; a fresh seed (the benchmark prints it) draws material nobody tuned
on.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import _plates
import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

W, H = 1280, 720

# Font files by family; the first that exists of each family is used.
FONT_FAMILIES: dict[str, tuple[str, ...]] = {
    # DIN 1451-style, the plate font of most of Europe (fonts-opendin).
    "osp-din": ("/usr/share/fonts/truetype/opendin/OSP-DIN.ttf",),
    "roboto-condensed": (
        "/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Bold.ttf",
        "/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Medium.ttf",
    ),
    "liberation-sans": (
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    "freesans": ("/usr/share/fonts/truetype/freefont/FreeSansBold.ttf",),
    "b612": ("/usr/share/fonts/opentype/b612/B612-Bold.otf",),
    "dejavu-condensed": ("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf",),
}
# Font packages that provide the families above (see the Makefile's fonts target).
FONT_PACKAGES = (
    "fonts-opendin",
    "fonts-roboto-unhinted",
    "fonts-liberation2",
    "fonts-freefont-ttf",
    "fonts-b612",
    "fonts-dejavu-core",
)

ROAD_SIGNS = (
    "RĪGA 210", "KLAIPĖDA 8 km", "LIEPĀJA 45", "PALANGA 12 km", "VILNIUS 311",
    "ŠIAULIAI 76", "BAUSKA 18", "JELGAVA 42 km", "A1 E85", "KAUNAS 102", "DAUGAVPILS 230",
    "VENTSPILS 119", "MAŽEIKIAI 9", "SALACGRĪVA 4",
)  # fmt: skip
SHOP_SIGNS = (
    "APTIEKA 24h", "KAFEJNĪCA", "MAXIMA", "RIMI 8-22", "NORFA", "Parduotuvė 7-21",
    "VAISTINĖ", "Autoserviss", "PICA 2 EUR", "Degvielas uzpilde", "Viesbutis 300 m",
    "Kavinė", "Bārs 100m", "Hotel Rīga",
)  # fmt: skip
SIGN_COLOURS_BGR = {"green": (60, 120, 0), "blue": (160, 80, 0), "brown": (30, 60, 110)}


@dataclass
class WorldSample:
    """One labelled frame: a plate (or none) among distractors."""

    frame: np.ndarray
    spec: _plates.PlateSpec
    box: tuple[int, int, int, int]
    height_px: int
    font: str
    conditions: tuple[str, ...]
    distractors: tuple[str, ...]


@cache
def fonts() -> dict[str, str]:
    """Return the installed font of each family (family -> path); at least one."""
    found = {}
    for family, paths in FONT_FAMILIES.items():
        for p in paths:
            if Path(p).exists():
                found[family] = p
                break
    if not found:
        found["fallback"] = _plates.font_path()
    return found


@cache
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


@cache
def backgrounds() -> tuple[np.ndarray, ...]:
    """Return scikit-image's sample photographs as BGR images (no download)."""
    from skimage import data

    out = []
    for name in (
        "astronaut", "coffee", "chelsea", "rocket", "hubble_deep_field",
        "immunohistochemistry", "camera", "brick", "grass", "gravel", "moon", "horse",
    ):  # fmt: skip
        loader = getattr(data, name, None)
        if loader is None:  # a sample image missing from this scikit-image build
            continue
        img = np.asarray(loader())
        if img.dtype != np.uint8:
            img = (255 * (img.astype(np.float32) / max(float(img.max()), 1.0))).astype(np.uint8)
        if img.ndim == 2:
            img = np.repeat(img[..., None], 3, axis=2)
        out.append(cv2.cvtColor(img[..., :3], cv2.COLOR_RGB2BGR))
    return tuple(out)


def _background(rng: np.random.Generator) -> np.ndarray:
    photos = backgrounds()
    src = photos[int(rng.integers(0, len(photos)))]
    h, w = src.shape[:2]
    # A random crop, scaled up to the frame and mirrored at random.
    cw = int(w * rng.uniform(0.55, 1.0))
    ch = min(h, int(cw * H / W))
    x0, y0 = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
    out = cv2.resize(src[y0 : y0 + ch, x0 : x0 + cw], (W, H), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.5:
        out = out[:, ::-1]
    return np.ascontiguousarray(out)


def render_plate(spec: _plates.PlateSpec, font_path: str, rng: np.random.Generator) -> np.ndarray:
    """Render the plate at 520x110 in ``font_path``, with the band and an outline."""
    cw, ch, band_w = _plates.CANON_W, _plates.CANON_H, _plates.BAND_W
    img = Image.new("RGB", (cw, ch), tuple(reversed(spec.background)))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, cw - 1, ch - 1), outline=(20, 20, 20), width=3)
    draw.rectangle((3, 3, band_w, ch - 4), fill=tuple(reversed(_plates.BLUE_BGR)))
    cx, cy, r = band_w // 2 + 2, 30, 13
    for k in range(12):
        a = 2 * math.pi * k / 12
        x, y = cx + r * math.cos(a), cy + r * math.sin(a)
        draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=(255, 204, 0))
    band_font = _font(font_path, 26)
    left, _top, right, bottom = draw.textbbox((0, 0), spec.country, font=band_font)
    draw.text((cx - (right - left) / 2 - left, 96 - bottom), spec.country, font=band_font,
              fill=(255, 255, 255))  # fmt: skip
    area_w, area_h = cw - band_w - 30, int(rng.integers(70, 84))
    size = area_h + 10
    while size > 10:
        font = _font(font_path, size)
        left, top, right, bottom = draw.textbbox((0, 0), spec.text, font=font)
        if right - left <= area_w and bottom - top <= area_h:
            break
        size -= 2
    left, top, right, bottom = draw.textbbox((0, 0), spec.text, font=font)
    x = band_w + 12 + (area_w - (right - left)) / 2 - left
    y = (ch - (bottom - top)) / 2 - top
    draw.text((x, y), spec.text, font=font, fill=(15, 15, 15))
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


def _dirt(plate: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Splash a few translucent brown blotches on the plate."""
    out = plate.astype(np.float32)
    h, w = plate.shape[:2]
    mask = np.zeros((h, w), np.float32)
    for _ in range(int(rng.integers(3, 9))):
        c = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        axes = (int(rng.integers(6, 40)), int(rng.integers(4, 18)))
        cv2.ellipse(mask, c, axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), 5) * float(rng.uniform(0.25, 0.55))
    mud = np.array([40, 70, 95], np.float32)
    out = out * (1 - mask[..., None]) + mud * mask[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


@cache
def _has_glyph(font_path: str, ch: str) -> bool:
    """Return whether the font draws ``ch`` (not its blank 'missing glyph' box)."""
    font = _font(font_path, 40)
    mask = font.getmask(ch)
    missing = font.getmask("\uffff")
    return ch.isspace() or (bytes(mask), mask.size) != (bytes(missing), missing.size)


def _runs(text: str, font_path: str) -> list[tuple[str, str]]:
    """Split ``text`` into runs drawn in one font: ``font_path``, or a fallback where it
    lacks a glyph (OSP-DIN and B612 have no Ā, Ė, Ī, Š, Ž: a sign maker would not
    print a blank box there, and a reader should not be scored on one)."""
    fallback = _plates.font_path()
    runs: list[tuple[str, str]] = []
    for ch in text:
        path = font_path if _has_glyph(font_path, ch) else fallback
        if runs and runs[-1][1] == path:
            runs[-1] = (runs[-1][0] + ch, path)
        else:
            runs.append((ch, path))
    return runs


def _sign(text: str, font_path: str, bg: tuple[int, int, int], fg: tuple[int, int, int],
          height: int) -> np.ndarray:  # fmt: skip
    """Render a sign: ``text`` on a rectangle with a border, ``height`` px high."""
    size = max(10, int(height * 0.6))
    runs = [(part, _font(path, size)) for part, path in _runs(text, font_path)]
    probe = ImageDraw.Draw(Image.new("RGB", (4, 4)))
    boxes = [probe.textbbox((0, 0), part, font=font) for part, font in runs]
    widths = [font.getlength(part) for part, font in runs]
    left = boxes[0][0]
    top = min(b[1] for b in boxes)
    bottom = max(b[3] for b in boxes)
    tw = int(np.ceil(sum(widths[:-1]) + boxes[-1][2])) - left
    th = bottom - top
    pad = max(4, height // 5)
    img = Image.new("RGB", (tw + 2 * pad, max(height, th + 2 * pad)), tuple(reversed(bg)))
    draw = ImageDraw.Draw(img)
    draw.rectangle((1, 1, img.width - 2, img.height - 2), outline=tuple(reversed(fg)),
                   width=max(1, height // 14))  # fmt: skip
    x = float(pad - left)
    for (part, font), width in zip(runs, widths, strict=True):
        draw.text((x, (img.height - th) / 2 - top), part, font=font, fill=tuple(reversed(fg)))
        x += width
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


def _paste(frame: np.ndarray, img: np.ndarray, x: int, y: int) -> tuple[int, int, int, int] | None:
    h, w = img.shape[:2]
    fh, fw = frame.shape[:2]
    if x < 0 or y < 0 or x + w > fw or y + h > fh:
        return None
    frame[y : y + h, x : x + w] = img
    return x, y, x + w, y + h


def _overlaps(box: tuple[int, int, int, int], taken: list[tuple[int, int, int, int]]) -> bool:
    m = 12
    return any(
        box[0] - m < t[2] and t[0] < box[2] + m and box[1] - m < t[3] and t[1] < box[3] + m
        for t in taken
    )


def _distractors(frame: np.ndarray, rng: np.random.Generator, font_path: str,
                 taken: list[tuple[int, int, int, int]]) -> list[str]:  # fmt: skip
    placed = []
    for _ in range(int(rng.integers(2, 5))):
        if rng.random() < 0.55:
            text = ROAD_SIGNS[int(rng.integers(0, len(ROAD_SIGNS)))]
            colour = list(SIGN_COLOURS_BGR.values())[int(rng.integers(0, 3))]
            sign = _sign(text, font_path, colour, (245, 245, 245), int(rng.integers(28, 80)))
        else:
            text = SHOP_SIGNS[int(rng.integers(0, len(SHOP_SIGNS)))]
            bg = (250, 250, 250) if rng.random() < 0.6 else (0, 200, 250)
            fg = (20, 20, 20) if rng.random() < 0.7 else (30, 30, 170)
            sign = _sign(text, font_path, bg, fg, int(rng.integers(24, 70)))
        for _try in range(10):
            x = int(rng.integers(0, max(1, W - sign.shape[1])))
            y = int(rng.integers(0, max(1, H // 2)))
            box = (x, y, x + sign.shape[1], y + sign.shape[0])
            if not _overlaps(box, taken) and _paste(frame, sign, x, y) is not None:
                taken.append(box)
                placed.append(text)
                break
    return placed


def _motion_blur(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = int(rng.integers(3, 8))
    k = np.zeros((n, n), np.float32)
    k[n // 2, :] = 1.0 / n
    rot = cv2.getRotationMatrix2D((n / 2 - 0.5, n / 2 - 0.5), float(rng.uniform(-25, 25)), 1.0)
    k = cv2.warpAffine(k, rot, (n, n))
    return cv2.filter2D(img, -1, k / max(float(k.sum()), 1e-6))


def _rain(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    streaks = np.zeros(img.shape[:2], np.float32)
    for _ in range(int(rng.integers(150, 400))):
        x, y = int(rng.integers(0, W)), int(rng.integers(0, H))
        length = int(rng.integers(8, 25))
        cv2.line(streaks, (x, y), (x + length // 4, y + length), 1.0, 1)
    streaks = cv2.GaussianBlur(streaks, (0, 0), 0.8) * 0.35
    out = img.astype(np.float32) * (1 - streaks[..., None]) + 210 * streaks[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def _glare(img: np.ndarray, rng: np.random.Generator, near: tuple[int, int]) -> np.ndarray:
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    cx = near[0] + float(rng.uniform(-120, 120))
    cy = near[1] + float(rng.uniform(-60, 60))
    r = float(rng.uniform(60, 160))
    g = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r)) * float(rng.uniform(0.3, 0.6))
    out = img.astype(np.float32) * (1 - g[..., None]) + 255 * g[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def make_sample(rng: np.random.Generator, height: int) -> WorldSample:
    """Return one labelled 1280x720 frame with one plate ``height`` px high."""
    fams = fonts()
    names = sorted(fams)
    family = names[int(rng.integers(0, len(names)))]
    spec = _plates.random_plate(rng)
    frame = _background(rng)
    taken: list[tuple[int, int, int, int]] = []
    # The car: a body of some colour with the plate on its lower part.
    pw = int(height * _plates.CANON_W / _plates.CANON_H)
    car_w, car_h = int(pw * rng.uniform(2.6, 3.4)), int(height * rng.uniform(4.5, 6.5))
    cx = int(rng.integers(car_w // 2 + 4, W - car_w // 2 - 4))
    cy = int(rng.integers(H // 2 + height, H - height - 8))
    body = tuple(int(c) for c in rng.integers(20, 235, 3))
    cv2.rectangle(frame, (cx - car_w // 2, cy - car_h + height), (cx + car_w // 2, cy + height),
                  body, -1)  # fmt: skip
    taken.append((cx - car_w // 2, cy - car_h + height, cx + car_w // 2, cy + height))
    conditions = []
    plate = render_plate(spec, fams[family], rng)
    if rng.random() < 0.3:
        plate = _dirt(plate, rng)
        conditions.append("dirt")
    night = rng.random() < 0.25
    if night:
        plate = cv2.convertScaleAbs(plate, alpha=1.1, beta=25)
    tilt = float(rng.uniform(0.3, 1.6))
    if tilt > 1.0:
        conditions.append("tilt")
    box = _plates.paste_plate(frame, plate, height, (cx, cy), rng, tilt=tilt)
    distractors = _distractors(frame, rng, fams[family], taken)
    if rng.random() < 0.25:
        frame = _motion_blur(frame, rng)
        conditions.append("motion-blur")
    if rng.random() < 0.2:
        frame = _rain(frame, rng)
        conditions.append("rain")
    if rng.random() < 0.2:
        frame = _glare(frame, rng, (cx, cy))
        conditions.append("glare")
    if night:
        conditions.append("night")
    blur = float(rng.uniform(0.0, 0.3 + height / 100))
    frame = _plates.degrade(frame, rng, night=night, blur=blur, quality=int(rng.integers(50, 92)))
    return WorldSample(frame, spec, box, height, family, tuple(conditions), tuple(distractors))


def samples(seed: int, n: int, heights: tuple[int, int] = (18, 64)) -> Iterator[WorldSample]:
    """Yield ``n`` seeded samples with plate heights spread evenly over ``heights``."""
    rng = np.random.default_rng(seed)
    lo, hi = heights
    for i in range(n):
        yield make_sample(rng, lo + round((hi - lo) * i / max(n - 1, 1)))
