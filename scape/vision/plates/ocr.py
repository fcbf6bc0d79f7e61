"""Run rapidocr's text recogniser (and only it) on rectified plate crops.

The detector of rapidocr is never used: the crops already are the text lines.
rapidocr keeps per-call options on the engine object, so every call passes all
of them explicitly, and each thread gets its own engine because one engine is
not safe to share between threads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

# The plate crop is about 4.7 times as wide as high; a narrower model input than
# rapidocr's default 320 px avoids recognising padding.
REC_SHAPE = (3, 48, 256)
_local = threading.local()


@dataclass(frozen=True)
class TextRead:
    """What the recogniser read on one crop, with a confidence per character."""

    text: str
    confidence: float
    char_confidences: tuple[float, ...]


@cache
def rec_model_path() -> Path:
    """Return the recognition model shipped inside the rapidocr wheel.

    Naming the file explicitly keeps rapidocr from ever trying to download one.
    """
    import rapidocr

    models = Path(rapidocr.__file__).resolve().parent / "models"
    found = sorted(models.glob("*rec*.onnx"), key=lambda p: ("v6" not in p.name.lower(), p.name))
    if not found:
        raise FileNotFoundError(f"no recognition model in {models}; reinstall rapidocr")
    return found[0]


def _engine(threads: int) -> Any:
    engine = getattr(_local, "engine", None)
    if engine is None or _local.threads != threads:
        from rapidocr import RapidOCR

        params: dict[str, Any] = {
            "Global.use_det": False,
            "Global.use_cls": False,
            "Global.use_rec": True,
            "Global.log_level": "error",
            "Rec.model_path": str(rec_model_path()),
            "Rec.rec_img_shape": list(REC_SHAPE),
            "Rec.rec_batch_num": 8,
        }
        if threads > 0:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        engine = RapidOCR(params=params)
        _local.engine = engine
        _local.threads = threads
    return engine


def recognise(crops: list[np.ndarray], threads: int = 0) -> list[TextRead]:
    """Read the text on each crop (BGR, one text line each), in one batch."""
    if not crops:
        return []
    engine = _engine(threads)
    # Set every option on each call: an earlier caller may have changed them.
    engine.update_params(
        use_det=False, use_cls=False, use_rec=True, return_word_box=True, text_score=0.0
    )
    out = engine.recognize_txt(crops)
    reads = []
    for i, text in enumerate(out.txts or ()):
        score = float(out.scores[i]) if out.scores is not None else 0.0
        confs: tuple[float, ...] = ()
        words = out.word_results[i] if out.word_results else None
        if words is not None and getattr(words, "confs", None) is not None:
            confs = tuple(float(c) for c in words.confs)
        if len(confs) != len(text):
            confs = (score,) * len(text)
        reads.append(TextRead(str(text), score, confs))
    return reads
