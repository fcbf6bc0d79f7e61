"""Run the vision plate reader over a file and store what it reads.

Shared by the vault task and the ``scape traffic_reads`` command. The frame
loop touches no database: reads are collected and stored afterwards.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from django.utils.translation import gettext as _

from scape.traffic.actions import do_record_read
from scape.traffic.models import PlateRead, TrafficCamera
from scape.vision.plates import PlateRead as VisionRead
from scape.vision.plates import PlateReader, ReaderConfig
from scape.vision.video import NoVideoStreamError, UnreadableVideoError, VideoError

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"}

Progress = Callable[[float], None]


class UnreadableFile(Exception):
    """A file that is neither a decodable image nor a decodable video."""


def reader_for(camera: TrafficCamera | None) -> PlateReader:
    """Return a plate reader set up for the camera's road zone and country."""
    if camera is None:
        return PlateReader()
    country = camera.organization.country
    return PlateReader(
        ReaderConfig(
            zone=camera.zone_points(), country_hint=country if country in ("LT", "LV") else None
        )
    )


def _image(path: Path) -> np.ndarray | None:
    data = np.fromfile(str(path), dtype=np.uint8)
    return cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None


def read_file(
    reader: PlateReader, path: Path, *, image: bool | None = None, progress: Progress | None = None
) -> Iterator[VisionRead]:
    """Yield one voted read per vehicle in the image or video at `path`.

    Raise UnreadableFile when it is neither.
    """
    if not path.is_file():
        raise UnreadableFile(_("The file does not exist."))
    if image is None:
        image = path.suffix.lower() in IMAGE_SUFFIXES
    if image:
        frame = _image(path)
        if frame is None:
            raise UnreadableFile(_("The file is not a decodable image."))
        yield from reader.read_image(frame)
        if progress:
            progress(1.0)
        return
    try:
        yield from reader.read_video(path, progress=progress)
    except NoVideoStreamError as exc:
        raise UnreadableFile(_("The file has no video.")) from exc
    except UnreadableVideoError as exc:
        # An image with an unusual suffix is still worth a try before giving up.
        frame = _image(path)
        if frame is None:
            raise UnreadableFile(_("The file is not a decodable image or video.")) from exc
        yield from reader.read_image(frame)
    except VideoError as exc:
        raise UnreadableFile(_("The video could not be decoded.")) from exc


def crop_jpeg(read: VisionRead) -> bytes | None:
    """Return the read's plate crop as JPEG bytes, if it has one."""
    if read.crop is None or read.crop.size == 0:
        return None
    ok, data = cv2.imencode(".jpg", read.crop, [cv2.IMWRITE_JPEG_QUALITY, 90])
    return data.tobytes() if ok else None


def store_reads(
    reads: list[VisionRead],
    *,
    organization: Any,
    camera: TrafficCamera | None,
    start: datetime.datetime,
    source: str,
    vault_item_id: int | None = None,
    actor: Any = None,
) -> list[PlateRead]:
    """Store vision reads as plate reads, timed from `start`; matching runs for each."""
    stored = []
    for read in reads:
        stored.append(
            do_record_read(
                organization=organization,
                camera=camera,
                # Microseconds are dropped so that a read stored again matches itself.
                time=(start + datetime.timedelta(seconds=round(read.time_s, 3))),
                plate=read.plate,
                text=read.text,
                country=read.country,
                confidence=max(0.0, min(1.0, float(read.confidence))),
                image=crop_jpeg(read),
                source=source,
                vault_item_id=vault_item_id,
                actor=actor,
            )
        )
    return stored
