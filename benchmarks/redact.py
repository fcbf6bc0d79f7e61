"""Benchmark face redaction against deface (its defaults) and a plain transcode.

Run by hand, never in CI::

    .venv/bin/python benchmarks/redact.py [--seconds 4] [--size 1280x720] [--data ../shared/data]

One run reports:

1. **Real photos** (``<data>/faces-real-dev``, 197 WIDER FACE crowd photos,
   read in place, never copied): faces hidden per width band, 10-19, 20-39
   and >= 40 px, for the engine's own detector and mask geometry with the
   default configuration, and for deface's own CenterFace with deface's
   defaults (see benchmarks/_faces_real.py). A face is hidden when at least
   90 % of its box is masked. Also the masks each puts on eleven face-free
   photos (false boxes).
2. **Moving-camera clips** (benchmarks/_faces_clip.py: real faces 12-200 px
   over real photographs, camera pan, swing, shake and zoom), drawn from the
   fixed development seed *and* from a fresh random seed each run (printed):
   leaked face-frames (< 90 % of the face black) of ``scape redact --mode
   solid`` and ``deface --replacewith solid``, both otherwise with defaults.
3. **Speed** on the development-seed clip: frames/s of ``scape redact`` and
   ``deface`` with their defaults (blur), and of a plain decode + encode with
   our encoder settings (the ceiling). Each tool runs as its own process,
   timed wall-clock from start to exit.

The load average is printed before and after: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shlex
import subprocess
import sys
import time
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import _faces_real  # noqa: E402
from benchmarks._faces_clip import FaceClip, leaks  # noqa: E402

PYTHON = sys.executable
DEFACE = [PYTHON, "-m", "deface.deface"]
SCAPE_REDACT = [PYTHON, "-m", "scape.vision.cli_redact", "--quiet"]
CEILING = [
    PYTHON,
    "-c",
    "import sys; from scape.vision.video import transcode; transcode(sys.argv[1], sys.argv[2])",
]
DEV_SEED = 7


def load() -> str:
    """Return the 1, 5 and 15 minute load averages."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


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


def main() -> int:
    """Run the benchmark and print the tables."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=4.0, help="length of each clip")
    p.add_argument("--size", default="1280x720", help="WxH of the clips")
    p.add_argument(
        "--data",
        default=str(ROOT.parent / "shared" / "data"),
        help="folder holding faces-real-dev/ (default: the repository's sibling shared/data)",
    )
    p.add_argument("--seed", type=int, default=None, help="fresh seed (default: a random one)")
    p.add_argument("--real-limit", type=int, default=0, help="score only the first N photos")
    p.add_argument("--workdir", default=str(ROOT / "var" / "bench"))
    p.add_argument("--skip-deface", action="store_true", help="measure scape and the ceiling only")
    p.add_argument("--skip-real", action="store_true", help="leave out the real photos")
    p.add_argument(
        "--scape-args", default="", help="extra arguments for scape redact, quoted as one string"
    )
    args = p.parse_args()
    scape_args = shlex.split(args.scape_args)
    width, height = (int(v) for v in args.size.lower().split("x"))
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    data_dir = Path(args.data)
    fresh = args.seed if args.seed is not None else secrets.randbelow(2**31)
    print(f"seeds: development {DEV_SEED}, fresh {fresh}", file=sys.stderr)
    result: dict[str, object] = {
        "size": args.size,
        "seconds": args.seconds,
        "seeds": {"dev": DEV_SEED, "fresh": fresh},
        "cpus": os.cpu_count(),
        "load_before": load(),
    }

    # 1. Real photos.
    if not args.skip_real:
        print("scoring the real photos ...", file=sys.stderr)
        tools = {"scape": _faces_real.scape_tool()}
        if not args.skip_deface:
            tools["deface"] = _faces_real.deface_tool()
        real = _faces_real.score(data_dir, tools, limit=args.real_limit)
        result["real"] = {name: s.as_dict() for name, s in real.items()}
        makers = {"scape": _faces_real.scape_tool}
        if not args.skip_deface:
            makers["deface"] = _faces_real.deface_tool
        false = _faces_real.false_boxes(makers)
        result["false_boxes"] = false

    # 2. Clips: development and fresh seed, solid masks, leaked face-frames.
    clips: dict[str, tuple[FaceClip, Path]] = {}
    for label, seed in (("dev", DEV_SEED), ("fresh", fresh)):
        clip = FaceClip(seed, width=width, height=height, seconds=args.seconds, data_dir=data_dir)
        src = work / f"faces_{width}x{height}_{args.seconds:g}s_seed{seed}.mp4"
        if not src.exists():
            print(f"drawing {src.name} ...", file=sys.stderr)
            tmp = src.with_suffix(".tmp.mp4")
            clip.write(tmp)
            os.replace(tmp, src)
        clips[label] = (clip, src)

    def run(name: str, cmd: list[str], out: Path, frames: int) -> float:
        out.unlink(missing_ok=True)
        print(f"running {name} ...", file=sys.stderr)
        seconds = timed(cmd, work / f"{out.stem}.log")
        got = count_frames(out)
        if got != frames:
            print(f"  warning: {name} wrote {got} frames, input has {frames}", file=sys.stderr)
        print(f"  {seconds:.1f} s, {frames / seconds:.1f} frames/s", file=sys.stderr)
        return frames / seconds

    leak_rows: dict[str, dict[str, object]] = {}
    for label, (clip, src) in clips.items():
        out = work / f"scape_solid_{label}.mp4"
        run(
            f"scape solid ({label})",
            [*SCAPE_REDACT, *scape_args, "--mode", "solid", str(src), str(out)],
            out,
            clip.frames,
        )
        leak_rows[f"scape {label}"] = leaks(clip, out).as_dict()
        if not args.skip_deface:
            out = work / f"deface_solid_{label}.mp4"
            run(
                f"deface solid ({label})",
                [*DEFACE, str(src), "-o", str(out), "--replacewith", "solid"],
                out,
                clip.frames,
            )
            leak_rows[f"deface {label}"] = leaks(clip, out).as_dict()
    result["clips"] = leak_rows

    # 3. Speed on the development clip, defaults (blur).
    clip, src = clips["dev"]
    fps: dict[str, float] = {}
    out = work / "ceiling.mp4"
    fps["plain transcode (ceiling)"] = run(
        "ceiling", [*CEILING, str(src), str(out)], out, clip.frames
    )
    out = work / "scape.mp4"
    fps["scape redact"] = run(
        "scape redact", [*SCAPE_REDACT, *scape_args, str(src), str(out)], out, clip.frames
    )
    if not args.skip_deface:
        out = work / "deface.mp4"
        fps["deface"] = run("deface", [*DEFACE, str(src), "-o", str(out)], out, clip.frames)
    result["fps"] = fps
    result["load_after"] = load()

    # Tables.
    print()
    print(
        f"load before {result['load_before']}, after {result['load_after']}, {os.cpu_count()} CPUs"
    )
    if "real" in result:
        print("real photos (faces-real-dev): faces hidden (>= 90 % of the box masked)")
        for name, s in real.items():
            cells = [
                f"{b}: {s.hidden[b]}/{s.total[b]} ({100 * s.hidden[b] / max(1, s.total[b]):.1f} %)"
                for b in s.total
            ]
            print(f"  {name:<8}" + "   ".join(cells) + f"   {s.images_per_s:.1f} photos/s")
        print("face-free photos (scikit-image): masks put on them")
        for name, per_photo in false.items():
            hit = sum(1 for n in per_photo.values() if n)
            print(f"  {name:<8}{sum(per_photo.values())} on {hit} of {len(per_photo)} photos")
    print(f"clips {width}x{height}, {args.seconds:g} s: leaked face-frames (< 90 % hidden)")
    for name, row in leak_rows.items():
        print(
            f"  {name:<14}{row['leaked']:>5} of {row['face_frames']:<6}"
            f" (under 20 px: {row['leaked_small']} of {row['small_frames']}),"
            f" worst {100 * float(row['worst']):.1f} % hidden"  # type: ignore[arg-type]
        )
    print("frames/s (development clip, defaults)")
    for name, value in fps.items():
        print(f"  {name:<28}{value:>8.1f}")
    if "deface" in fps:
        print(f"  scape / deface {fps['scape redact'] / fps['deface']:.2f}x")
    print(f"  scape / ceiling {fps['scape redact'] / fps['plain transcode (ceiling)']:.2f}x")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
