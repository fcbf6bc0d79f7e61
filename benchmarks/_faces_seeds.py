"""Leaked face-frames of the redaction engine on many moving-camera clip seeds.

Run by hand, never in CI::

    .venv/bin/python benchmarks/_faces_seeds.py 7,755157481,... [--code DIR] [--size 1280x720]

A seed given as ``fresh`` is drawn at random for this run and printed, so
that a run always includes seeds nobody has tuned on.

The clips are :class:`benchmarks._faces_clip.FaceClip` (the same as
``benchmarks/redact.py`` draws, 4 s each) and the score is its
:func:`~benchmarks._faces_clip.leaks`, on solid masks with every other setting
at its default. The engine runs in this process, so that it can also count the
work it gives the network: megapixels of network input per video frame, a
measure of speed that the load of a shared machine does not move. ``--code``
runs the engine of another tree instead (for example ``git archive <commit>
scape | tar -x -C DIR``), so that two versions are scored on the same seeds;
the clips and the scoring always come from this tree.

One seed's figure hinges on whether a tile or a detection frame meets a hard
face at the right moment, so compare versions on many seeds, never on one.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Score the engine on each seed and print one JSON line per seed and a total."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("seeds", help="comma-separated clip seeds")
    p.add_argument("--code", default=None, help="tree whose scape/ package to run")
    p.add_argument("--size", default="1280x720")
    p.add_argument("--seconds", type=float, default=4.0)
    p.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    p.add_argument("--workdir", default=str(ROOT / "var" / "bench"))
    args = p.parse_args()
    # The engine to measure first on the path; the clips and scoring from this tree.
    sys.path[:0] = [args.code] if args.code else []
    sys.path.insert(1 if args.code else 0, str(ROOT))
    import scape.vision.faces as faces
    from benchmarks._faces_clip import FaceClip, leaks
    from scape.vision.config import RedactConfig
    from scape.vision.redact import Redactor

    pixels = [0]
    detect_rgb = faces.FaceDetector.detect_rgb

    def counted(
        self: faces.FaceDetector, image: np.ndarray, source_size: tuple[int, int]
    ) -> np.ndarray:
        pixels[0] += image.shape[0] * image.shape[1]
        return detect_rgb(self, image, source_size)

    faces.FaceDetector.detect_rgb = counted  # type: ignore[method-assign]
    width, height = (int(v) for v in args.size.lower().split("x"))
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    config = RedactConfig.model_validate({"mask": {"mode": "solid"}})
    total = {"leaked": 0, "face_frames": 0, "leaked_small": 0, "frames": 0, "pixels": 0}
    print(f"engine from {faces.__file__}, load {os.getloadavg()[0]:.2f}", file=sys.stderr)
    seeds = [
        int(s) if s.strip() != "fresh" else secrets.randbelow(2**31) for s in args.seeds.split(",")
    ]
    print("seeds " + ",".join(str(s) for s in seeds), file=sys.stderr)
    for seed in seeds:
        clip = FaceClip(
            seed, width=width, height=height, seconds=args.seconds, data_dir=Path(args.data)
        )
        src = work / f"faces_{width}x{height}_{args.seconds:g}s_seed{seed}.mp4"
        if not src.exists():
            tmp = src.with_suffix(".tmp.mp4")
            clip.write(tmp)
            os.replace(tmp, src)
        dst = work / f"seeds_out_{seed}.mp4"
        # A fresh redactor per clip: an older engine carried its tile turn
        # from one video into the next.
        redactor = Redactor(config)
        pixels[0] = 0
        started = time.perf_counter()
        redactor.run(src, dst)
        seconds = time.perf_counter() - started
        score = leaks(clip, dst).as_dict()
        row = {
            "seed": seed,
            "leaked": score["leaked"],
            "face_frames": score["face_frames"],
            "leaked_small": score["leaked_small"],
            "mp_per_frame": round(pixels[0] / 1e6 / clip.frames, 3),
            "fps": round(clip.frames / seconds, 1),
            "load": round(os.getloadavg()[0], 2),
        }
        print(json.dumps(row), flush=True)
        for key in ("leaked", "face_frames", "leaked_small"):
            total[key] += int(score[key])
        total["frames"] += clip.frames
        total["pixels"] += pixels[0]
    mp = total.pop("pixels") / 1e6 / max(1, total["frames"])
    print(json.dumps({"total": total, "mp_per_frame": round(mp, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
