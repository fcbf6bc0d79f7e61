"""Benchmark face redaction against deface and against a plain transcode.

Run by hand, never in CI::

    .venv/bin/python benchmarks/redact.py [--seconds 20] [--size 1280x720]

It draws its own clip (benchmarks/_clips.py: the astronaut's head at four
sizes moving over a panning test pattern, with audio, face boxes known per
frame), then measures, each tool run as its own process and timed wall-clock
from start to exit:

* ``deface`` with its defaults (frames/s), and with ``--replacewith solid``
  (face coverage);
* ``scape redact --faces`` with its defaults (frames/s), and with
  ``--mode solid`` (face coverage);
* a plain decode + encode with the same encoder settings as ours (the ceiling).

Coverage is the share of ground-truth face pixels, over all frames, that the
output shows in the solid mask colour (black for both tools). Pixels whose
source colour is already near black (pupils, shadows) are left out, and a
pixel counts as covered when all its channels are dark, which absorbs codec
noise.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._clips import Clip, ClipSpec  # noqa: E402

PYTHON = sys.executable
DEFACE = [PYTHON, "-m", "deface.deface"]
SCAPE_REDACT = [PYTHON, "-m", "scape.vision.cli_redact", "--quiet"]
CEILING = [
    PYTHON,
    "-c",
    "import sys; from scape.vision.video import transcode; transcode(sys.argv[1], sys.argv[2])",
]
# Source pixels at least this bright are face pixels a mask must hide; output
# pixels at most this bright count as hidden by a black mask.
SOURCE_MIN = 90
COVERED_MAX = 50


def timed(cmd: list[str], log: Path) -> float:
    """Run a command, send its output to ``log`` and return its wall-clock seconds."""
    started = time.perf_counter()
    with open(log, "w") as fh:
        subprocess.run(cmd, check=True, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT)
    return time.perf_counter() - started


def count_frames(path: Path) -> int:
    """Return the number of decodable video frames of a file."""
    with av.open(str(path)) as c:
        stream = c.streams.video[0]
        stream.thread_type = "AUTO"
        return sum(1 for _ in c.decode(stream))


def coverage(clip: Clip, path: Path) -> tuple[float, int]:
    """Return (share of face pixels hidden, frames compared) of a solid-mask output."""
    hidden = total = frames = 0
    with av.open(str(path)) as c:
        stream = c.streams.video[0]
        stream.thread_type = "AUTO"
        for n, frame in enumerate(c.decode(stream)):
            if n >= clip.spec.frames:
                break
            out = frame.to_ndarray(format="bgr24")
            src, boxes = clip.frame(n)
            for x1, y1, x2, y2 in boxes:
                sl = np.s_[int(y1) : int(np.ceil(y2)), int(x1) : int(np.ceil(x2))]
                eligible = src[sl].max(axis=2) >= SOURCE_MIN
                dark = out[sl].max(axis=2) <= COVERED_MAX
                total += int(eligible.sum())
                hidden += int((eligible & dark).sum())
            frames += 1
    return (hidden / total if total else 0.0), frames


def main() -> int:
    """Run the benchmark and print the table."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--size", default="1280x720", help="WxH of the clip")
    p.add_argument("--workdir", default=str(ROOT / "var" / "bench"))
    p.add_argument("--skip-deface", action="store_true", help="only measure scape and the ceiling")
    p.add_argument(
        "--repeat", type=int, default=1, help="time scape and the ceiling this many times"
    )
    p.add_argument(
        "--scape-args", default="", help="extra arguments for scape redact, quoted as one string"
    )
    args = p.parse_args()
    args.scape_args = shlex.split(args.scape_args)
    width, height = (int(v) for v in args.size.lower().split("x"))
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)

    spec = ClipSpec(width=width, height=height, seconds=args.seconds)
    clip = Clip(spec)
    src = work / f"clip_{width}x{height}_{args.seconds:g}s.mp4"
    if not src.exists():
        print(f"drawing {src} ...", file=sys.stderr)
        clip.write(src.with_suffix(".tmp.mp4"))
        os.replace(src.with_suffix(".tmp.mp4"), src)
    frames = count_frames(src)
    print(f"clip: {src.name}, {frames} frames, {os.cpu_count()} CPUs", file=sys.stderr)

    rows: dict[str, dict[str, float | None]] = {}

    def run(name: str, cmd: list[str], out: Path) -> float:
        out.unlink(missing_ok=True)
        print(f"running {name} ...", file=sys.stderr)
        seconds = timed(cmd, work / f"{out.stem}.log")
        got = count_frames(out)
        if got != frames:
            print(f"  warning: {name} wrote {got} frames, input has {frames}", file=sys.stderr)
        fps = frames / seconds
        print(f"  {seconds:.1f} s, {fps:.1f} frames/s", file=sys.stderr)
        return fps

    def best(name: str, cmd: list[str], out: Path) -> float:
        return max(run(name, cmd, out) for _ in range(max(1, args.repeat)))

    ceiling_out = work / "ceiling.mp4"
    rows["plain transcode (ceiling)"] = {
        "fps": best("ceiling", [*CEILING, str(src), str(ceiling_out)], ceiling_out),
        "coverage": None,
    }
    ours_out = work / "scape.mp4"
    ours_solid = work / "scape_solid.mp4"
    ours_fps = best(
        "scape redact", [*SCAPE_REDACT, *args.scape_args, str(src), str(ours_out)], ours_out
    )
    run(
        "scape redact --mode solid",
        [*SCAPE_REDACT, *args.scape_args, "--mode", "solid", str(src), str(ours_solid)],
        ours_solid,
    )
    rows["scape redact --faces"] = {"fps": ours_fps, "coverage": coverage(clip, ours_solid)[0]}
    if not args.skip_deface:
        deface_out = work / "deface.mp4"
        deface_solid = work / "deface_solid.mp4"
        deface_fps = run("deface", [*DEFACE, str(src), "-o", str(deface_out)], deface_out)
        run(
            "deface --replacewith solid",
            [*DEFACE, str(src), "-o", str(deface_solid), "--replacewith", "solid"],
            deface_solid,
        )
        rows["deface (defaults)"] = {"fps": deface_fps, "coverage": coverage(clip, deface_solid)[0]}

    print()
    print(f"clip {width}x{height}, {frames} frames, {os.cpu_count()} CPUs")
    print(f"{'tool':<28}{'frames/s':>10}{'face coverage':>16}")
    for name, row in rows.items():
        cov = row["coverage"]
        cov_s = "-" if cov is None else f"{cov * 100:.2f} %"
        print(f"{name:<28}{row['fps']:>10.1f}{cov_s:>16}")
    ours = rows["scape redact --faces"]
    ceiling = rows["plain transcode (ceiling)"]["fps"] or 1.0
    ratios = {"scape / ceiling": (ours["fps"] or 0) / ceiling}
    if "deface (defaults)" in rows:
        deface = rows["deface (defaults)"]
        ratios["scape / deface"] = (ours["fps"] or 0) / (deface["fps"] or 1.0)
    print()
    for name, value in ratios.items():
        print(f"{name:<28}{value:>10.2f}x")
    print(json.dumps({"size": args.size, "frames": frames, "rows": rows, "ratios": ratios}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
