"""Bar charts drawn on the server as SVG: no JavaScript, no inline styles (CSP)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from scape.reports.queries import Result

BAR = "#1f5f8b"
TARGET = "#b3261e"
TRACK = "#e8eef4"
TEXT = "#1d2733"


def number(value: Any) -> str:
    """Return a figure as people read it: no trailing zeros, no exponent."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, float):
        return number(Decimal(str(round(value, 2))))
    return str(value)


def local_number(value: Any) -> str:
    """Return a figure as ``number`` does, with the active language's decimal mark (5,76 in lt/lv)."""
    return number(value).replace(".", str(get_format("DECIMAL_SEPARATOR")))


def bar_chart(pairs: Sequence[tuple[str, Any]], *, title: str, width: int = 320) -> SafeString:
    """Return a horizontal bar chart of (label, value) pairs as an inline SVG element."""
    pairs = [(label, value) for label, value in pairs if value is not None]
    if not any(value for _, value in pairs):
        return mark_safe("")
    bar_h, gap, label_w, value_w = 16, 6, 110, 56
    height = len(pairs) * (bar_h + gap) + gap
    top = max(float(v) for _, v in pairs) or 1.0
    span = width - label_w - value_w
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" height="{height}" '
        f'preserveAspectRatio="xMinYMin meet" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(pairs):
        y = gap + index * (bar_h + gap)
        w = max(float(value) / top * span, 0)
        short = label if len(label) <= 16 else label[:15] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 4}" text-anchor="end" font-size="11" '
            f'fill="{TEXT}">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{span}" height="{bar_h}" fill="{TRACK}"/>'
            f'<rect class="bar" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" '
            f'fill="{BAR}"><title>{escape(label)}: {escape(local_number(value))}</title></rect>'
            f'<text x="{label_w + span + 4}" y="{y + bar_h - 4}" font-size="11" '
            f'fill="{TEXT}">{escape(local_number(value))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def progress(value: Any, target: Any, *, title: str, width: int = 320) -> SafeString:
    """Return a bar of the value against its target (the target line at 100 %)."""
    if value is None or not target:
        return mark_safe("")
    share = float(value) / float(target)
    scale = max(share, 1.0)
    inner = width - 2
    done = min(share / scale, 1.0) * inner
    mark = inner / scale
    return mark_safe(  # noqa: S308 - only numbers and an escaped title
        f'<svg class="chart progress" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} 14" width="100%" height="14" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<rect x="1" y="2" width="{inner}" height="10" fill="{TRACK}"/>'
        f'<rect x="1" y="2" width="{done:.1f}" height="10" fill="{BAR}"/>'
        f'<rect x="{mark:.1f}" y="0" width="2" height="14" fill="{TARGET}"/>'
        "</svg>"
    )


def summary(result: Result) -> dict[str, Any]:
    """Return a result with its value and target as read, and its progress bar."""
    return {
        "result": result,
        "value": local_number(result.value),
        "target": local_number(result.target),
        "progress": progress(result.value, result.target, title=result.indicator.name),
    }
