"""Spreadsheets of equipment: the asset list and the monthly CO₂ report, as CSV and XLSX.

Text that people typed goes through spreadsheet_text, so that no cell runs as
a formula when the file is opened.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from scape.core.spreadsheets import spreadsheet_text
from scape.equipment.actions.imports import COLUMNS
from scape.equipment.models import Asset
from scape.equipment.queries import Co2Report

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def asset_rows(assets: Iterable[Asset]) -> list[list[Any]]:
    """Return the header and one row per asset, in the columns the import reads."""
    rows: list[list[Any]] = [list(COLUMNS)]
    for asset in assets:
        details = asset.details or {}
        values: dict[str, Any] = {
            "organization": asset.organization.code,
            "tag": asset.tag,
            "kind": asset.kind,
            "status": asset.status,
            "serial": asset.serial,
            "make": asset.make,
            "model": asset.model,
            "unit": asset.unit.name if asset.unit else "",
            "location": asset.location,
            "purchase_date": asset.purchase_date or "",
            "price": asset.price if asset.price is not None else "",
            "funding_source": asset.funding_source,
            "notes": asset.notes,
        }
        for name in COLUMNS:
            if name not in values:
                values[name] = details.get(name, "")
        rows.append(
            [
                _number(values[name]) if name in _NUMBERS else
                values[name] if name == "purchase_date" else spreadsheet_text(values[name])
                for name in COLUMNS
            ]
        )  # fmt: skip
    return rows


# Columns written as numbers (and purchase_date as a date), so that a
# spreadsheet can sum and sort them; everything else is text.
_NUMBERS = frozenset({"price", "battery_kwh", "seats"})


def _number(value: Any) -> Any:
    """Return a number as a Decimal without trailing zeros (text that is no number as text)."""
    if value in ("", None):
        return ""
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        return spreadsheet_text(value)
    if not number.is_finite():
        return spreadsheet_text(value)
    number = number.normalize()
    # normalize() writes 100 as 1E+2: give whole numbers their digits back.
    return number.quantize(Decimal(1)) if number == number.to_integral() else number


def co2_rows(report: Co2Report) -> list[list[Any]]:
    """Return the CO₂ report as rows: kinds, then the factors and their sources."""
    rows: list[list[Any]] = [
        [
            _("Vehicle kind"),
            _("Distance (km)"),
            _("Energy (kWh)"),
            _("Fuel (litres)"),
            _("CO₂ avoided (kg)"),
        ]
    ]
    for row in report.rows:
        rows.append(
            [
                row.label,
                _number(row.km),
                _number(row.kwh),
                _number(row.fuel_l),
                _number(row.avoided_kg),
            ]
        )
    if report.rows and report.total_avoided_kg is not None:
        rows.append([_("Total CO₂ avoided (kg)"), "", "", "", _number(report.total_avoided_kg)])
    rows.append([])
    for label, f in (
        (_("Reference car factor"), report.vehicle_factor),
        (_("Grid factor"), report.grid_factor),
    ):
        if f is None:
            continue
        # The source is text an administrator typed: keep it from running as a formula.
        rows.append(
            [label, _number(f.value), f.get_kind_display(), f.year, spreadsheet_text(f.source)]
        )
    for message in report.missing:
        rows.append([message])
    return rows


def to_csv(rows: Sequence[Sequence[Any]]) -> bytes:
    """Return rows as UTF-8 CSV (with a BOM, so spreadsheet programs read the letters right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def to_xlsx(rows: Sequence[Sequence[Any]], *, title: str) -> bytes:
    """Return rows as an XLSX workbook of one sheet; text cells are never formulas."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, Decimal):
                value = float(value)
            cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
