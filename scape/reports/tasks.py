"""Background work of reports: counting the figures ahead of the reports page."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django_tasks import task

from scape.directory.queries import active_organizations
from scape.reports.actions import do_refresh_snapshots
from scape.reports.periods import Period


@task()
def refresh_snapshots(
    first: str, last: str, kind: str, organization_id: int | None
) -> dict[str, Any]:
    """Compute one period's figures (for one partner, or all together) and store them."""
    organization = None
    if organization_id is not None:
        organization = active_organizations().filter(pk=organization_id).first()
        if organization is None:
            return {"stored": 0}
    period = Period(datetime.date.fromisoformat(first), datetime.date.fromisoformat(last), kind)
    return {"stored": len(do_refresh_snapshots(period, organization))}


def standard_periods(today: datetime.date | None = None) -> list[Period]:
    """Return the periods the reports page offers first: this year, quarter and month."""
    today = today or timezone.localdate()
    return [
        Period.year(today.year),
        Period.quarter(today.year, (today.month - 1) // 3 + 1),
        Period.month(today.year, today.month),
    ]


def refresh_standard_snapshots() -> int:
    """Recount this year's, quarter's and month's figures, for all partners and each one.

    The worker's scheduler runs this every few minutes (ReportsConfig.ready),
    so the reports page opens on figures at most that old.
    """
    stored = 0
    organizations = [None, *active_organizations()]
    for period in standard_periods():
        for organization in organizations:
            stored += len(do_refresh_snapshots(period, organization))
    return stored
