"""Operations figures: incidents, shared incidents, joint patrols, plate hits shared
across the border, public notices published.

The records come from the operations, traffic and alerts apps' queries.py.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q

from scape.alerts import queries as alerts
from scape.directory.queries import organization_codes
from scape.operations import queries as operations
from scape.reports.indicators import (
    Figure,
    Row,
    Source,
    by_organization,
    memoized,
    register,
    shared_figure,
)
from scape.traffic import queries as traffic

if TYPE_CHECKING:
    from scape.directory.models import Organization
    from scape.reports.periods import Period


def _row(obj: Any, when: Any) -> Row:
    return Row(str(obj), obj.get_absolute_url(), when, obj.organization.code)


@register
def incidents(period: Period, organization: Organization | None) -> Figure:
    """Incidents that occurred during the period (exercises left out), by type and organization."""
    found = operations.incidents_between(period.start, period.end)
    if organization is not None:
        found = found.filter(organization=organization)
    per_type = {
        row["type"]: row["n"] for row in found.order_by().values("type").annotate(n=Count("pk"))
    }
    types: dict[str, int] = defaultdict(int)
    for pk, name in operations.incident_type_names(list(per_type)).items():
        types[name] += per_type[pk]
    return Figure(
        found.count(),
        [Source(found.order_by("occurred_at", "pk"), lambda i: _row(i, i.occurred_at))],
        {
            "type": sorted(types.items()),
            "organization": by_organization(
                found.order_by().values("organization__code").annotate(n=Count("pk"))
            ),
        },
    )


@register
def incidents_shared(period: Period, organization: Organization | None) -> Figure:
    """Incidents shared with a partner during the period; one shared counts for both."""
    return shared_figure(
        operations.all_incidents(),
        period,
        organization,
        lambda i: _row(i, i.occurred_at),
        "occurred_at",
        "pk",
    )


def _joint_patrols(period: Period) -> dict[int, set[int]]:
    """Return {patrol id: organizations on it} for the patrols of the period with people
    of two organizations or more (read once per batch: two figures use it)."""
    return memoized(("joint_patrols", period), lambda: _read_joint_patrols(period))


def _read_joint_patrols(period: Period) -> dict[int, set[int]]:
    teams = operations.patrol_teams_between(period.start, period.end)
    return {patrol: orgs for patrol, orgs in teams.items() if len(orgs) > 1}


@register
def joint_patrols(period: Period, organization: Organization | None) -> Figure:
    """Patrols of the period with people of two organizations or more; each counts for every
    organization on it."""
    teams = _joint_patrols(period)
    if organization is not None:
        teams = {pk: orgs for pk, orgs in teams.items() if organization.pk in orgs}
    found = operations.patrols_with(list(teams))
    codes = organization_codes()
    per_org: dict[str, int] = defaultdict(int)
    for orgs in teams.values():
        for pk in orgs:
            per_org[codes.get(pk, "—")] += 1
    return Figure(
        len(teams),
        [Source(found.order_by("starts_at", "pk"), lambda p: _row(p, p.starts_at))],
        {"organization": sorted(per_org.items())},
    )


def _hit_row(hit: Any) -> Row:
    return Row(
        f"{hit.read.text} → {hit.entry.organization.code}",
        hit.get_absolute_url(),
        hit.time,
        hit.read.organization.code,
    )


@register
def plate_hits_shared(period: Period, organization: Organization | None) -> Figure:
    """Hits of the period where a read of one country matched a hot-list entry of the other."""
    found = traffic.cross_border_hits_between(period.start, period.end)
    if organization is not None:
        found = found.filter(
            Q(read__organization=organization) | Q(entry__organization=organization)
        )
    return Figure(
        found.count(),
        [Source(found.order_by("time", "pk"), _hit_row)],
        {
            "organization": by_organization(
                found.order_by().values("read__organization__code").annotate(n=Count("pk")),
                "read__organization__code",
            )
        },
    )


@register
def notices_published(period: Period, organization: Organization | None) -> Figure:
    """Public notices (actual, not exercises or tests) sent during the period."""
    found = alerts.notices_sent_between(period.start, period.end)
    if organization is not None:
        found = found.filter(organization=organization)
    return Figure(
        found.count(),
        [Source(found.order_by("sent", "pk"), lambda n: _row(n, n.sent))],
        {
            "organization": by_organization(
                found.order_by().values("organization__code").annotate(n=Count("pk"))
            )
        },
    )


def cooperation_groups(period: Period) -> list[set[int]]:
    """Return the organizations on each joint patrol of the period."""
    return list(_joint_patrols(period).values())
