"""Helpers for files people open in other programs (CSV for spreadsheets)."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: Any) -> str:
    """Return `value` as CSV cell text that no spreadsheet program runs as a formula.

    Use it for text that people typed (names, reasons, sources); numbers are
    written as they are, since a negative number is not a formula.
    """
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in _FORMULA_STARTS else text
