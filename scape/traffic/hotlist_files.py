"""Reading a hot-list file (CSV or XLSX) into rows and problems; nothing is written here.

What a list from another system looks like varies: a Lithuanian or Latvian
spreadsheet writes ``;`` and decimal commas, Windows tools write cp1257, column
names come in three languages, dates as ``2027-01-31``, ``31.01.2027`` or as
spreadsheet dates. Each row becomes a :class:`Row` or a :class:`Problem` with
its line number; a problem is a code and the value, rendered in the reader's
language by :func:`problem_text`, so that a preview stored today reads right
to a Latvian colleague tomorrow.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import asdict, dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext_lazy

from scape.traffic.choices import Country, HotlistReason
from scape.traffic.matching import MAX_PLATE_CHARS, normalise

MAX_ROWS = 50_000
MAX_BYTES = 10 * 1024 * 1024

# Column names as people write them (compared without case, spaces or punctuation).
_HEADERS = {
    "plate": {
        "plate", "plates", "number", "platenumber", "licenseplate", "licenceplate",
        "registration", "registrationnumber", "vrn", "numeris", "valstybinisnumeris",
        "numerioženklas", "numurs", "numurzīme", "reģistrācijasnumurs", "valstsnumurs",
    },
    "country": {"country", "countrycode", "šalis", "salis", "valstybė", "valsts"},
    "reason": {"reason", "category", "priežastis", "priezastis", "kategorija", "iemesls"},
    "valid_until": {
        "validuntil", "valid", "until", "expires", "expiry", "expirydate", "galiojaiki",
        "galioja", "iki", "derīgslīdz", "derigslidz", "līdz", "lidz", "termiņš",
    },
    "note": {"note", "notes", "comment", "pastaba", "pastabos", "piezīme", "piezīmes", "komentārs"},
}  # fmt: skip

_SYNONYMS = {
    "stolen": HotlistReason.STOLEN_VEHICLE,
    "vogta": HotlistReason.STOLEN_VEHICLE,
    "zagts": HotlistReason.STOLEN_VEHICLE,
    "wanted": HotlistReason.WANTED_PERSON,
    "missing": HotlistReason.MISSING_PERSON,
}

_PROBLEMS = {
    "no_plate_column": gettext_lazy(
        "No column names the plate: name one “plate”, “numeris” or “numurs”."
    ),
    "bad_plate": gettext_lazy("“%(value)s” is not a plate: 1 to 12 letters A-Z and digits."),
    "bad_country": gettext_lazy("Country “%(value)s”: give LT, LV or leave it empty."),
    "bad_reason": gettext_lazy(
        "Reason “%(value)s”: give stolen vehicle, wanted person, missing person or other."
    ),
    "bad_date": gettext_lazy("“%(value)s” is not a date (write 2027-01-31 or 31.01.2027)."),
    "no_date": gettext_lazy("No valid-until date, and none is set for the whole list."),
    "past_date": gettext_lazy("Valid until %(value)s: that is already past."),
    "repeated": gettext_lazy("%(value)s is already on line %(first)s; this line is left out."),
    "too_many_rows": gettext_lazy("Only the first %(value)s rows are read."),
    "unreadable": gettext_lazy(
        "The file could not be read as CSV or XLSX. Save it from the spreadsheet as "
        "CSV (UTF-8) or Excel workbook and try again."
    ),
}


@dataclass
class Row:
    line: int
    plate: str
    shown: str
    country: str
    reason: str
    valid_until: str  # ISO 8601
    note: str


@dataclass
class Problem:
    line: int
    code: str
    value: str = ""
    first: int = 0


def problem_text(problem: dict[str, Any]) -> str:
    """Return a stored problem as a sentence in the active language."""
    template = _PROBLEMS.get(str(problem.get("code")), _PROBLEMS["unreadable"])
    return str(template) % {
        "value": problem.get("value", ""),
        "first": problem.get("first", ""),
    }


def _key(text: Any) -> str:
    return re.sub(r"[\W_]+", "", str(text or "")).casefold()


def _reasons() -> dict[str, str]:
    """Every way a reason is written: its code and its label in each language."""
    known = {_key(code): code for code in HotlistReason.values}
    for language in ("en", "lt", "lv"):
        with translation.override(language):
            for code, label in HotlistReason.choices:
                known[_key(label)] = code
    for word, code in _SYNONYMS.items():
        known[_key(word)] = code
    return known


def _table(data: bytes, name: str) -> list[list[Any]]:
    """Return the file's cells, row by row (first sheet of a workbook)."""
    if name.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise ValueError("unreadable") from exc
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    for encoding in ("utf-8-sig", "cp1257"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1257 decodes nearly every byte
        raise ValueError("unreadable")
    if "\x00" in text:
        raise ValueError("unreadable")
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%Y.%m.%d", "%d/%m/%Y", "%Y/%m/%d")
_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%dT%H:%M")


def _moment(value: Any, zone: ZoneInfo) -> datetime.datetime | None:
    """Return the end of the given day (or the given time) in ``zone``; None if unreadable."""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            value = datetime.datetime.combine(value.date(), datetime.time(23, 59, 59))
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time(23, 59, 59), tzinfo=zone)
    text = str(value).strip()
    try:
        parsed = datetime.datetime.fromisoformat(text)
        if "T" in text or ":" in text:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    except ValueError:
        pass
    for fmt in _TIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).replace(tzinfo=zone)
        except ValueError:
            continue
    for fmt in _DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=zone)
    return None


def read_hotlist(
    data: bytes,
    name: str,
    *,
    zone: ZoneInfo,
    valid_until: datetime.datetime | None,
    now: datetime.datetime,
    shown: Any = None,
) -> tuple[list[Row], list[Problem]]:
    """Return the good rows and the problems of a hot-list file.

    ``valid_until`` stands in for rows that give none; ``shown(plate, country)``
    returns a plate's display form.
    """
    try:
        table = _table(data, name)
    except ValueError:
        return [], [Problem(0, "unreadable")]
    table = [row for row in table if any(str(cell or "").strip() for cell in row)]
    if not table:
        return [], [Problem(0, "unreadable")]
    columns: dict[str, int] = {}
    for index, cell in enumerate(table[0]):
        for field, names in _HEADERS.items():
            if _key(cell) in {_key(n) for n in names} and field not in columns:
                columns[field] = index
    if "plate" not in columns:
        return [], [Problem(1, "no_plate_column")]
    reasons = _reasons()
    rows: list[Row] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    body = table[1:]
    if len(body) > MAX_ROWS:
        problems.append(Problem(0, "too_many_rows", str(MAX_ROWS)))
        body = body[:MAX_ROWS]
    for offset, cells in enumerate(body, start=2):

        def cell(field: str, cells: list[Any] = cells) -> Any:
            index = columns.get(field)
            return cells[index] if index is not None and index < len(cells) else None

        raw_plate = str(cell("plate") or "").strip()
        plate = normalise(raw_plate)
        if not plate or len(plate) > MAX_PLATE_CHARS:
            problems.append(Problem(offset, "bad_plate", raw_plate[:40]))
            continue
        country = str(cell("country") or "").strip().upper()
        if country not in ("", *Country.values):
            problems.append(Problem(offset, "bad_country", country[:20]))
            continue
        raw_reason = str(cell("reason") or "").strip()
        reason = reasons.get(_key(raw_reason)) if raw_reason else HotlistReason.OTHER
        if reason is None:
            problems.append(Problem(offset, "bad_reason", raw_reason[:60]))
            continue
        raw_date = cell("valid_until")
        if raw_date in (None, ""):
            until = valid_until
            if until is None:
                problems.append(Problem(offset, "no_date"))
                continue
        else:
            until = _moment(raw_date, zone)
            if until is None:
                problems.append(Problem(offset, "bad_date", str(raw_date)[:40]))
                continue
        if until <= now:
            problems.append(
                Problem(offset, "past_date", until.astimezone(zone).strftime("%Y-%m-%d"))
            )
            continue
        if plate in seen:
            problems.append(Problem(offset, "repeated", plate, seen[plate]))
            continue
        seen[plate] = offset
        rows.append(
            Row(
                line=offset,
                plate=plate,
                shown=shown(raw_plate, country or None) if shown is not None else plate,
                country=country,
                reason=str(reason),
                valid_until=until.isoformat(),
                note=str(cell("note") or "").strip()[:1000],
            )
        )
    return rows, problems


def as_data(items: list[Any]) -> list[dict[str, Any]]:
    """Return rows or problems as JSON-ready dicts."""
    return [asdict(item) for item in items]
