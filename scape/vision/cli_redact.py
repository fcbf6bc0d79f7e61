"""``scape redact``: hide faces, plates and listed regions in one video file.

Needs no database and no Django: it runs the engine of :mod:`scape.vision`
directly. Exit status 0 on success, 2 when the input cannot be read or an
argument or box file is invalid (no output file is left behind), 1 on any
other failure.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Never

from pydantic import ValidationError
from tqdm import tqdm

from scape.vision.boxes import BoxFileError, read_boxes
from scape.vision.config import (
    EncodeConfig,
    FaceConfig,
    MaskConfig,
    MaskMode,
    RedactConfig,
    TrackConfig,
)
from scape.vision.faces import ModelError
from scape.vision.redact import PlatesUnavailableError, Redactor
from scape.vision.video import UnreadableVideoError, VideoError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``scape redact``."""
    face, track, mask, enc = FaceConfig(), TrackConfig(), MaskConfig(), EncodeConfig()
    p = argparse.ArgumentParser(
        prog="scape redact",
        description="Hide faces and licence plates in a video; audio is copied unchanged.",
    )
    p.add_argument("input", help="video file to redact")
    p.add_argument("output", help="redacted video to write (.mp4, .mov or .mkv)")
    p.add_argument(
        "--faces",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="detect and hide faces (default: on)",
    )
    p.add_argument("--plates", action="store_true", help="detect and hide licence plates")
    p.add_argument(
        "--mode",
        choices=[m.value for m in MaskMode],
        default=mask.mode.value,
        help=f"how regions are hidden (default: {mask.mode.value})",
    )
    p.add_argument(
        "--threshold",
        type=float,
        default=face.threshold,
        help=f"face detection threshold 0-1 (default: {face.threshold})",
    )
    p.add_argument(
        "--scale",
        type=float,
        default=mask.scale,
        help=f"enlarge detected boxes by this factor (default: {mask.scale})",
    )
    p.add_argument(
        "--min-face",
        type=int,
        default=face.min_face_px,
        metavar="PX",
        help=f"smallest face width in pixels to find (default: {face.min_face_px})",
    )
    p.add_argument(
        "--detect-interval",
        type=int,
        default=track.detect_interval,
        metavar="N",
        help=f"detect on every Nth frame, track between (default: {track.detect_interval})",
    )
    p.add_argument(
        "--small-face-tiles",
        type=int,
        default=face.small_face_tiles,
        metavar="N",
        help=(
            "look for the smallest faces on an NxN grid of enlarged tiles, 0 = off "
            f"(faster, misses faces under about 14 px) (default: {face.small_face_tiles})"
        ),
    )
    p.add_argument(
        "--moving-interval",
        type=int,
        default=track.moving_interval,
        metavar="N",
        help=f"detect on every Nth frame while the camera moves (default: {track.moving_interval})",
    )
    p.add_argument(
        "--preset",
        default=enc.preset,
        help=f"libx264 preset (default: {enc.preset})",
    )
    p.add_argument("--crf", type=int, default=enc.crf, help=f"libx264 CRF (default: {enc.crf})")
    p.add_argument("--boxes-in", metavar="FILE.jsonl", help="also hide the boxes in this file")
    p.add_argument(
        "--boxes-out", metavar="FILE.jsonl", help="write the boxes of every frame to this file"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def config_from_args(args: argparse.Namespace) -> RedactConfig:
    """Return the validated configuration the arguments describe."""
    return RedactConfig(
        faces=args.faces,
        plates=args.plates,
        face=FaceConfig(
            threshold=args.threshold,
            min_face_px=args.min_face,
            small_face_tiles=args.small_face_tiles,
        ),
        track=TrackConfig(
            detect_interval=args.detect_interval, moving_interval=args.moving_interval
        ),
        mask=MaskConfig(mode=MaskMode(args.mode), scale=args.scale),
        encode=EncodeConfig(preset=args.preset, crf=args.crf),
    )


def _error(message: str) -> None:
    print(f"scape redact: error: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run ``scape redact`` and return its exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        config = config_from_args(args)
    except ValidationError as exc:
        for err in exc.errors():
            _error(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}")
        return EXIT_USAGE
    try:
        manual = read_boxes(args.boxes_in) if args.boxes_in else None
        redactor = Redactor(config, manual=manual)
    except BoxFileError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except (PlatesUnavailableError, ModelError) as exc:
        _error(str(exc))
        return EXIT_FAILED

    bar: tqdm[Never] | None = None
    progress: Callable[[int, int], None] | None = None
    if not args.quiet:
        bar = tqdm(unit="frame", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)

        def progress(done: int, total: int) -> None:
            assert bar is not None
            if total and bar.total != total:
                bar.total = max(total, done)
            bar.update(done - bar.n)

    try:
        stats = redactor.run(args.input, args.output, boxes_out=args.boxes_out, progress=progress)
    except UnreadableVideoError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except (VideoError, OSError) as exc:
        _error(str(exc))
        return EXIT_FAILED
    finally:
        if bar is not None:
            bar.close()
    if not args.quiet:
        print(
            f"{stats.frames} frames in {stats.seconds:.1f} s ({stats.fps:.1f} frames/s), "
            f"{stats.masked_frames} with masks",
            file=sys.stderr,
        )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
