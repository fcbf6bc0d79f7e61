"""QR label sheets: an A4 page of labels, each with the asset's tag and a QR code.

Scanning a label opens the asset's page, where it is checked out or in.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from scape.core.pdf import draw_qr, register_fonts

COLUMNS = 3
ROWS = 7
MARGIN = 10 * mm
QR_SIZE = 26 * mm


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
        draw_qr(pdf, url, x + 3 * mm, qr_y, QR_SIZE)
        pdf.linkURL(url, (x + 3 * mm, qr_y, x + 3 * mm + QR_SIZE, qr_y + QR_SIZE), relative=0)
        text_x = x + QR_SIZE + 6 * mm
        pdf.setFont(bold, 12)
        pdf.drawString(text_x, y + cell_h / 2 + 2 * mm, tag[:18])
        pdf.setFont(regular, 7)
        pdf.drawString(text_x, y + cell_h / 2 - 3 * mm, caption[:28])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
