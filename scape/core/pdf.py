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
    """Draw the QR code of `url` `size` wide, lower-left corner at (x, y), quiet zone included.

    The dark modules are one filled path, not one square each: a renderer that
    anti-aliases every square apart leaves faint seams between neighbours, and
    a phone's decoder then misses about one code in seventy.  The four-module
    white margin the standard asks for is inside `size`, painted white so a
    frame or text drawn close by cannot eat into it.
    """
    matrix = qr_matrix(url)
    quiet = 4
    module = size / (len(matrix) + 2 * quiet)
    pdf.saveState()
    pdf.setFillGray(1)
    pdf.rect(x, y, size, size, 0, 1)
    pdf.setFillGray(0)
    path = pdf.beginPath()
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            path.rect(
                x + (quiet + start) * module,
                y + size - (quiet + r + 1) * module,
                (c - start) * module,
                module,
            )
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.restoreState()


def wrap_words(text: str, font: str, size: float, width: float) -> list[str]:
    """Break text into lines at spaces so that each fits ``width`` points.

    A word wider than the whole line is broken at the width (a long address
    or link), never a word that would fit on a line of its own.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current = ""
    for word in text.split():
        while stringWidth(word, font, size) > width and len(word) > 1:
            cut = len(word)
            while cut > 1 and stringWidth(word[:cut], font, size) > width:
                cut -= 1
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}".strip()
        if current and stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines
