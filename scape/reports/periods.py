"""Reporting periods: a year, a quarter, a month or a custom range of days."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.utils.translation import gettext as _

from scape.reports.choices import PeriodKind

# Lithuania and Latvia share one time zone (EET/EEST): a reporting day starts at
# midnight there, whichever partner reports.
REPORT_TIME_ZONE = "Europe/Vilnius"


@dataclass(frozen=True)
class Period:
    """The days from `first` to `last`, both included."""

    first: datetime.date
    last: datetime.date
    kind: str = PeriodKind.CUSTOM

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a period ends on or after its first day")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), PeriodKind.YEAR)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError("quarter is 1 to 4")
        first = datetime.date(year, 3 * quarter - 2, 1)
        last = _month_last(year, 3 * quarter)
        return cls(first, last, PeriodKind.QUARTER)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(datetime.date(year, month, 1), _month_last(year, month), PeriodKind.MONTH)

    @property
    def start(self) -> datetime.datetime:
        """Return the first moment of the period (aware)."""
        return datetime.datetime.combine(self.first, datetime.time(), _zone())

    @property
    def end(self) -> datetime.datetime:
        """Return the first moment after the period (aware, excluded)."""
        return datetime.datetime.combine(
            self.last + datetime.timedelta(days=1), datetime.time(), _zone()
        )

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return str(self.first.year)
        if self.kind == PeriodKind.QUARTER:
            return _("%(year)s Q%(quarter)s") % {
                "year": self.first.year,
                "quarter": (self.first.month - 1) // 3 + 1,
            }
        if self.kind == PeriodKind.MONTH:
            return f"{self.first:%Y-%m}"
        return f"{self.first:%Y-%m-%d} \u2013 {self.last:%Y-%m-%d}"

    @property
    def slug(self) -> str:
        if self.kind in (PeriodKind.YEAR, PeriodKind.MONTH):
            return self.label
        if self.kind == PeriodKind.QUARTER:
            return f"{self.first.year}-q{(self.first.month - 1) // 3 + 1}"
        return f"{self.first:%Y%m%d}-{self.last:%Y%m%d}"

    def query(self) -> dict[str, str]:
        """Return the query parameters that name this period (see ReportFilterForm)."""
        params = {"period": str(self.kind), "year": str(self.first.year)}
        if self.kind == PeriodKind.QUARTER:
            params["quarter"] = str((self.first.month - 1) // 3 + 1)
        elif self.kind == PeriodKind.MONTH:
            params["month"] = str(self.first.month)
        elif self.kind == PeriodKind.CUSTOM:
            params = {"period": str(self.kind), "start": str(self.first), "end": str(self.last)}
        return params


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(REPORT_TIME_ZONE)


def _month_last(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)
