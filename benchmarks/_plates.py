"""Generate labelled synthetic LT/LV licence plates, scenes and a traffic clip.

Shared by ``benchmarks/anpr.py`` and the plate reader's end-to-end tests. Every
sample is drawn from a seeded ``numpy.random.Generator`` so a run is repeatable.
Plates follow the EU layout (520 x 110 mm, blue band with the country letters on
the left) in a DIN-like condensed bold font found on the system.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Bold.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSansNarrow-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    # shipped with SCAPE (PDFs need it), so a bare machine can still render plates
    str(
        Path(__file__).resolve().parent.parent / "scape" / "core" / "fonts" / "DejaVuSans-Bold.ttf"
    ),
)
# The canonical plate is rendered large and shrunk later, like a camera would.
CANON_H = 110
CANON_W = 520
BAND_W = 44
BLUE_BGR = (153, 51, 0)
YELLOW_BGR = (0, 204, 255)

LT_LETTERS = "ABCDEFGHIJKLMNOPRSTUVYZ"  # no Q, W, X
LV_LETTERS = "ABCDEFGHJKLMNOPRSTUVZ"  # no I, Q, W, X, Y on serial plates
DIGITS = "0123456789"


@dataclass(frozen=True)
class PlateSpec:
    """A labelled plate: the ground truth a reader should return."""

    plate: str
    text: str
    country: str
    kind: str
    background: tuple[int, int, int] = (255, 255, 255)


@dataclass
class Sample:
    """One labelled 1920x1080 frame with a single plate in it."""

    frame: np.ndarray
    spec: PlateSpec
    box: tuple[int, int, int, int]
    height_px: int
    night: bool


@dataclass
class ClipFrame:
    """One frame of the traffic clip with the plates visible in it."""

    index: int
    frame: np.ndarray
    plates: list[tuple[str, tuple[int, int, int, int]]] = field(default_factory=list)


def _pick(rng: np.random.Generator, alphabet: str, n: int) -> str:
    return "".join(alphabet[int(i)] for i in rng.integers(0, len(alphabet), n))


def _digits(rng: np.random.Generator, n: int, *, lead_nonzero: bool = False) -> str:
    out = _pick(rng, DIGITS, n)
    if lead_nonzero and out[0] == "0":
        out = str(int(rng.integers(1, 10))) + out[1:]
    return out


def random_plate(rng: np.random.Generator, country: str | None = None) -> PlateSpec:
    """Return a random plate of one of the LT or LV formats the reader knows."""
    country = country or ("LT" if rng.random() < 0.5 else "LV")
    white = (255, 255, 255)
    if country == "LT":
        kind = str(
            rng.choice(
                ["car"] * 6 + ["electric", "trailer", "motorcycle", "moped", "taxi", "trade"]
            )
        )
        if kind == "car":
            a, b = _pick(rng, LT_LETTERS, 3), _digits(rng, 3)
            return PlateSpec(a + b, f"{a} {b}", "LT", kind, white)
        if kind == "electric":
            a, b = "E" + _pick(rng, LT_LETTERS, 1), _digits(rng, 4)
            return PlateSpec(a + b, f"{a} {b}", "LT", kind, white)
        if kind == "trailer":
            a, b = _pick(rng, LT_LETTERS, 2), _digits(rng, 3)
            return PlateSpec(a + b, f"{a} {b}", "LT", kind, white)
        if kind == "motorcycle":
            a, b = _digits(rng, 3), _pick(rng, LT_LETTERS, 2)
            return PlateSpec(a + b, f"{a} {b}", "LT", kind, white)
        if kind == "moped":
            a, b = _digits(rng, 2), _pick(rng, LT_LETTERS, 3)
            return PlateSpec(a + b, f"{a} {b}", "LT", kind, white)
        if kind == "taxi":
            b = _digits(rng, 5)
            return PlateSpec("T" + b, f"T {b}", "LT", kind, YELLOW_BGR)
        b = _digits(rng, 4 + int(rng.integers(0, 2)))
        return PlateSpec("P" + b, f"P {b}", "LT", "trade", white)
    kind = str(rng.choice(["car"] * 6 + ["trailer", "electric", "taxi", "army"]))
    n = int(rng.choice([2, 3, 4, 4, 4]))
    num = _digits(rng, n, lead_nonzero=True)
    if kind == "car":
        a = _pick(rng, LV_LETTERS, 2)
        while a in {"EX", "TX", "CD", "LA"}:
            a = _pick(rng, LV_LETTERS, 2)
    elif kind == "trailer":
        a = _pick(rng, LV_LETTERS, 1)
    else:
        a = {"electric": "EX", "taxi": "TX", "army": "LA"}[kind]
    bg = YELLOW_BGR if kind == "taxi" else white
    return PlateSpec(a + num, f"{a}-{num}", "LV", kind, bg)


@cache
def font_path() -> str:
    """Return the path of a DIN-like condensed bold font on this system."""
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return path
    raise FileNotFoundError(
        "no condensed bold font found; install one with `apt-get install -y fonts-dejavu-core`"
    )


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path(), size)


def _fit_font(
    draw: ImageDraw.ImageDraw, text: str, max_w: int, max_h: int
) -> ImageFont.FreeTypeFont:
    size = max_h
    while size > 10:
        font = _font(size)
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        if right - left <= max_w and bottom - top <= max_h:
            return font
        size -= 2
    return _font(size)


def render_plate(spec: PlateSpec) -> np.ndarray:
    """Render a plate at its canonical 520x110 size (BGR, with the blue EU band)."""
    rgb_bg = tuple(reversed(spec.background))
    img = Image.new("RGB", (CANON_W, CANON_H), rgb_bg)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, CANON_W - 1, CANON_H - 1), outline=(20, 20, 20), width=3)
    draw.rectangle((3, 3, BAND_W, CANON_H - 4), fill=tuple(reversed(BLUE_BGR)))
    # The twelve stars, as small yellow dots in a circle.
    cx, cy, r = BAND_W // 2 + 2, 30, 13
    for k in range(12):
        a = 2 * math.pi * k / 12
        x, y = cx + r * math.cos(a), cy + r * math.sin(a)
        draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=(255, 204, 0))
    band_font = _font(26)
    left, top, right, bottom = draw.textbbox((0, 0), spec.country, font=band_font)
    draw.text(
        (cx - (right - left) / 2 - left, 96 - bottom),
        spec.country,
        font=band_font,
        fill=(255, 255, 255),
    )
    area_w, area_h = CANON_W - BAND_W - 30, 80
    font = _fit_font(draw, spec.text, area_w, area_h)
    left, top, right, bottom = draw.textbbox((0, 0), spec.text, font=font)
    x = BAND_W + 12 + (area_w - (right - left)) / 2 - left
    y = (CANON_H - (bottom - top)) / 2 - top
    draw.text((x, y), spec.text, font=font, fill=(15, 15, 15))
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


def background(rng: np.random.Generator, w: int = 1920, h: int = 1080) -> np.ndarray:
    """Return a cluttered road-side background: asphalt, lane marks, boxes, signs."""
    base = rng.integers(70, 130)
    yy = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    img = np.empty((h, w, 3), np.float32)
    img[:] = (base + 40 * yy)[..., None]
    img += rng.normal(0, 6, (h, w, 1)).astype(np.float32)
    img = np.clip(img, 0, 255).astype(np.uint8)
    img = np.ascontiguousarray(np.repeat(img[..., :1], 3, axis=2))
    for _ in range(int(rng.integers(4, 9))):
        x = int(rng.integers(0, w))
        cv2.line(img, (x, 0), (x + int(rng.integers(-400, 400)), h), (220, 220, 220), 6)
    for _ in range(int(rng.integers(6, 14))):
        x1, y1 = int(rng.integers(0, w - 60)), int(rng.integers(0, h - 60))
        x2, y2 = x1 + int(rng.integers(40, 400)), y1 + int(rng.integers(30, 300))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        cv2.rectangle(img, (x1, y1), (x2, y2), colour, -1)
    # Distractor text (shop signs, road signs) that must not come out as plates.
    for _ in range(int(rng.integers(2, 5))):
        word = _pick(rng, "ABCDEFGHIKLMNOPRSTUVZ", int(rng.integers(3, 8)))
        x, y = int(rng.integers(0, w - 300)), int(rng.integers(40, h - 10))
        scale = float(rng.uniform(0.8, 2.0))
        cv2.putText(img, word, (x, y), cv2.FONT_HERSHEY_DUPLEX, scale, (250, 250, 250), 3)
    return img


def _perspective(rng: np.random.Generator, w: int, h: int, amount: float) -> np.ndarray:
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = rng.uniform(-amount, amount, (4, 2)) * np.float32([w * 0.03, h * 0.15])
    angle = math.radians(float(rng.uniform(-5, 5)) * amount)
    rot = np.float32([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    dst = (src - [w / 2, h / 2]) @ rot.T + [w / 2, h / 2] + jitter
    return cv2.getPerspectiveTransform(src, dst.astype(np.float32))


def paste_plate(
    frame: np.ndarray,
    plate: np.ndarray,
    height: int,
    centre: tuple[int, int],
    rng: np.random.Generator,
    *,
    tilt: float = 1.0,
) -> tuple[int, int, int, int]:
    """Warp ``plate`` to ``height`` px with a random perspective; return its box."""
    ph, pw = plate.shape[:2]
    scale = height / ph
    m = _perspective(rng, pw, ph, tilt)
    s = np.float32([[scale, 0, 0], [0, scale, 0], [0, 0, 1]])
    corners = cv2.perspectiveTransform(np.float32([[[0, 0], [pw, 0], [pw, ph], [0, ph]]]), s @ m)[0]
    x0, y0 = corners.min(axis=0)
    cx, cy = centre
    shift = np.float32(
        [
            [1, 0, cx - (corners[:, 0].max() + x0) / 2],
            [0, 1, cy - (corners[:, 1].max() + y0) / 2],
            [0, 0, 1],
        ]
    )
    full = shift @ s @ m
    fh, fw = frame.shape[:2]
    # Supersample the warp so small plates get antialiased edges, as a lens would.
    warped = cv2.warpPerspective(plate, full, (fw, fh), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(
        np.full((ph, pw), 255, np.uint8), full, (fw, fh), flags=cv2.INTER_LINEAR
    )
    pts = cv2.perspectiveTransform(np.float32([[[0, 0], [pw, 0], [pw, ph], [0, ph]]]), full)[0]
    x1, y1 = np.floor(pts.min(axis=0)).astype(int)
    x2, y2 = np.ceil(pts.max(axis=0)).astype(int)
    x1, y1, x2, y2 = max(x1, 0), max(y1, 0), min(x2, fw), min(y2, fh)
    sl = (slice(y1, y2), slice(x1, x2))
    a = mask[sl].astype(np.float32)[..., None] / 255.0
    frame[sl] = (warped[sl] * a + frame[sl] * (1 - a)).astype(np.uint8)
    return int(x1), int(y1), int(x2), int(y2)


def degrade(
    img: np.ndarray, rng: np.random.Generator, *, night: bool, blur: float, quality: int
) -> np.ndarray:
    """Apply lighting, blur, sensor noise and JPEG compression to a whole frame."""
    out = img.astype(np.float32)
    if night:
        # Dark scene, the retro-reflective plate stays comparatively bright.
        out = 255.0 * (out / 255.0) ** 1.8 * 0.45
    else:
        out = out * float(rng.uniform(0.85, 1.1)) + float(rng.uniform(-15, 15))
    if blur > 0:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    out += rng.normal(0, 5.0 if night else 3.0, out.shape[:2])[..., None]
    out8 = np.clip(out, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", out8, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def make_sample(rng: np.random.Generator, height: int, *, night: bool | None = None) -> Sample:
    """Return one labelled 1920x1080 frame holding one plate ``height`` px high."""
    spec = random_plate(rng)
    frame = background(rng)
    plate = render_plate(spec)
    night = bool(rng.random() < 0.3) if night is None else night
    if night:
        # The plate lamp and headlights keep the plate readable at night.
        plate = cv2.convertScaleAbs(plate, alpha=1.15, beta=30)
    w_est = int(height * CANON_W / CANON_H) + 40
    centre = (int(rng.integers(w_est, 1920 - w_est)), int(rng.integers(height + 40, 1040 - height)))
    box = paste_plate(frame, plate, height, centre, rng)
    blur = float(rng.uniform(0.0, 0.4 + height / 80))
    quality = int(rng.integers(45, 92))
    return Sample(
        degrade(frame, rng, night=night, blur=blur, quality=quality), spec, box, height, night
    )


def samples(seed: int, n: int, heights: tuple[int, int] = (16, 80)) -> Iterator[Sample]:
    """Yield ``n`` seeded samples with plate heights spread evenly over ``heights``."""
    rng = np.random.default_rng(seed)
    lo, hi = heights
    for i in range(n):
        height = lo + round((hi - lo) * i / max(n - 1, 1))
        yield make_sample(rng, height)


@dataclass
class _Car:
    spec: PlateSpec
    plate: np.ndarray
    colour: tuple[int, int, int]
    x: float
    y0: float
    start: int
    speed: float


def traffic_clip(
    seed: int, n_frames: int = 150, n_cars: int = 6, fps: float = 25.0
) -> Iterator[ClipFrame]:
    """Yield frames of cars driving away up a road, each with a readable rear plate.

    Cars enter at the bottom, shrink as they recede and leave at the horizon, so the
    plates go from about 60 px to about 18 px high. Frames are generated lazily to
    keep memory low; the frame ``index`` is the ground-truth time base.
    """
    rng = np.random.default_rng(seed)
    road = background(rng)
    cv2.fillPoly(
        road, [np.int32([[560, 1080], [1360, 1080], [1060, 250], [860, 250]])], (88, 88, 92)
    )
    cars: list[_Car] = []
    for i in range(n_cars):
        spec = random_plate(rng)
        cars.append(
            _Car(
                spec,
                render_plate(spec),
                tuple(int(c) for c in rng.integers(30, 230, 3)),
                float(rng.uniform(-0.25, 0.25)),
                0.0,
                int(i * n_frames / (n_cars + 1)),
                float(rng.uniform(0.012, 0.02)),
            )
        )
    for t in range(n_frames):
        frame = road.copy()
        labels: list[tuple[str, tuple[int, int, int, int]]] = []
        for car in cars:
            p = (t - car.start) * car.speed  # 0 at the bottom, 1 at the horizon
            if p < 0 or p > 1:
                continue
            scale = 1.0 - 0.7 * p
            cy = 1050 - p * 760
            cx = 960 + car.x * 600 * scale
            cw, ch = 520 * scale, 400 * scale
            x1, y1 = int(cx - cw / 2), int(cy - ch)
            cv2.rectangle(frame, (x1, y1), (int(x1 + cw), int(cy)), car.colour, -1)
            cv2.rectangle(
                frame,
                (int(x1 + cw * 0.12), int(y1 + ch * 0.08)),
                (int(x1 + cw * 0.88), int(y1 + ch * 0.4)),
                (40, 45, 50),
                -1,
            )
            ph = max(round(60 * scale), 12)
            local = np.random.default_rng(seed * 1000 + t)
            box = paste_plate(frame, car.plate, ph, (int(cx), int(cy - ch * 0.3)), local, tilt=0.3)
            labels.append((car.spec.plate, box))
        noise_rng = np.random.default_rng(seed * 7919 + t)
        frame = degrade(frame, noise_rng, night=False, blur=0.5, quality=85)
        yield ClipFrame(t, frame, labels)
