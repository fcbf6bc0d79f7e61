"""Licence-plate reading (ANPR): Lithuanian and Latvian plates, and foreign ones as read.

``PlateReader`` reads plates in images and videos (learned text-line proposals,
whole-plate recognition); ``parse_plate`` scores raw text against the national
grammars and annotates it, never cutting it; ``detect_plate_boxes`` finds plate
boxes without reading them, for redaction.
"""

from __future__ import annotations

import numpy as np

from scape.vision.plates.config import DetectConfig, MotionConfig, ReaderConfig, TrackConfig
from scape.vision.plates.detect import find_candidates, rectify
from scape.vision.plates.grammar import ParsedPlate, parse_plate
from scape.vision.plates.reader import PlateReader, VideoSession
from scape.vision.plates.voting import PlateRead, vote

__all__ = [
    "DetectConfig",
    "MotionConfig",
    "ParsedPlate",
    "PlateRead",
    "PlateReader",
    "ReaderConfig",
    "TrackConfig",
    "VideoSession",
    "detect_plate_boxes",
    "parse_plate",
    "vote",
]


def detect_plate_boxes(
    frame_bgr: np.ndarray, config: DetectConfig | None = None
) -> list[tuple[int, int, int, int, float]]:
    """Return plate boxes ``(x1, y1, x2, y2, score)`` in ``frame_bgr``, without OCR.

    Each candidate is fitted to the plate's outline when it can be, so the box
    covers the whole plate including the band. Meant for redaction: it favours
    finding every plate over rejecting every look-alike.
    """
    cfg = config or DetectConfig()
    out = []
    for cand in find_candidates(frame_bgr, cfg):
        rect = rectify(frame_bgr, cand.box)
        x1, y1, x2, y2 = rect.box
        out.append((x1, y1, x2, y2, round(cand.score, 3)))
    return out
