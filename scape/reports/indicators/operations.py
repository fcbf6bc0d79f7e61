"""Operations figures: incidents, shared incidents, joint patrols, plate hits shared
across the border, public notices published.

The models are looked up by name: while the operations, traffic or alerts app
has not landed, its figures are "no data".
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet

from scape.reports.indicators import (
    Figure,
    Row,
    Source,
    by_organization,
    memoized,
    model,
    register,
    shared_figure,
)

if TYPE_CHECKING:
    from scape.directory.models import Organization
    from scape.reports.periods import Period


def _row(obj: Any, when: Any) -> Row:
    return Row(str(obj), obj.get_absolute_url(), when, obj.organization.code)


def _incidents(period: Period) -> QuerySet[Any]:
    incident = model("operations.Incident")
    return incident._default_manager.filter(
        occurred_at__gte=period.start, occurred_at__lt=period.end, is_exercise=False
    ).select_related("organization", "type__parent")


@register
def incidents(period: Period, organization: Organization | None) -> Figure:
    """Incidents that occurred during the period (exercises left out), by type and organization."""
    found = _incidents(period)
    if organization is not None:
        found = found.filter(organization=organization)
    per_type = {
        row["type"]: row["n"] for row in found.order_by().values("type").annotate(n=Count("pk"))
    }
    kinds = model("operations.IncidentType")._default_manager.select_related("parent")
    types: dict[str, int] = defaultdict(int)
    for pk, kind in kinds.in_bulk(list(per_type)).items():
        types[str(kind)] += per_type[pk]
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
        model("operations.Incident"),
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
    member = model("operations.PatrolMember")
    rows = member._default_manager.filter(
        patrol__starts_at__gte=period.start, patrol__starts_at__lt=period.end
    ).values_list("patrol", "patrol__organization", "person__organization")
    teams: dict[int, set[int]] = defaultdict(set)
    for patrol, owner, organization in rows:
        teams[patrol] |= {owner, organization}
    return {patrol: orgs for patrol, orgs in teams.items() if len(orgs) > 1}


@register
def joint_patrols(period: Period, organization: Organization | None) -> Figure:
    """Patrols of the period with people of two organizations or more; each counts for every
    organization on it."""
    patrol = model("operations.Patrol")
    teams = _joint_patrols(period)
    if organization is not None:
        teams = {pk: orgs for pk, orgs in teams.items() if organization.pk in orgs}
    found = patrol._default_manager.filter(pk__in=list(teams)).select_related("organization")
    from scape.directory.models import Organization as Org

    codes = dict(Org.objects.values_list("pk", "code"))
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
    hit = model("traffic.Hit")
    found = (
        hit._default_manager.filter(time__gte=period.start, time__lt=period.end)
        .exclude(read__organization__country=F("entry__organization__country"))
        .select_related("read__organization", "entry__organization")
    )
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
    notice = model("alerts.Notice")
    found = (
        notice._default_manager.filter(
            sent__gte=period.start,
            sent__lt=period.end,
            status="Actual",
            state__in=["published", "superseded", "cancelled"],
        )
        .select_related("organization")
        .prefetch_related("infos")
    )
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
