"""``scape anpr FILE... [--json] [--zone x1,y1,...]``: read plates in images and videos."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from scape.vision.plates import PlateRead, PlateReader, ReaderConfig
from scape.vision.video import VideoError

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"}


class UnreadableFile(Exception):
    """A file that is neither a decodable image nor a decodable video."""


def _parse_zone(value: str) -> tuple[tuple[int, int], ...]:
    try:
        nums = [int(float(v)) for v in value.split(",")]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {value!r}") from exc
    if len(nums) < 6 or len(nums) % 2:
        raise argparse.ArgumentTypeError("a zone needs at least three x,y points")
    return tuple(zip(nums[0::2], nums[1::2], strict=True))


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="scape anpr",
        description=(
            "Read licence plates: Lithuanian and Latvian ones with their country, "
            "any other exactly as read, with no country."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="images or videos")
    p.add_argument("--json", action="store_true", help="print JSON Lines, one read per line")
    p.add_argument(
        "--zone",
        type=_parse_zone,
        default=None,
        metavar="x1,y1,x2,y2,...",
        help="road zone polygon in frame pixels; plates outside it are ignored",
    )
    p.add_argument("--country", choices=["LT", "LV"], help="country of the camera")
    return p


def _reads(reader: PlateReader, path: Path) -> Iterator[PlateRead]:
    if not path.is_file():
        raise UnreadableFile("no such file")
    if path.suffix.lower() in IMAGE_SUFFIXES:
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if image is None:
            raise UnreadableFile("not a decodable image")
        yield from reader.read_image(image)
        return
    try:
        yield from reader.read_video(path)
    except VideoError as exc:
        # An image with an unusual suffix is still worth a try before giving up.
        data = np.fromfile(path, dtype=np.uint8)
        image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
        if image is None:
            cause = exc.__cause__ or exc
            raise UnreadableFile(f"not a decodable image or video ({cause})") from exc
        yield from reader.read_image(image)


def _line(path: Path, read: PlateRead, as_json: bool) -> str:
    if as_json:
        return json.dumps(
            {
                "file": str(path),
                "frame": read.frame,
                "time_s": round(read.time_s, 3),
                "plate": read.plate,
                "text": read.text,
                "country": read.country,
                "confidence": round(read.confidence, 4),
                "box": list(read.box),
            }
        )
    country = read.country or "??"
    return (
        f"{path}\t{read.frame}\t{read.time_s:.2f}s\t{country}\t{read.text}\t{read.confidence:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run ``scape anpr``; return 0, or 2 when a file could not be read."""
    args = _parser().parse_args(argv)
    reader = PlateReader(ReaderConfig(zone=args.zone, country_hint=args.country))
    status = 0
    for name in args.files:
        path = Path(name)
        try:
            for read in _reads(reader, path):
                print(_line(path, read, args.json), flush=True)
        except UnreadableFile as exc:
            print(f"scape anpr: cannot read {name}: {exc}", file=sys.stderr)
            status = 2
    return status


if __name__ == "__main__":
    sys.exit(main())
