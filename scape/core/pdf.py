"""PDF building blocks: a font that has every Lithuanian and Latvian letter."""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONTS = Path(__file__).resolve().parent / "fonts"


@cache
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans with ReportLab; return (regular, bold) font names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"
