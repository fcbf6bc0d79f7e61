"""Benchmark the plate reader against rapidocr run with its defaults on whole frames.

Run by hand, never in CI::

    .venv/bin/python benchmarks/anpr.py [--samples 300] [--baseline-samples 40]

It generates its own seeded labelled set (``benchmarks/_plates.py``): LT and LV
plates of every format the grammars know, in a DIN-like font with the blue EU
band, warped, blurred, noisy, JPEG-compressed, by day and night, 16-80 px high,
pasted into cluttered 1920x1080 frames; and a traffic clip of cars driving away
with readable plates. It prints exact-plate accuracy by plate height, frames/s
of the reader and of the baseline on the same frames, and the clip's frames/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _plates

from scape.vision.plates import PlateReader, parse_plate

BUCKETS = ((16, 31), (32, 47), (48, 63), (64, 80))


def _bucket(h: int) -> str:
    for lo, hi in BUCKETS:
        if lo <= h <= hi:
            return f"{lo}-{hi}px"
    return "other"


def baseline_engine():  # type: ignore[no-untyped-def]
    """Return rapidocr with its default pipeline (detector, classifier, recogniser)."""
    from rapidocr import RapidOCR

    return RapidOCR(params={"Global.log_level": "error"})


def baseline_plates(engine, frame) -> set[str]:  # type: ignore[no-untyped-def]
    """Return every plate string the default pipeline's texts could stand for."""
    out = engine(frame)
    found: set[str] = set()
    for txt in out.txts or ():
        parsed = parse_plate(txt)
        if parsed is not None:
            found.add(parsed.plate)
        found.add("".join(ch for ch in txt.upper() if ch.isalnum()))
    return found


def run_stills(args: argparse.Namespace) -> dict[str, object]:
    reader = PlateReader()
    samples = list(_plates.samples(args.seed, args.samples))
    reader.read_image(samples[0].frame)  # load the model outside the timing
    per_bucket: dict[str, list[int]] = {}
    false_reads = 0
    misses = []
    elapsed = 0.0
    for s in samples:
        t0 = time.perf_counter()
        reads = reader.read_image(s.frame)
        elapsed += time.perf_counter() - t0
        ok = any(r.plate == s.spec.plate for r in reads)
        false_reads += sum(1 for r in reads if r.plate != s.spec.plate)
        b = per_bucket.setdefault(_bucket(s.height_px), [0, 0])
        b[0] += ok
        b[1] += 1
        if not ok:
            misses.append((s.spec.plate, s.height_px, [r.plate for r in reads]))
    total_ok = sum(v[0] for v in per_bucket.values())
    ours_fps = len(samples) / elapsed

    engine = baseline_engine()
    base = samples[: args.baseline_samples]
    engine(base[0].frame)
    b_ok = 0
    t0 = time.perf_counter()
    for s in base:
        b_ok += s.spec.plate in baseline_plates(engine, s.frame)
    base_fps = len(base) / (time.perf_counter() - t0)
    # The reader on exactly the baseline's frames, for a like-for-like speed ratio.
    t0 = time.perf_counter()
    for s in base:
        reader.read_image(s.frame)
    ours_same_fps = len(base) / (time.perf_counter() - t0)
    return {
        "samples": len(samples),
        "accuracy": total_ok / len(samples),
        "accuracy_by_height": {k: f"{v[0]}/{v[1]}" for k, v in sorted(per_bucket.items())},
        "false_reads": false_reads,
        "misses": misses[:20],
        "fps": ours_fps,
        "baseline_samples": len(base),
        "baseline_accuracy": b_ok / len(base),
        "baseline_fps": base_fps,
        "fps_on_baseline_frames": ours_same_fps,
        "speedup": ours_same_fps / base_fps,
    }


def run_clip(args: argparse.Namespace) -> dict[str, object]:
    import av

    frames = list(_plates.traffic_clip(args.seed + 1, n_frames=args.clip_frames, n_cars=6))
    truth = {p for f in frames for p, _ in f.plates}
    reader = PlateReader()
    reader.read_image(frames[0].frame)
    best = None
    for _ in range(args.repeat):
        session = reader.session(25.0)
        reads = []
        t0 = time.perf_counter()
        for f in frames:
            reads += session.feed(f.frame, f.index, f.index / 25.0)
        reads += session.close()
        fps = len(frames) / (time.perf_counter() - t0)
        best = fps if best is None else max(best, fps)
    plates = [r.plate for r in reads]
    # The same clip through a real encoder and decoder, as ``scape anpr`` sees it.
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "clip.mp4")
        with av.open(path, "w") as out:
            stream = out.add_stream("libx264", rate=25)
            stream.width, stream.height, stream.pix_fmt = 1920, 1080, "yuv420p"
            stream.options = {"crf": "20", "preset": "veryfast"}
            for f in frames:
                for packet in stream.encode(av.VideoFrame.from_ndarray(f.frame, format="bgr24")):
                    out.mux(packet)
            for packet in stream.encode():
                out.mux(packet)
        t0 = time.perf_counter()
        decoded_reads = list(reader.read_video(path))
        e2e_fps = len(frames) / (time.perf_counter() - t0)
    return {
        "frames": len(frames),
        "vehicles": len(truth),
        "read_correctly": len(truth & set(plates)),
        "reads": plates,
        "wrong_or_duplicate_reads": len(plates) - len(truth & set(plates)),
        "fps": best,
        "fps_with_decode": e2e_fps,
        "decoded_read_correctly": len(truth & {r.plate for r in decoded_reads}),
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--samples", type=int, default=300)
    p.add_argument("--baseline-samples", type=int, default=40)
    p.add_argument("--clip-frames", type=int, default=200)
    p.add_argument("--repeat", type=int, default=2, help="clip runs; the best is kept")
    p.add_argument("--seed", type=int, default=2026)
    args = p.parse_args()
    result = {
        "date": dt.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "stills": run_stills(args),
        "clip": run_clip(args),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
