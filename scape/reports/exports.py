"""The indicators of a period as XLSX, CSV and a PDF report with bar charts, in lt, lv or en."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from scape.core.downloads import Prepared, Refused
from scape.core.pdf import register_fonts
from scape.core.spreadsheets import spreadsheet_text
from scape.core.translated import in_language
from scape.reports.charts import local_number, number
from scape.reports.choices import IndicatorGroup, IndicatorUnit
from scape.reports.indicators import DIMENSIONS
from scape.reports.periods import Period
from scape.reports.queries import Result, evaluate_all

if TYPE_CHECKING:
    from scape.directory.models import Organization

LANGUAGES = ("lt", "lv", "en")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


@dataclass
class Report:
    """What every export holds, already in the export's language."""

    title: str
    period: str
    partner: str
    generated: str
    headers: list[str]
    results: list[Result]
    language: str
    no_data: str

    def group(self, result: Result) -> str:
        return str(IndicatorGroup(result.indicator.group).label)

    def unit(self, result: Result) -> str:
        return str(IndicatorUnit(result.indicator.unit).label)

    def cells(self, result: Result) -> list[Any]:
        """Return one indicator's row: group, code, name, unit, value, target, % of target."""
        value: Any = result.value if result.has_data else self.no_data
        percent = result.achieved_percent
        return [
            self.group(result),
            result.indicator.code,
            result.indicator.name_in(self.language),
            self.unit(result),
            value,
            result.target if result.target is not None else "",
            percent if percent is not None else "",
        ]


def build(period: Period, organization: Organization | None, language: str) -> Report:
    """Compute the indicators and name everything in `language`."""
    with translation.override(language):
        results = evaluate_all(period, organization)
        return Report(
            title=_("SCAPE programme indicators"),
            period=_("Period: %(period)s") % {"period": period.label},
            partner=_("Partner: %(partner)s")
            % {
                "partner": in_language(organization, "name", language)
                if organization
                else _("all partners")
            },
            generated=_("Generated %(time)s UTC")
            % {"time": timezone.now().strftime("%Y-%m-%d %H:%M")},
            headers=[
                _("Group"),
                _("Code"),
                _("Indicator"),
                pgettext("unit of measure", "Unit"),
                _("Value"),
                _("Target"),
                _("% of target"),
            ],
            results=results,
            language=language,
            no_data=_("no data"),
        )


def make(fmt: str, period: Period, organization: Organization | None, language: str) -> Prepared:
    """Return the report in `fmt` (xlsx, csv or pdf) as a named file (ValueError: no such format)."""
    writers = {"xlsx": to_xlsx, "csv": to_csv, "pdf": to_pdf}
    if fmt not in writers:
        raise ValueError(fmt)
    report = build(period, organization, language)
    with translation.override(language):
        content = writers[fmt](report)
    partner = f"-{organization.code}" if organization else ""
    name = f"scape-indicators-{period.slug}{partner}-{language}.{fmt}"
    return Prepared(name, CONTENT_TYPES[fmt], content)


def prepare(user: Any, params: dict[str, Any], report: Any) -> Prepared:
    """Make the export asked for on the reports page (a worker; scape.core.downloads)."""
    from scape.core.access import actor_of
    from scape.reports.forms import ReportFilterForm

    actor_of(user).require(message=_("Reports are for members of partner organizations."))
    form = ReportFilterForm(params)
    if not form.is_valid():
        raise Refused(" ".join(str(e) for errors in form.errors.values() for e in errors))
    language = str(params.get("lang") or "en")
    report(0.1)
    return make(str(params.get("fmt")), form.the_period, form.the_organization, language)


def response(
    fmt: str, period: Period, organization: Organization | None, language: str
) -> HttpResponse:
    """Return the download of the report in `fmt` (xlsx, csv or pdf)."""
    try:
        made = make(fmt, period, organization, language)
    except ValueError as exc:
        raise Http404(fmt) from exc
    answer = HttpResponse(made.content, content_type=made.content_type)
    answer["Content-Disposition"] = f'attachment; filename="{made.name}"'
    return answer


def _plain(value: Any) -> Any:
    """Return numbers as numbers for a spreadsheet, and text made safe from formulas."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return spreadsheet_text(value)


def to_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([spreadsheet_text(report.title), spreadsheet_text(report.period)])
    writer.writerow([spreadsheet_text(report.partner)])
    writer.writerow([spreadsheet_text(h) for h in report.headers])
    for result in report.results:
        cells = report.cells(result)
        writer.writerow(
            [number(c) if isinstance(c, Decimal | int) else spreadsheet_text(c) for c in cells]
        )
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Indicators")[:31]
    sheet.append([spreadsheet_text(report.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([spreadsheet_text(report.period)])
    sheet.append([spreadsheet_text(report.partner)])
    sheet.append([spreadsheet_text(report.generated)])
    sheet.append([])
    sheet.append([spreadsheet_text(h) for h in report.headers])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for result in report.results:
        sheet.append([_plain(c) for c in report.cells(result)])
    for column, width in zip("ABCDEFG", (22, 24, 60, 12, 12, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    split = book.create_sheet(_("Breakdown")[:31])
    split.append(
        [
            spreadsheet_text(h)
            for h in (_("Code"), _("Indicator"), _("Split"), _("Label"), _("Value"))
        ]
    )
    for result in report.results:
        for key, pairs in result.figure.breakdown.items():
            for label, value in pairs:
                split.append(
                    [
                        spreadsheet_text(result.indicator.code),
                        spreadsheet_text(result.indicator.name_in(report.language)),
                        spreadsheet_text(DIMENSIONS.get(key, key)),
                        spreadsheet_text(label),
                        _plain(value),
                    ]
                )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(report: Report) -> bytes:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = register_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11)
    cell = ParagraphStyle("cell", fontName=regular, fontSize=8, leading=10)
    heading = ParagraphStyle("h2", fontName=bold, fontSize=12, leading=15, spaceBefore=8)
    title = ParagraphStyle("h1", fontName=bold, fontSize=16, leading=20)

    def chart(result: Result) -> Drawing | None:
        pairs = result.figure.breakdown.get("organization") or next(
            iter(result.figure.breakdown.values()), []
        )
        pairs = [(label, value) for label, value in pairs if value is not None]
        if not result.has_data or not any(value for _, value in pairs):
            return None
        height = 24 + 16 * len(pairs)
        drawing = Drawing(170 * mm, height)
        bars = HorizontalBarChart()
        bars.x, bars.y = 40 * mm, 4
        bars.width, bars.height = 110 * mm, height - 22
        bars.data = [[float(v or 0) for _, v in reversed(pairs)]]
        bars.categoryAxis.categoryNames = [str(label)[:24] for label, _ in reversed(pairs)]
        bars.categoryAxis.labels.fontName = regular
        bars.categoryAxis.labels.fontSize = 7
        bars.valueAxis.labels.fontName = regular
        bars.valueAxis.labels.fontSize = 7
        bars.valueAxis.valueMin = 0
        bars.bars[0].fillColor = colors.HexColor("#1f5f8b")
        bars.bars[0].strokeColor = None
        bars.barLabelFormat = lambda v: local_number(Decimal(str(v)))
        bars.barLabels.fontName = regular
        bars.barLabels.fontSize = 7
        bars.barLabels.boxAnchor = "w"
        bars.barLabels.dx = 3
        drawing.add(bars)
        drawing.add(
            String(
                0,
                height - 10,
                result.indicator.name_in(report.language)[:90],
                fontName=bold,
                fontSize=8,
            )
        )
        return drawing

    story: list[Any] = [
        Paragraph(report.title, title),
        Paragraph(f"{report.period} · {report.partner}", body),
        Paragraph(report.generated, body),
    ]
    for value, label in IndicatorGroup.choices:
        found = [r for r in report.results if r.indicator.group == value]
        if not found:
            continue
        story.append(Paragraph(str(label), heading))
        rows: list[list[Any]] = [[Paragraph(h, cell) for h in report.headers[2:]]]
        for result in found:
            cells = report.cells(result)[2:]
            rows.append(
                [
                    Paragraph(local_number(c) if isinstance(c, Decimal | int) else str(c), cell)
                    for c in cells
                ]
            )
        table = Table(rows, colWidths=[85 * mm, 20 * mm, 25 * mm, 20 * mm, 20 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
        for result in found:
            drawing = chart(result)
            if drawing is not None:
                story.extend([Spacer(1, 5 * mm), drawing])
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=report.title,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    doc.build(story)
    return out.getvalue()
