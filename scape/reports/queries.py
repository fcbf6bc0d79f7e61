"""Reads of the reports app: indicator values for a period, and the records behind them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, overload

from django.db.models import QuerySet
from django.http import Http404

from scape.reports.choices import IndicatorGroup
from scape.reports.indicators import Figure, Row, Source, batch, compute
from scape.reports.models import Indicator, Snapshot
from scape.reports.periods import Period

if TYPE_CHECKING:
    from scape.directory.models import Organization


@dataclass
class Result:
    """One indicator's value for a period, with its target."""

    indicator: Indicator
    figure: Figure

    @property
    def value(self) -> Decimal | int | None:
        return self.figure.value

    @property
    def has_data(self) -> bool:
        return self.figure.value is not None

    @property
    def target(self) -> Decimal | None:
        return self.indicator.target

    @property
    def achieved_percent(self) -> int | None:
        """Return the value as a whole percentage of the target, or None."""
        if self.value is None or not self.target:
            return None
        return int(Decimal(self.value) * 100 / self.target)


def active_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(active=True))


def get_indicator(code: str) -> Indicator:
    """Return the active indicator with this code, or raise Http404."""
    found = Indicator.objects.filter(code=code, active=True).first()
    if found is None:
        raise Http404(code)
    return found


def evaluate(indicator: Indicator, period: Period, organization: Organization | None) -> Result:
    return Result(indicator, compute(indicator.query, period, organization))


def evaluate_all(period: Period, organization: Organization | None = None) -> list[Result]:
    """Return every active indicator's value for the period (and partner)."""
    with batch():
        return [evaluate(indicator, period, organization) for indicator in active_indicators()]


def _decoded(value: Any) -> Decimal | int | None:
    """Return a stored figure value (scape.reports.actions.encode_value) as counted."""
    return Decimal(value) if isinstance(value, str) else value


@dataclass
class Snapshots:
    """The figures of a period as the worker last computed them (none missing), and when."""

    results: list[Result]
    computed_at: Any


def snapshot_results(period: Period, organization: Organization | None = None) -> Snapshots | None:
    """Return every active indicator's stored figure for the period, or None if one is missing.

    The reports page shows these; the records behind a figure are found only
    when someone opens it (``drill_down``).
    """
    indicators = active_indicators()
    stored = {
        s.indicator_id: s
        for s in Snapshot.objects.filter(
            indicator__in=indicators,
            first=period.first,
            last=period.last,
            scope=organization.code if organization is not None else "",
        )
    }
    if not indicators or len(stored) < len(indicators):
        return None
    results = []
    for indicator in indicators:
        snapshot = stored[indicator.pk]
        breakdown = {
            key: [(label, _decoded(v)) for label, v in pairs]
            for key, pairs in snapshot.breakdown.items()
        }
        results.append(Result(indicator, Figure(_decoded(snapshot.value), [], breakdown)))
    return Snapshots(results, min(s.computed_at for s in stored.values()))


def by_group(results: list[Result]) -> list[tuple[str, list[Result]]]:
    """Return the results in the order of the groups, each group with its label."""
    groups = []
    for value, label in IndicatorGroup.choices:
        found = [r for r in results if r.indicator.group == value]
        if found:
            groups.append((str(label), found))
    return groups


class RecordRows(Sequence[Row]):
    """The visible records of several sources as one list, read page by page.

    Only the slice a page asks for is fetched, so a figure over a hundred
    thousand records does not load them all to show a hundred.
    """

    def __init__(self, parts: list[tuple[Source, QuerySet[Any], int]]) -> None:
        self.parts = parts

    def __len__(self) -> int:
        return sum(count for _, _, count in self.parts)

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, int):
            if not 0 <= index < len(self):
                raise IndexError(index)
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        rows: list[Row] = []
        offset = 0
        for source, queryset, count in self.parts:
            low, high = max(start - offset, 0), min(stop - offset, count)
            if low < high:
                rows.extend(source.row(obj) for obj in queryset[low:high])
            offset += count
        return rows


@dataclass
class DrillDown:
    """The records behind a figure that the user may see, and how many they may not."""

    rows: RecordRows
    hidden: int


def drill_down(user: Any, figure: Figure) -> DrillDown:
    """List the records behind `figure` the user may see through the access door.

    Records the user may not see are only counted: "N records of other organizations".
    """
    parts: list[tuple[Source, QuerySet[Any], int]] = []
    hidden = 0
    for source in figure.sources:
        total = source.queryset.count()
        visible = source.visible(user)
        count = visible.count()
        parts.append((source, visible, count))
        hidden += max(total - count, 0)
    return DrillDown(RecordRows(parts), hidden)
