"""The home-page card: this year's programme indicators against their targets."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from scape.core.access import actor_of
from scape.reports.actions import figures_for
from scape.reports.charts import summary
from scape.reports.choices import IndicatorGroup
from scape.reports.periods import Period


def panel_context(request: HttpRequest) -> dict[str, Any] | None:
    """Return the card's context for members of a partner organization, else None."""
    if not actor_of(request.user).roles:
        return None
    period = Period.year(timezone.localdate().year)
    rows = [
        summary(result)
        for result in figures_for(period).results
        if result.indicator.group == IndicatorGroup.PROGRAMME
    ]
    return {"rows": rows, "period": period, "query": f"period=year&year={period.first.year}"}
