"""Exports opened back: the XLSX with openpyxl, the CSV parsed, the PDF rendered to images."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest

from scape.reports.models import Indicator

# Set SCAPE_REPORTS_PDF=/tmp/x.pdf to keep the rendered report and look at it.
SAVE_TO = Path(os.environ["SCAPE_REPORTS_PDF"]) if os.environ.get("SCAPE_REPORTS_PDF") else None
URL = "/reports/export.{fmt}?period=year&year=2025&lang={lang}"


def test_it_exports_xlsx_with_numbers_and_no_data(
    evidence: Any, lt_officer: Any, logged_in: Any
) -> None:
    from openpyxl import load_workbook

    answer = logged_in(lt_officer).get(URL.format(fmt="xlsx", lang="en"))
    assert answer.status_code == 200
    assert 'filename="scape-indicators-2025-en.xlsx"' in answer["Content-Disposition"]
    book = load_workbook(io.BytesIO(answer.content))
    sheet = book["Indicators"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=7, values_only=True)}
    assert rows["evidence-ingested"][4] == 3
    assert rows["institutions"][4] == 3 and rows["institutions"][5] == 4
    assert rows["institutions"][6] == 75
    assert rows["cases-shared"][4] == 1
    split = list(book["Breakdown"].iter_rows(min_row=2, values_only=True))
    assert (
        "cases-shared",
        "Cases shared with partners",
        "By organization",
        "lv-police",
        1,
    ) in split


def test_it_escapes_formula_looking_text_in_spreadsheets(
    db: Any, lt_officer: Any, logged_in: Any
) -> None:
    from openpyxl import load_workbook

    Indicator.objects.filter(code="institutions").update(name_en="=HYPERLINK(1)")
    answer = logged_in(lt_officer).get(URL.format(fmt="xlsx", lang="en"))
    names = [
        row[2]
        for row in load_workbook(io.BytesIO(answer.content))["Indicators"].iter_rows(
            values_only=True
        )
    ]
    assert "'=HYPERLINK(1)" in names
    text = logged_in(lt_officer).get(URL.format(fmt="csv", lang="en")).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_it_exports_csv_in_latvian(evidence: Any, lt_officer: Any, logged_in: Any) -> None:
    answer = logged_in(lt_officer).get(URL.format(fmt="csv", lang="lv"))
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    by_code = {row[1]: row for row in rows[3:]}
    assert by_code["evidence-ingested"][2] == "Uzņemtie pierādījumi"
    assert by_code["evidence-ingested"][4] == "3"
    assert by_code["institutions"][5] == "4"


def test_it_exports_a_pdf_report_with_charts_and_figures(
    evidence: Any, lt_officer: Any, logged_in: Any
) -> None:
    import pypdfium2

    answer = logged_in(lt_officer).get(URL.format(fmt="pdf", lang="lt"))
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    if SAVE_TO:
        SAVE_TO.write_bytes(answer.content)
    pdf = pypdfium2.PdfDocument(answer.content)
    text = ""
    for index in range(len(pdf)):
        page = pdf[index]
        text += page.get_textpage().get_text_range()
    # each table row reads: name, unit, value, target, % of target
    assert re.search(r"Bendradarbiavime dalyvaujančios institucijos \S+ 3 4 75\s", text)
    assert re.search(r"Priimti įrodymai \S+ 3\s", text)
    assert re.search(r"Partneriams bendrintos bylos \S+ 1\s", text)
    assert "lt-police" in text  # a chart's bar label
    first = pdf[0].render(scale=1).to_pil().convert("L")
    dark = sum(first.histogram()[:128])
    assert dark > 2000, "the first page is (nearly) blank"
    # the charts draw filled bars in the bar colour
    rgb = pdf[0].render(scale=1).to_pil().convert("RGB")
    colours = rgb.getcolors(maxcolors=1 << 24) or []
    assert any(
        abs(r - 0x1F) < 12 and abs(g - 0x5F) < 12 and abs(b - 0x8B) < 12
        for _count, (r, g, b) in colours
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "pdf"])
def test_it_refuses_exports_to_non_members(
    fmt: str, lt_org: Any, persona: Any, logged_in: Any
) -> None:
    assert logged_in(persona(lt_org)).get(URL.format(fmt=fmt, lang="en")).status_code == 403


def test_it_answers_404_for_an_unknown_format(lt_officer: Any, logged_in: Any) -> None:
    assert logged_in(lt_officer).get(URL.format(fmt="docx", lang="en")).status_code == 404


def test_it_refuses_an_export_for_a_bad_period(lt_officer: Any, logged_in: Any) -> None:
    answer = logged_in(lt_officer).get("/reports/export.pdf?period=month&year=2025&lang=en")
    assert answer.status_code == 400 and "Choose a month." in answer.content.decode()
