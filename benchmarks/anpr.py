"""Benchmark the plate reader against rapidocr run with its defaults on whole frames.

Run by hand, never in CI (2 cores: one heavy job at a time)::

    .venv/bin/python benchmarks/anpr.py [--samples 120] [--baseline-samples 30]
        [--real-dir ../shared/data/plates-real-dev] [--seed 2026]
        [--fresh-seed N [N ...] | --fresh-count K] [--no-baseline]

In one run it reports, each beside the baseline (rapidocr's detector, classifier
and recogniser with their defaults, on the whole image):

- the real development set (``--real-dir``; photos of European plates with
  their sources' labels, compared with O = 0 and ``plate_alt`` accepted):
  plates read exactly, false reads per image, images/s;
- a synthetic LT/LV set (``_plates_world.py``: several fonts, real photographs
  as backgrounds, road and shop signs as distractors, blur, rain, glare, night,
  tilt, dirt) on the fixed development seed AND on fresh random seeds drawn
  for this run (``--fresh-count``, printed; pass ``--fresh-seed`` to repeat
  some);
- frames/s on a 1920x1080 traffic clip (``_plates.py``), with and without
  decoding, and the vehicles read in it.

A baseline read counts as a false read when it is laid out like a plate
(``looks_like_plate``, without the band) and is not the labelled plate, so
that both sides are counted alike. The load of the machine (/proc/loadavg) is
printed at the start and the end: figures taken under load are slower.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _plates
import _plates_world
import cv2
import numpy as np

from scape.vision.plates import PlateReader, ReaderConfig, parse_plate
from scape.vision.plates.propose import looks_like_plate

REPO = Path(__file__).resolve().parent.parent
DEV_SEED = 2026


def loadavg() -> str:
    """Return the first three fields of /proc/loadavg (or '?' where there is none)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def baseline_engine() -> Any:
    """Return rapidocr with its default pipeline (detector, classifier, recogniser)."""
    from rapidocr import RapidOCR

    return RapidOCR(params={"Global.log_level": "error"})


def baseline_reads(engine: Any, frame: np.ndarray) -> tuple[list[str], list[str]]:
    """Return the default pipeline's lines as A-Z0-9, and those laid out like a plate."""
    out = engine(frame)
    every, plate_like = [], []
    for txt in out.txts or ():
        parsed = parse_plate(txt)
        if parsed is None:
            continue
        every.append(parsed.plate)
        if looks_like_plate(txt, has_band=False, fits=parsed.fits):
            plate_like.append(parsed.plate)
    return every, plate_like


def _same(a: str, b: str) -> bool:
    return a.replace("O", "0") == b.replace("O", "0")


def run_real(reader: PlateReader, engine: Any | None, real_dir: Path) -> dict[str, object]:
    """Score reader and baseline on the real development set."""
    labels_path = real_dir / "labels.json"
    if not labels_path.exists():
        return {"skipped": f"no {labels_path} (pass --real-dir)"}
    labels = json.loads(labels_path.read_text())
    images = [(lab, cv2.imread(str(real_dir / lab["file"]))) for lab in labels]
    images = [(lab, img) for lab, img in images if img is not None]
    reader.read_image(images[0][1])
    if engine is not None:
        engine(images[0][1])
    exact = false = b_exact = b_false = 0
    secs = b_secs = 0.0
    misses = []
    for lab, img in images:
        want = [lab["plate"]] + ([lab["plate_alt"]] if lab.get("plate_alt") else [])

        def right(read: str, want: list[str] = want) -> bool:
            return any(_same(read, w) for w in want)

        t0 = time.perf_counter()
        reads = [r.plate for r in reader.read_image(img)]
        secs += time.perf_counter() - t0
        ok = any(right(r) for r in reads)
        exact += ok
        false += sum(1 for r in reads if not right(r))
        if not ok:
            misses.append((lab["file"], lab["plate"], reads))
        if engine is None:
            continue
        t0 = time.perf_counter()
        every, plate_like = baseline_reads(engine, img)
        b_secs += time.perf_counter() - t0
        b_exact += any(right(r) for r in every)
        b_false += sum(1 for r in plate_like if not right(r))
    n = len(images)
    own: dict[str, object] = {
        "images": n,
        "exact": f"{exact}/{n}",
        "exact_share": round(exact / n, 3),
        "false_reads_per_image": round(false / n, 3),
        "images_per_s": round(n / secs, 2),
    }
    if engine is None:
        return {**own, "misses": misses}
    return {
        **own,
        "baseline_exact": f"{b_exact}/{n}",
        "baseline_exact_share": round(b_exact / n, 3),
        "baseline_false_reads_per_image": round(b_false / n, 3),
        "baseline_images_per_s": round(n / b_secs, 2),
        "speedup": round(b_secs / secs, 2),
        "misses": misses,
    }


def run_synthetic(
    reader: PlateReader, engine: Any | None, seed: int, n: int, n_base: int
) -> dict[str, object]:
    """Score reader and baseline on ``n`` synthetic frames drawn from ``seed``."""
    samples = list(_plates_world.samples(seed, n))
    reader.read_image(samples[0].frame)
    ok = false = 0
    elapsed = 0.0
    by_font: dict[str, list[int]] = {}
    by_cond: dict[str, list[int]] = {}
    misses = []
    for s in samples:
        t0 = time.perf_counter()
        reads = [r.plate for r in reader.read_image(s.frame)]
        elapsed += time.perf_counter() - t0
        hit = s.spec.plate in reads
        ok += hit
        false += sum(1 for r in reads if r != s.spec.plate)
        for key, table in [(s.font, by_font)] + [(c, by_cond) for c in s.conditions or ("clear",)]:
            row = table.setdefault(key, [0, 0])
            row[0] += hit
            row[1] += 1
        if not hit:
            misses.append((s.spec.plate, s.height_px, s.font, s.conditions, reads))
    own: dict[str, object] = {
        "seed": seed,
        "samples": n,
        "recall": round(ok / n, 3),
        "false_reads_per_image": round(false / n, 3),
        "images_per_s": round(n / elapsed, 2),
        "by_font": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_font.items())},
        "by_condition": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_cond.items())},
    }
    if engine is None or n_base <= 0:
        return {**own, "misses": misses[:15]}
    base = samples[:n_base]
    b_ok = b_false = 0
    t0 = time.perf_counter()
    for s in base:
        all_reads, plate_like = baseline_reads(engine, s.frame)
        b_ok += s.spec.plate in all_reads
        b_false += sum(1 for r in plate_like if r != s.spec.plate)
    b_elapsed = time.perf_counter() - t0
    t0 = time.perf_counter()
    for s in base:
        reader.read_image(s.frame)
    same_elapsed = time.perf_counter() - t0
    return {
        **own,
        "baseline_samples": len(base),
        "baseline_recall": round(b_ok / len(base), 3),
        "baseline_false_reads_per_image": round(b_false / len(base), 3),
        "baseline_images_per_s": round(len(base) / b_elapsed, 2),
        "speedup_on_baseline_frames": round(b_elapsed / same_elapsed, 2),
        "misses": misses[:15],
    }


def run_clip(reader: PlateReader, seed: int, n_frames: int, repeat: int) -> dict[str, object]:
    """Frames/s and vehicles read on a 1920x1080 clip of cars driving away."""
    import av

    frames = list(_plates.traffic_clip(seed, n_frames=n_frames, n_cars=6))
    truth = {p for f in frames for p, _ in f.plates}
    reader.read_image(frames[0].frame)
    best = 0.0
    reads: list[str] = []
    for _ in range(repeat):
        session = reader.session(25.0)
        out = []
        t0 = time.perf_counter()
        for f in frames:
            out += session.feed(f.frame, f.index, f.index / 25.0)
        out += session.close()
        best = max(best, len(frames) / (time.perf_counter() - t0))
        reads = [r.plate for r in out]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "clip.mp4")
        with av.open(path, "w") as container:
            stream = container.add_stream("libx264", rate=25)
            stream.width, stream.height, stream.pix_fmt = 1920, 1080, "yuv420p"
            stream.options = {"crf": "20", "preset": "veryfast"}
            for f in frames:
                for packet in stream.encode(av.VideoFrame.from_ndarray(f.frame, format="bgr24")):
                    container.mux(packet)
            for packet in stream.encode():
                container.mux(packet)
        t0 = time.perf_counter()
        decoded = [r.plate for r in reader.read_video(path)]
        e2e = len(frames) / (time.perf_counter() - t0)
    return {
        "frames": len(frames),
        "vehicles": len(truth),
        "read_correctly": len(truth & set(reads)),
        "wrong_or_duplicate_reads": len(reads) - len(truth & set(reads)),
        "fps": round(best, 1),
        "fps_with_decode": round(e2e, 1),
        "decoded_read_correctly": len(truth & set(decoded)),
    }


def main() -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--samples", type=int, default=120, help="synthetic frames per seed")
    p.add_argument("--baseline-samples", type=int, default=30, help="of those, for rapidocr")
    p.add_argument("--seed", type=int, default=DEV_SEED, help="the fixed development seed")
    p.add_argument("--fresh-seed", type=int, nargs="+", default=None, help="repeat fresh seeds")
    p.add_argument("--fresh-count", type=int, default=1, help="fresh random seeds to draw")
    p.add_argument(
        "--real-dir",
        type=Path,
        default=REPO.parent / "shared" / "data" / "plates-real-dev",
        help="real development set (labels.json and the photos)",
    )
    p.add_argument("--clip-frames", type=int, default=200)
    p.add_argument("--repeat", type=int, default=2, help="clip runs; the best is kept")
    p.add_argument(
        "--still-side",
        type=int,
        default=None,
        help="longer side stills are detected at (default: the reader's own default)",
    )
    p.add_argument("--skip", nargs="*", default=(), choices=["real", "synthetic", "clip"])
    p.add_argument(
        "--no-baseline",
        action="store_true",
        help="leave rapidocr out (a second run of the same seeds, e.g. on the code before a change)",
    )
    args = p.parse_args()
    fresh = args.fresh_seed or [secrets.randbelow(2**31) for _ in range(args.fresh_count)]
    print(f"fixed seed {args.seed}, fresh seeds {fresh}", file=sys.stderr, flush=True)
    config = ReaderConfig()
    if args.still_side is not None:
        config = config.model_copy(
            update={"propose": config.propose.model_copy(update={"still_side": args.still_side})}
        )
    reader = PlateReader(config)
    engine = None if args.no_baseline else baseline_engine()
    result: dict[str, object] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}",
        "load_start": loadavg(),
        "fonts": sorted(_plates_world.fonts()),
        "still_side": reader.config.propose.still_side,
        "fixed_seed": args.seed,
        "fresh_seeds": fresh,
    }
    if "real" not in args.skip:
        result["real"] = run_real(reader, engine, args.real_dir)
        print(json.dumps({"real": result["real"]}, indent=1), file=sys.stderr, flush=True)
    if "synthetic" not in args.skip:
        named = [("synthetic_fixed_seed", args.seed)]
        named += [(f"synthetic_fresh_seed_{seed}", seed) for seed in fresh]
        for name, seed in named:
            result[name] = run_synthetic(reader, engine, seed, args.samples, args.baseline_samples)
            print(json.dumps({name: result[name]}, indent=1), file=sys.stderr, flush=True)
    if "clip" not in args.skip:
        result["clip"] = run_clip(reader, args.seed + 1, args.clip_frames, args.repeat)
    result["load_end"] = loadavg()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
