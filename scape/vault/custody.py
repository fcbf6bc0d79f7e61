"""An item's chain of custody as CSV and PDF, for the page and for court exports."""

from __future__ import annotations

import csv
import io
import zoneinfo
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from scape.core.audit_labels import action_label
from scape.core.pdf import register_fonts
from scape.core.spreadsheets import spreadsheet_text
from scape.vault.models import EvidenceItem
from scape.vault.queries import custody_history

if TYPE_CHECKING:
    from scape.vault.disclosure import Disclosed

# A partner shown redacted copies only reads the chain without the reasons,
# recipients and addresses of the owner's consultations (they can name people).
LIMITED_COLUMNS = ["time", "actor_username", "actor_org", "action", "outcome", "hash"]
COLUMNS = [
    "time",
    "actor_username",
    "actor_org",
    "action",
    "outcome",
    "reason",
    "recipient",
    "ip",
    "hash",
]


def custody_csv(item: EvidenceItem, redacted: Disclosed | None = None) -> bytes:
    """Return the item's custody history as CSV (UTF-8).

    With ``redacted`` (the copy a redacted-only recipient gets) the columns
    that can name people are left out.
    """
    columns = LIMITED_COLUMNS if redacted is not None else COLUMNS
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for event in custody_history(item):
        row = [getattr(event, c) for c in columns]
        row[0] = event.time.isoformat()
        writer.writerow([spreadsheet_text(v) for v in row])
    return out.getvalue().encode("utf-8")


def custody_pdf(item: EvidenceItem, redacted: Disclosed | None = None) -> bytes:
    """Return the item's custody history as a PDF document.

    With ``redacted`` the document names the redacted copy instead of the
    original and leaves out reasons and recipients.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = register_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=8, leading=10)
    title = ParagraphStyle("title", fontName=bold, fontSize=14, leading=18)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=_("Custody history"),
    )
    facts = [
        (_("Evidence number"), str(item.pk)),
        (_("File name"), redacted.name if redacted else item.original_name),
        (_("SHA-256"), redacted.sha256 if redacted else item.sha256),
        (_("Size"), f"{redacted.size if redacted else item.size} B"),
        (_("Organization"), item.organization.name),
        (
            _("Printed"),
            timezone.now()
            .astimezone(zoneinfo.ZoneInfo(item.organization.display_time_zone))
            .strftime("%Y-%m-%d %H:%M:%S %Z"),
        ),
    ]
    story: list[Any] = [Paragraph(_("Custody history"), title), Spacer(1, 4 * mm)]
    story.append(Table([[Paragraph(k, body), Paragraph(v, body)] for k, v in facts]))
    story.append(Spacer(1, 4 * mm))
    zone = zoneinfo.ZoneInfo(item.organization.display_time_zone)
    # Printed in the owning organization's time, and saying so (a custody
    # sheet beside the page must show the same hour).
    header = [
        _("Time (%(zone)s)") % {"zone": zone.key},
        _("Actor"),
        _("Action"),
        _("Outcome"),
        _("Reason"),
        _("Recipient"),
    ]
    if redacted is not None:
        header = header[:4]
    rows = [[Paragraph(h, body) for h in header]]
    for e in custody_history(item):
        actor = f"{e.actor_username} ({e.actor_org})" if e.actor_org else e.actor_username
        cells = [
            e.time.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z"),
            actor,
            f"{action_label(e.action)} ({e.action})",
            e.get_outcome_display(),
            e.reason,
            e.recipient,
        ]
        if redacted is not None:
            cells = cells[:4]
        rows.append([Paragraph(_escape(c), body) for c in cells])
    widths = [32 * mm, 45 * mm, 45 * mm, 20 * mm, 80 * mm, 50 * mm]
    table = Table(rows, repeatRows=1, colWidths=widths[: len(header)])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return buffer.getvalue()


def _escape(text: Any) -> str:
    # Paragraph reads a small markup language: a name like "<b>" must stay text.
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
