"""Programme indicators: institutions taking part in cooperation, solutions introduced."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import Q

from scape.directory.queries import organizations_with
from scape.reports.indicators import Figure, Row, Source, register
from scape.reports.indicators import activities as activity_figures
from scape.reports.indicators import operations as operation_figures
from scape.reports.indicators.vault import grant_pairs
from scape.reports.models import Solution

if TYPE_CHECKING:
    from scape.directory.models import Organization
    from scape.reports.periods import Period

# Each returns, for a period, the set of organizations each cooperation record
# brought together: a share, an activity, a joint patrol.
COOPERATION: tuple[Callable[[Period], list[set[int]]], ...] = (
    grant_pairs,
    activity_figures.cooperation_groups,
    operation_figures.cooperation_groups,
)


def _org_row(organization: Organization) -> Row:
    return Row(organization.name, organization.get_absolute_url(), None, organization.code)


def cooperating(period: Period, organization: Organization | None) -> set[int]:
    """Return the ids of the organizations that took part in cooperation during the period.

    With a partner, those that cooperated with it (and the partner itself, when it did).
    """
    found: set[int] = set()
    for source in COOPERATION:
        for group in source(period):
            if organization is None or organization.pk in group:
                found |= group
    return found


@register
def institutions(period: Period, organization: Organization | None) -> Figure:
    """Distinct organizations taking part in shares, activities and joint patrols."""
    ids = cooperating(period, organization)
    organizations = organizations_with(ids)
    countries = organizations.order_by("country").values_list("country", flat=True)
    per_country: dict[str, int] = {}
    for country in countries:
        per_country[country] = per_country.get(country, 0) + 1
    return Figure(
        len(ids),
        [Source(organizations.order_by("country", "code"), _org_row)],
        {"country": sorted(per_country.items())},
    )


def _solution_row(solution: Solution) -> Row:
    return Row(
        solution.name,
        solution.link,
        solution.introduced_on,
        solution.organization.code if solution.organization else "",
    )


@register
def solutions(period: Period, organization: Organization | None) -> Figure:
    """Solutions improving public services introduced during the period.

    A joint solution (no organization) counts for every partner.
    """
    found = Solution.objects.filter(
        active=True, introduced_on__gte=period.first, introduced_on__lte=period.last
    ).select_related("organization")
    if organization is not None:
        found = found.filter(Q(organization=organization) | Q(organization__isnull=True))
    return Figure(found.count(), [Source(found, _solution_row, public=True)])
