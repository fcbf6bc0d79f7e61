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


def overlap_groups(boxes: Sequence[Box], *, min_iou: float, min_inside: float) -> list[list[int]]:
    """Return the indices of ``boxes`` in groups of boxes that overlap, each group in order.

    Two boxes overlap when their intersection over union reaches ``min_iou``
    or when at least ``min_inside`` of the smaller one lies inside the other;
    a group holds every box linked to another of it that way (so a chain of
    overlapping boxes is one group). Groups come in the order of their first box.
    """
    n = len(boxes)
    if n < 2:
        return [[i] for i in range(n)]
    b = np.asarray(boxes, dtype=np.float64).reshape(n, 4)
    x1, y1, x2, y2 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    area = np.maximum(x2 - x1, 0) * np.maximum(y2 - y1, 0)
    iw = np.clip(np.minimum(x2[:, None], x2) - np.maximum(x1[:, None], x1), 0, None)
    ih = np.clip(np.minimum(y2[:, None], y2) - np.maximum(y1[:, None], y1), 0, None)
    inter = iw * ih
    union = area[:, None] + area[None, :] - inter
    smaller = np.minimum(area[:, None], area[None, :])
    linked = (inter >= min_iou * np.maximum(union, 1e-9)) | (
        inter >= min_inside * np.maximum(smaller, 1e-9)
    )
    linked &= inter > 0
    # Connected components by repeated spreading from each unvisited box.
    group = np.full(n, -1)
    out: list[list[int]] = []
    for start in range(n):
        if group[start] >= 0:
            continue
        group[start] = len(out)
        members, frontier = [start], [start]
        while frontier:
            nxt = [int(j) for i in frontier for j in np.flatnonzero(linked[i]) if group[j] < 0]
            nxt = sorted(set(nxt))
            group[nxt] = len(out)
            members += nxt
            frontier = nxt
        out.append(sorted(members))
    return out
