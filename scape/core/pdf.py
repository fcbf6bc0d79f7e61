"""PDF building blocks: a font that has every Lithuanian and Latvian letter, QR codes."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

FONTS = Path(__file__).resolve().parent / "fonts"


@cache
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans with ReportLab; return (regular, bold) font names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"


def qr_matrix(url: str) -> list[list[bool]]:
    """Return the dark modules of the QR code of `url`, row by row."""
    import segno

    code = segno.make(url, error="m", micro=False)
    return [[bool(module) for module in row] for row in code.matrix]


def draw_qr(pdf: Any, url: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of `url` as vector squares, `size` wide, lower-left corner at (x, y)."""
    matrix = qr_matrix(url)
    module = size / len(matrix)
    pdf.setFillGray(0)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + c * module, y + size - (r + 1) * module, module, module, 0, 1)
