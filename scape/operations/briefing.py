"""The patrol briefing sheet: one A4 page per language the team reads."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from scape.core.pdf import register_fonts, wrap_words
from scape.operations.models import Patrol

MARGIN = 18 * mm
LINE = 5.2 * mm


def member_languages(patrol: Patrol) -> list[str]:
    """Return the languages of the team, in order of first appearance.

    A member's language is their interface language, else the first language
    they speak that SCAPE is translated into, else the site default.
    """
    known = [code for code, _name in settings.LANGUAGES]
    found: list[str] = []
    for member in patrol.members.select_related("person"):
        person = member.person
        spoken = [lang for lang in (person.languages or []) if lang in known]
        language = person.ui_language or (spoken[0] if spoken else settings.LANGUAGE_CODE)
        if language not in found:
            found.append(language)
    return found or [settings.LANGUAGE_CODE]


class _Page:
    def __init__(self, pdf: canvas.Canvas, fonts: tuple[str, str]) -> None:
        self.pdf = pdf
        self.regular, self.bold = fonts
        self.width, self.height = A4
        self.y = self.height - MARGIN

    def line(self, text: str, *, size: float = 10, bold: bool = False, indent: float = 0) -> None:
        font = self.bold if bold else self.regular
        width = self.width - 2 * MARGIN - indent
        # Wrapped at word ends by the letters' real widths, and a new page
        # whenever the next line would not fit: a long paragraph flows on.
        for part in wrap_words(text, font, size, width) or [""]:
            if self.y < MARGIN:
                self.pdf.showPage()
                self.y = self.height - MARGIN
            self.pdf.setFont(font, size)
            self.pdf.drawString(MARGIN + indent, self.y, part)
            self.y -= LINE * size / 10

    def gap(self) -> None:
        self.y -= LINE / 2


def _draw(page: _Page, patrol: Patrol, language: str) -> None:
    zone = patrol.organization.display_time_zone
    start = timezone.localtime(patrol.starts_at, timezone=_zone(zone))
    end = timezone.localtime(patrol.ends_at, timezone=_zone(zone))
    language_name = dict(settings.LANGUAGES).get(language, language)
    page.line(_("Patrol briefing") + f" · {language_name}", size=16, bold=True)
    page.line(patrol.title, size=13, bold=True)
    page.gap()
    page.line(_("Organization: %(name)s") % {"name": patrol.organization.name})
    page.line(
        _("Time: %(start)s - %(end)s (%(zone)s)")
        % {"start": f"{start:%Y-%m-%d %H:%M}", "end": f"{end:%Y-%m-%d %H:%M}", "zone": zone}
    )
    if patrol.talk_group:
        page.line(_("Radio talk group: %(group)s") % {"group": patrol.talk_group})
    if patrol.route:
        page.line(_("Route: %(route)s") % {"route": patrol.route})
    if patrol.area:
        count = len(patrol.area.get("features", []))
        page.line(_("Area: drawn on the map (%(count)s shapes)") % {"count": count})
    page.gap()
    page.line(_("Team"), size=12, bold=True)
    for member in patrol.members.select_related("person__user", "person__organization"):
        person = member.person
        details = [
            member.get_role_display(),
            member.get_transport_display(),
            person.organization.name,
        ]
        if person.radio_call_sign:
            details.append(_("call sign %(sign)s") % {"sign": person.radio_call_sign})
        if person.phone:
            details.append(person.phone)
        page.line(f"• {person.full_name} — " + ", ".join(str(d) for d in details), indent=2 * mm)
    equipment = list(patrol.equipment.all())
    if equipment:
        page.gap()
        page.line(_("Equipment"), size=12, bold=True)
        for asset in equipment:
            page.line(f"• {asset} ({asset.get_kind_display()})", indent=2 * mm)
    if patrol.briefing:
        page.gap()
        page.line(_("Briefing notes"), size=12, bold=True)
        for paragraph in patrol.briefing.splitlines():
            page.line(paragraph)


def _zone(name: str) -> Any:
    import zoneinfo

    return zoneinfo.ZoneInfo(name)


def briefing_pdf(patrol: Patrol, languages: Iterable[str]) -> bytes:
    """Return the briefing sheet with one page (or more) per language."""
    fonts = register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(patrol.title)
    for language in languages:
        with translation.override(language):
            page = _Page(pdf, fonts)
            _draw(page, patrol, language)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
