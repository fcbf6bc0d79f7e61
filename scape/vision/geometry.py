"""Box arithmetic shared by the face tracker, the plate reader and the box files.

A box is ``(x1, y1, x2, y2)`` in pixels with ``x2 > x1`` and ``y2 > y1``: a
tuple, a list or a NumPy array of four numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

Box = Sequence[float] | np.ndarray[Any, Any]


def iou(a: Box, b: Box) -> float:
    """Return the intersection over union of two boxes (0 when they do not overlap)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def greedy_pairs(candidates: Iterable[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """Return (a, b) pairs taken cheapest first from (cost, a, b) candidates, each a and b once.

    Greedy on cost is enough for boxes of one kind: objects rarely cross
    within the few frames between two looks.
    """
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for _cost, a, b in sorted(candidates):
        if a in used_a or b in used_b:
            continue
        used_a.add(a)
        used_b.add(b)
        out.append((a, b))
    return out
