"""PDFs of activities: the printable sign-in sheet of a session and the certificate.

Both use DejaVu Sans (scape.core.pdf) so that every Lithuanian and Latvian
letter prints.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from scape.activities.models import Certificate, Session
from scape.core.pdf import draw_qr, register_fonts, wrap_words


def verify_url(code: str) -> str:
    """Return the absolute URL of the public verification page of a certificate."""
    return f"{settings.SCAPE_SITE_URL.rstrip('/')}/verify/{code}"


def sign_in_sheet(session: Session, people: Iterable[Any]) -> bytes:
    """Return a PDF sign-in sheet for a session: name, organization, signature lines."""
    regular, bold = register_fonts()
    activity = session.activity
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(_("Sign-in sheet"))
    width, height = A4
    margin = 15 * mm
    row_h = 10 * mm

    def header() -> float:
        y = height - margin
        pdf.setFont(bold, 14)
        pdf.drawString(margin, y, _("Sign-in sheet"))
        y -= 7 * mm
        pdf.setFont(bold, 11)
        pdf.drawString(margin, y, activity.title[:95])
        y -= 6 * mm
        pdf.setFont(regular, 9)
        # In the reader's time (the page's), saying which: 18:00 UTC is 20:00 here.
        zone = timezone.get_current_timezone()
        when = formats.date_format(timezone.localtime(session.starts_at, zone), "DATETIME_FORMAT")
        until = formats.time_format(timezone.localtime(session.ends_at, zone), "TIME_FORMAT")
        place = session.place or ", ".join(p for p in (activity.address, activity.city) if p)
        pdf.drawString(margin, y, f"{when} \u2013 {until} ({zone.key})  {place}"[:130])
        y -= 5 * mm
        organizers = ", ".join(o.name for o in activity.organizers())
        pdf.drawString(margin, y, (_("Organizers") + ": " + organizers)[:130])
        y -= 9 * mm
        pdf.setFont(bold, 9)
        pdf.drawString(margin, y, "#")
        pdf.drawString(margin + 8 * mm, y, _("Name"))
        pdf.drawString(margin + 70 * mm, y, _("Organization"))
        pdf.drawString(margin + 130 * mm, y, _("Signature"))
        pdf.setFont(regular, 9)
        return y - 3 * mm

    y = header()
    for number, person in enumerate(people, start=1):
        if y - row_h < margin:
            pdf.showPage()
            y = header()
        pdf.setStrokeGray(0.6)
        pdf.line(margin, y - row_h, width - margin, y - row_h)
        pdf.drawString(margin, y - row_h + 3 * mm, str(number))
        # Each cell kept inside its column (two lines, then smaller), never
        # cut mid-name nor run into the signature column.
        _cell(pdf, person.full_name, margin + 8 * mm, y, 60 * mm, row_h, regular)
        _cell(pdf, person.organization.name, margin + 70 * mm, y, 58 * mm, row_h, regular)
        y -= row_h
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _cell(
    pdf: Any, text: str, x: float, top: float, width: float, height: float, font: str
) -> None:
    """Draw text in a table cell below ``top``: one line, else two, at a size that fits."""
    for size in (9, 8, 7, 6):
        lines = wrap_words(text, font, size, width)
        if len(lines) <= 2 and all(pdfmetrics.stringWidth(s, font, size) <= width for s in lines):
            break
    pdf.setFont(font, size)
    if len(lines) == 1:
        pdf.drawString(x, top - height + 3 * mm, lines[0])
    else:
        pdf.drawString(x, top - height / 2 + 0.5 * mm, lines[0])
        pdf.drawString(x, top - height + 1.5 * mm, " ".join(lines[1:]))
    pdf.setFont(font, 9)


def certificate_pdf(certificate: Certificate) -> bytes:
    """Return the certificate as a landscape A4 PDF in the certificate's language."""
    regular, bold = register_fonts()
    activity = certificate.activity
    url = verify_url(certificate.code)
    buffer = io.BytesIO()
    with translation.override(certificate.language):
        pdf = canvas.Canvas(buffer, pagesize=landscape(A4), pageCompression=1)
        width, height = landscape(A4)
        pdf.setTitle(_("Certificate"))
        pdf.setStrokeGray(0.3)
        pdf.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm, 1, 0)
        centre = width / 2
        y = height - 40 * mm
        pdf.setFont(bold, 30)
        pdf.drawCentredString(centre, y, _("Certificate"))
        y -= 18 * mm
        pdf.setFont(regular, 13)
        pdf.drawCentredString(centre, y, _("This certifies that"))
        y -= 13 * mm
        pdf.setFont(bold, 22)
        pdf.drawCentredString(centre, y, certificate.person.full_name)
        y -= 12 * mm
        pdf.setFont(regular, 13)
        pdf.drawCentredString(centre, y, _("took part in and completed"))
        y -= 11 * mm
        pdf.setFont(bold, 16)
        pdf.drawCentredString(centre, y, activity.title_in(certificate.language)[:90])
        y -= 9 * mm
        pdf.setFont(regular, 11)
        start = formats.date_format(activity.starts_at.date(), "DATE_FORMAT")
        end = formats.date_format(activity.ends_at.date(), "DATE_FORMAT")
        dates = start if start == end else f"{start} \u2013 {end}"
        place = ", ".join(p for p in (activity.city, activity.get_country_display()) if p)
        pdf.drawCentredString(centre, y, f"{dates}, {place}" if place else dates)
        y -= 7 * mm
        pdf.drawCentredString(
            centre,
            y,
            _("Hours attended: %(hours)s") % {"hours": formats.number_format(certificate.hours, 1)},
        )
        competencies = [str(c) for c in activity.competencies.all()]
        if competencies:
            y -= 7 * mm
            pdf.drawCentredString(
                centre, y, (_("Competencies: %(list)s") % {"list": ", ".join(competencies)})[:120]
            )
        y -= 12 * mm
        pdf.setFont(regular, 10)
        organizers = ", ".join(o.name for o in activity.organizers())
        pdf.drawCentredString(
            centre, y, (_("Issued by: %(organizers)s") % {"organizers": organizers})[:150]
        )
        y -= 6 * mm
        issued = formats.date_format(certificate.issued_at.date(), "DATE_FORMAT")
        line = _("Issued on %(date)s") % {"date": issued}
        if certificate.expires_at:
            line += " · " + _("valid until %(date)s") % {
                "date": formats.date_format(certificate.expires_at, "DATE_FORMAT")
            }
        pdf.drawCentredString(centre, y, line)
        qr = 32 * mm
        draw_qr(pdf, url, width - 20 * mm - qr, 18 * mm, qr)
        pdf.linkURL(url, (width - 20 * mm - qr, 18 * mm, width - 20 * mm, 18 * mm + qr), relative=0)
        pdf.setFont(regular, 9)
        pdf.drawString(
            20 * mm, 26 * mm, _("Verification code: %(code)s") % {"code": certificate.code}
        )
        pdf.drawString(20 * mm, 20 * mm, _("Check this certificate at %(url)s") % {"url": url})
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()
