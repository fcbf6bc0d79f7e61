"""Text-line proposals from the learned detector that ships inside the rapidocr wheel.

The DB (differentiable binarisation) text detector of PP-OCR finds text lines
in real photographs whatever the font, the light or the plate's surroundings,
which no hand-tuned edge threshold did. It is run here directly through
onnxruntime, on a frame scaled down so that its longer side is ``side`` pixels
(plates remain 8 px high or more there; the detector finds text that small), and
its probability map is turned into boxes with rapidocr's own post-processing.
The model file is named explicitly: nothing is ever downloaded.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

_local = threading.local()


@dataclass(frozen=True)
class TextBox:
    """One detected text line: its corner points in frame pixels and its score."""

    points: np.ndarray
    score: float

    @property
    def box(self) -> tuple[int, int, int, int]:
        """Return the axis-aligned box ``(x1, y1, x2, y2)`` around the line."""
        x1, y1 = self.points.min(axis=0)
        x2, y2 = self.points.max(axis=0)
        return int(x1), int(y1), int(np.ceil(x2)), int(np.ceil(y2))


@cache
def det_model_path() -> Path:
    """Return the text-detection model shipped inside the rapidocr wheel."""
    import rapidocr

    models = Path(rapidocr.__file__).resolve().parent / "models"
    found = sorted(models.glob("*det*.onnx"), key=lambda p: ("v6" not in p.name.lower(), p.name))
    if not found:
        raise FileNotFoundError(f"no detection model in {models}; reinstall rapidocr")
    return found[0]


def _session(threads: int) -> Any:
    sess = getattr(_local, "det", None)
    if sess is None or _local.det_threads != threads:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        if threads > 0:
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
        sess = ort.InferenceSession(
            str(det_model_path()), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        _local.det = sess
        _local.det_threads = threads
    return sess


@cache
def _postprocess(thresh: float, box_thresh: float, unclip: float) -> Any:
    from rapidocr.ch_ppocr_det.utils import DBPostProcess

    return DBPostProcess(
        thresh=thresh,
        box_thresh=box_thresh,
        max_candidates=300,
        unclip_ratio=unclip,
        score_mode="fast",
        use_dilation=True,
    )


def detect_text(
    image_bgr: np.ndarray,
    *,
    side: int = 960,
    scale: float | None = None,
    threads: int = 0,
    thresh: float = 0.3,
    box_thresh: float = 0.5,
    unclip: float = 1.6,
    upscale: bool = False,
) -> list[TextBox]:
    """Return the text lines the learned detector finds in ``image_bgr``.

    The image is scaled by ``scale``, or else so that its longer side is ``side``
    pixels (never up, unless ``upscale``), to the multiple of 32 the network needs.
    """
    h, w = image_bgr.shape[:2]
    if h < 8 or w < 8:
        return []
    ratio = scale if scale is not None else side / max(h, w)
    if not upscale:
        ratio = min(1.0, ratio)
    rh = max(32, round(h * ratio / 32) * 32)
    rw = max(32, round(w * ratio / 32) * 32)
    interp = cv2.INTER_AREA if ratio < 1 else cv2.INTER_LINEAR
    small = cv2.resize(image_bgr, (rw, rh), interpolation=interp)
    blob = (small.astype(np.float32) * (2.0 / 255.0) - 1.0).transpose(2, 0, 1)[None]
    sess = _session(threads)
    pred = sess.run(None, {sess.get_inputs()[0].name: blob})[0]
    boxes, scores = _postprocess(thresh, box_thresh, unclip)(pred, (h, w))
    return [
        TextBox(np.asarray(b, dtype=np.float32), float(s))
        for b, s in zip(boxes, scores, strict=False)
    ]
