"""The JSON Lines box format: what was (or must be) hidden in each frame.

One JSON object per line and per frame::

    {"frame": 12, "time_s": 0.4, "boxes": [
        {"kind": "face", "box": [x1, y1, x2, y2], "score": 0.93}]}

Frames the engine wants a person to check carry a ``review`` list as well
(absent when there is nothing to check, so older readers and files are
unaffected)::

    {"frame": 40, "time_s": 1.333, "boxes": [...], "review": ["held", "low_score"]}

``review`` reasons, sorted by name:

* ``track_start``: a box reaches back before its face's first detection; a
  face may have been there, unseen, before the box begins.
* ``track_end``: a box is carried on after its face's last detection; the
  face may still be there after the box ends, or have left sooner.
* ``held``: a box bridges a detection frame on which the detector did not
  find its face (the mask stays on; nothing confirmed it).
* ``low_score``: a box rests on a detection scored under the tracker's
  ``low_score`` (masked like any other, but it may be a near miss).

``review`` is only read back for what it says; masks never depend on it.
``frame`` counts decoded frames from 0; ``time_s`` is the frame's
presentation time; boxes are in source pixels, ``x2 > x1`` and ``y2 > y1``.
``--boxes-out`` writes every frame, ``--boxes-in`` reads any subset of frames
(for example boxes an operator drew by hand, kind ``manual``). Face and plate
boxes are detector boxes and are enlarged by the mask scale when rendered;
manual boxes are rendered exactly as given. The engine writes one box per
object and frame: boxes of one kind that overlap are merged into one whose
rendered mask covers all of theirs (``scape.vision.redact.merge_overlapping``).
"""

from __future__ import annotations

import json
import math
import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scape.vision.geometry import greedy_pairs, iou

Kind = Literal["face", "plate", "manual"]
ReviewReason = Literal["track_start", "track_end", "held", "low_score"]


class Region(NamedTuple):
    """One box of one frame, as the frame loop handles it."""

    kind: str
    x1: float
    y1: float
    x2: float
    y2: float
    score: float


class BoxFileError(ValueError):
    """A box file is malformed; the message names the line and the problem."""


class BoxModel(BaseModel):
    """One box in a box file."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind = Field(description="What the box hides.")
    box: tuple[float, float, float, float] = Field(description="x1, y1, x2, y2 in source pixels.")
    score: float = Field(
        default=1.0, ge=0.0, le=1.0, description="Detector confidence; 1 for manual."
    )

    @field_validator("box")
    @classmethod
    def _ordered(cls, v: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        if not all(math.isfinite(c) for c in v):
            raise ValueError("coordinates must be finite numbers")
        if v[2] <= v[0] or v[3] <= v[1]:
            raise ValueError("box must be [x1, y1, x2, y2] with x2 > x1 and y2 > y1")
        return v


class FrameModel(BaseModel):
    """One line of a box file."""

    model_config = ConfigDict(extra="forbid")

    frame: int = Field(ge=0, description="Decoded frame number, from 0.")
    time_s: float | None = Field(
        default=None, ge=0.0, description="Presentation time of the frame."
    )
    boxes: list[BoxModel] = Field(default_factory=list)
    review: list[ReviewReason] = Field(
        default_factory=list,
        description="Why a person should check this frame (see the module docstring).",
    )


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        parts.append(f"{where}: {err['msg']}" if where else err["msg"])
    return "; ".join(parts)


def read_boxes(path: str | os.PathLike[str]) -> dict[int, list[Region]]:
    """Read a box file into {frame: regions}, raising :class:`BoxFileError` on bad input."""
    out: dict[int, list[Region]] = {}
    seen: dict[int, int] = {}
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 - closed below, errors mapped
    except OSError as exc:
        raise BoxFileError(f"{os.fspath(path)}: cannot open box file: {exc.strerror}") from exc
    with fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            where = f"{os.fspath(path)}:{lineno}"
            try:
                item = FrameModel.model_validate_json(line)
            except ValidationError as exc:
                raise BoxFileError(f"{where}: {_describe(exc)}") from exc
            if item.frame in seen:
                raise BoxFileError(
                    f"{where}: frame {item.frame} already given on line {seen[item.frame]}"
                )
            seen[item.frame] = lineno
            if item.boxes:
                out[item.frame] = [Region(b.kind, *b.box, b.score) for b in item.boxes]
    return out


# Boxes of one kind in nearby frames overlapping this much are one object ...
LINK_IOU = 0.3
# ... across up to this many frames without a box.
LINK_GAP = 2


def link_tracks(frames: Sequence[Mapping[str, Any]]) -> dict[tuple[int, int], int]:
    """Return {(frame, box index): track id} for the lines of a box file, in frame order.

    Boxes of one kind that overlap (IoU >= ``LINK_IOU``) across at most
    ``LINK_GAP`` frames without a box are one object, matched best overlap
    first. The box file stores no tracks, so a reviewer's edit of "this face"
    is rebuilt from the boxes the same way every time.
    """
    tracks: dict[tuple[int, int], int] = {}
    # Open tracks: id -> (kind, last frame, last box).
    open_: dict[int, tuple[str, int, Sequence[float]]] = {}
    next_id = 0
    for line in frames:
        n = line["frame"]
        boxes = line.get("boxes", [])
        candidates = []
        for i, b in enumerate(boxes):
            for tid, (kind, last, box) in open_.items():
                if kind == b["kind"] and n - last <= LINK_GAP + 1:
                    score = iou(box, b["box"])
                    if score >= LINK_IOU:
                        candidates.append((-score, i, tid))
        used_boxes: set[int] = set()
        for i, tid in greedy_pairs(candidates):
            used_boxes.add(i)
            tracks[(n, i)] = tid
        for i, b in enumerate(boxes):
            if i not in used_boxes:
                tracks[(n, i)] = next_id
                next_id += 1
            open_[tracks[(n, i)]] = (b["kind"], n, b["box"])
    return tracks


class BoxWriter:
    """Write a box file under a temporary name and move it into place when complete."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(6)}.part")
        self._fh: IO[str] = open(self.tmp, "x", encoding="utf-8")  # noqa: SIM115

    def __enter__(self) -> BoxWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.finish()
        else:
            self.discard()

    def write(
        self,
        frame: int,
        time_s: float | None,
        regions: Iterable[Region],
        review: Iterable[str] = (),
    ) -> None:
        """Write the line of one frame, with its review reasons when there are any."""
        line: dict[str, object] = {
            "frame": frame,
            "time_s": None if time_s is None else round(time_s, 6),
            "boxes": [
                {
                    "kind": r.kind,
                    "box": [round(r.x1, 1), round(r.y1, 1), round(r.x2, 1), round(r.y2, 1)],
                    "score": round(r.score, 4),
                }
                for r in regions
            ],
        }
        reasons = sorted(set(review))
        if reasons:
            line["review"] = reasons
        self._fh.write(json.dumps(line, separators=(",", ":")) + "\n")

    def finish(self) -> None:
        """Close the file and give it its final name."""
        if self._fh.closed:
            return
        self._fh.close()
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        """Close and delete the partial file."""
        self._fh.close()
        self.tmp.unlink(missing_ok=True)
