"""Run rapidocr's text recogniser (and only it) on rectified plate crops.

rapidocr's own pipeline (detector, classifier) is not run here: the crops are
already the text lines, proposed by ``textdet.py`` from the detection model in
the same wheel. rapidocr keeps per-call options on the engine object, so every call passes all
of them explicitly, and each thread gets its own engine because one engine is
not safe to share between threads.
"""

from __future__ import annotations

import math
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
    """What the recogniser read on one crop, with a confidence per character.

    ``margins`` says, per character, how much surer the recogniser was of it
    than of its look-alike (O for 0, S for 5, ...): its probability less the
    look-alike's, where both were scored; 1.0 for a character without one. A
    read of ``K0-6640`` at 0.89 with 0.10 on ``O`` has a margin of 0.79: the
    recogniser hesitated between the two, which its best score alone hides.

    ``columns`` says where each character was read: the centre of its time
    steps, as a share of the crop's width (0 left edge, 1 right edge).
    """

    text: str
    confidence: float
    char_confidences: tuple[float, ...]
    margins: tuple[float, ...] | None = None
    columns: tuple[float, ...] | None = None


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
        rec: Any = engine._load_rec_model()
        # Keep the recogniser's raw output (its probabilities per time step and
        # class) beside what rapidocr decodes from it, for the margins.
        rec.session = _Recording(rec.session)
        _local.engine = engine
        _local.threads = threads
    return engine


class _Recording:
    """Wrap the recogniser's ONNX session and keep the output of its last runs."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.outputs: list[np.ndarray] = []

    def __call__(self, batch: np.ndarray) -> Any:
        out = self.session(batch)
        self.outputs.append(np.asarray(out))
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)


def _look_alike(ch: str) -> str | None:
    from scape.vision.plates.grammar import TO_DIGIT, TO_LETTER

    return TO_LETTER.get(ch) if ch.isdigit() else TO_DIGIT.get(ch.upper())


def _margins(probs: np.ndarray, characters: list[str], text: str) -> tuple[float, ...] | None:
    """Return each character's margin over its look-alike, from one crop's CTC output.

    None when the greedy decoding here does not give ``text`` back.
    """
    decoded = _decode(probs, characters, text)
    return decoded[0] if decoded is not None else None


def _decode(
    probs: np.ndarray, characters: list[str], text: str, index: dict[str, int] | None = None
) -> tuple[tuple[float, ...], tuple[float, ...]] | None:
    """Return each character's margin and the centre of its time steps (in steps).

    ``index`` maps each character to its class (built from ``characters`` when
    not given). None when the greedy decoding here does not give ``text`` back.
    """
    best = probs.argmax(axis=-1)
    if index is None:
        index = {c: i for i, c in enumerate(characters)}
    decoded, margins, first, last = [], [], [], []
    prev = 0
    for t, k in enumerate(best):
        if k != 0 and k != prev and k < len(characters):
            ch = characters[k]
            alt = _look_alike(ch)
            alt_p = float(probs[t, index[alt]]) if alt in index else 0.0
            decoded.append(ch)
            margins.append(float(probs[t, k]) - alt_p if alt is not None else 1.0)
            first.append(t)
            last.append(t)
        elif k != 0 and k == prev and last:
            last[-1] = t
        prev = k
    if "".join(decoded) != text:
        return None
    centres = tuple((a + b) / 2 + 0.5 for a, b in zip(first, last, strict=True))
    return tuple(margins), centres


def _dictionary(rec: Any) -> tuple[list[str], dict[str, int]]:
    """Return the recogniser's characters and each one's class, built once per engine.

    The dictionary has thousands of characters: building its index for every
    crop cost more than decoding the crop.
    """
    cached = getattr(rec, "_scape_dictionary", None)
    if cached is None:
        characters = list(rec.postprocess_op.character)
        cached = (characters, {c: i for i, c in enumerate(characters)})
        rec._scape_dictionary = cached
    return cached


def recognise(crops: list[np.ndarray], threads: int = 0) -> list[TextRead]:
    """Read the text on each crop (BGR, one text line each), in batches."""
    if not crops:
        return []
    engine = _engine(threads)
    # Set every option on each call: an earlier caller may have changed them.
    engine.update_params(
        use_det=False, use_cls=False, use_rec=True, return_word_box=True, text_score=0.0
    )
    rec = engine.text_rec
    batch = int(rec.rec_batch_num)
    reads: list[TextRead] = []
    for start in range(0, len(crops), batch):
        chunk = crops[start : start + batch]
        rec.session.outputs = []
        out = engine.recognize_txt(chunk)
        # rapidocr runs one batch, its crops sorted by aspect ratio as here.
        ratios = [c.shape[1] / float(c.shape[0]) for c in chunk]
        order = np.argsort(np.array(ratios))
        # rapidocr pads the batch to its widest crop (at least the model's width).
        padded_w = int(REC_SHAPE[1] * max([REC_SHAPE[2] / REC_SHAPE[1], *ratios]))
        probs = rec.session.outputs[0] if len(rec.session.outputs) == 1 else None
        row_of = {int(crop): row for row, crop in enumerate(order)}
        characters, index = _dictionary(rec)
        for i, text in enumerate(out.txts or ()):
            text = str(text)
            score = float(out.scores[i]) if out.scores is not None else 0.0
            confs: tuple[float, ...] = ()
            words = out.word_results[i] if out.word_results else None
            if words is not None and getattr(words, "confs", None) is not None:
                confs = tuple(float(c) for c in words.confs)
            if len(confs) != len(text):
                confs = (score,) * len(text)
            margins = columns = None
            if probs is not None and probs.ndim == 3 and row_of[i] < probs.shape[0]:
                decoded = _decode(probs[row_of[i]], characters, text, index)
                if decoded is not None:
                    margins = decoded[0]
                    # A time step covers padded_w / steps columns of the resized
                    # crop, which is as wide as the crop's ratio allows.
                    step = padded_w / probs.shape[1]
                    resized_w = min(padded_w, math.ceil(REC_SHAPE[1] * ratios[i]))
                    columns = tuple(min(1.0, c * step / resized_w) for c in decoded[1])
            reads.append(TextRead(text, score, confs, margins, columns))
    return reads
