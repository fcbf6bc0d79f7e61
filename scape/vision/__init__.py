"""Video engines of SCAPE: decode/encode, detectors, tracking and redaction.

Pure Python on PyAV, NumPy, OpenCV and onnxruntime; nothing here imports
Django or another SCAPE app, so the engines run from the CLI, from a task
worker or as a library alike. Heavy modules are imported on first use of the
names below, so ``import scape.vision`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scape.vision.boxes import BoxFileError, Region, read_boxes
    from scape.vision.config import RedactConfig
    from scape.vision.redact import Redactor, RedactStats, redact_video
    from scape.vision.video import UnreadableVideoError, VideoError

_EXPORTS = {
    "BoxFileError": "scape.vision.boxes",
    "Region": "scape.vision.boxes",
    "read_boxes": "scape.vision.boxes",
    "RedactConfig": "scape.vision.config",
    "RedactStats": "scape.vision.redact",
    "Redactor": "scape.vision.redact",
    "redact_video": "scape.vision.redact",
    "UnreadableVideoError": "scape.vision.video",
    "VideoError": "scape.vision.video",
}

__all__ = [
    "BoxFileError",
    "RedactConfig",
    "RedactStats",
    "Redactor",
    "Region",
    "UnreadableVideoError",
    "VideoError",
    "read_boxes",
    "redact_video",
]


def __getattr__(name: str) -> Any:
    """Import an exported name's module on first access."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'scape.vision' has no attribute {name!r}")
    return getattr(import_module(module), name)
