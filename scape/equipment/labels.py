"""QR label sheets: an A4 page of labels, each with the asset's tag and a QR code.

Scanning a label opens the asset's page, where it is checked out or in.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from scape.core.pdf import register_fonts

COLUMNS = 3
ROWS = 7
MARGIN = 10 * mm
QR_SIZE = 26 * mm


def qr_matrix(url: str) -> list[list[bool]]:
    """Return the dark modules of the QR code of `url`, row by row."""
    code = segno.make(url, error="m", micro=False)
    return [[bool(module) for module in row] for row in code.matrix]


def _draw_qr(pdf: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    matrix = qr_matrix(url)
    module = size / len(matrix)
    pdf.setFillGray(0)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + c * module, y + size - (r + 1) * module, module, module, 0, 1)


def label_sheet(labels: Iterable[tuple[str, str, str]], title: str) -> bytes:
    """Return a PDF of labels; each label is (tag, caption, url)."""
    regular, bold = register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(title)
    width, height = A4
    cell_w = (width - 2 * MARGIN) / COLUMNS
    cell_h = (height - 2 * MARGIN) / ROWS
    for index, (tag, caption, url) in enumerate(labels):
        if index and index % (COLUMNS * ROWS) == 0:
            pdf.showPage()
        slot = index % (COLUMNS * ROWS)
        col, row = slot % COLUMNS, slot // COLUMNS
        x = MARGIN + col * cell_w
        y = height - MARGIN - (row + 1) * cell_h
        pdf.setStrokeGray(0.8)
        pdf.rect(x, y, cell_w, cell_h, 1, 0)
        qr_y = y + (cell_h - QR_SIZE) / 2
        _draw_qr(pdf, url, x + 3 * mm, qr_y, QR_SIZE)
        pdf.linkURL(url, (x + 3 * mm, qr_y, x + 3 * mm + QR_SIZE, qr_y + QR_SIZE), relative=0)
        text_x = x + QR_SIZE + 6 * mm
        pdf.setFont(bold, 12)
        pdf.drawString(text_x, y + cell_h / 2 + 2 * mm, tag[:18])
        pdf.setFont(regular, 7)
        pdf.drawString(text_x, y + cell_h / 2 - 3 * mm, caption[:28])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
