"""Bar charts drawn on the server as SVG: no script, nothing to load."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 720
HEIGHT = 200
LABEL_SPACE = 24
TOP_SPACE = 16


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    show_label: bool


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    baseline: float
    maximum: int


def bar_chart(values: list[tuple[str, int]]) -> Chart:
    """Return the geometry of a bar chart of labelled counts, scaled to the largest."""
    n = max(len(values), 1)
    peak = max((v for _label, v in values), default=0)
    plot = HEIGHT - LABEL_SPACE - TOP_SPACE
    slot = WIDTH / n
    # Every label when they fit, else every second or third.
    step = 1 if slot >= 28 else (2 if slot >= 14 else 3)
    bars = []
    for i, (label, value) in enumerate(values):
        h = plot * value / peak if peak else 0.0
        x = i * slot + slot * 0.15
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(TOP_SPACE + plot - h, 1),
                width=round(slot * 0.7, 1),
                height=round(h, 1),
                label_x=round(i * slot + slot / 2, 1),
                show_label=i % step == 0,
            )
        )
    return Chart(bars, WIDTH, HEIGHT, TOP_SPACE + plot, peak)
