"""Evidence figures: items ingested, shared with partners, cases shared, exported to court."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from scape.core.models import AuditEvent, Grant
from scape.reports.indicators import (
    Figure,
    Row,
    Source,
    by_organization,
    grants_in,
    involving,
    register,
    shared_figure,
)
from scape.vault.choices import SourceType
from scape.vault.models import Case, EvidenceItem, ExternalLink

if TYPE_CHECKING:
    from scape.directory.models import Organization
    from scape.reports.periods import Period

_SOURCES = dict(SourceType.choices)


def _item_row(item: EvidenceItem) -> Row:
    return Row(
        f"#{item.pk} {item.original_name}",
        item.get_absolute_url(),
        item.recorded_at or item.ingested_at,
        item.organization.code,
    )


def _case_row(case: Case) -> Row:
    return Row(str(case), case.get_absolute_url(), case.created_at, case.organization.code)


def _item_figure(items: QuerySet[EvidenceItem]) -> Figure:
    items = items.select_related("organization").distinct()
    counted = EvidenceItem.objects.filter(pk__in=items.values("pk"))
    return Figure(
        counted.count(),
        [Source(counted.select_related("organization").order_by("ingested_at"), _item_row)],
        {
            "organization": by_organization(
                counted.order_by().values("organization__code").annotate(n=Count("pk"))
            ),
        },
    )


@register
def evidence_ingested(period: Period, organization: Organization | None) -> Figure:
    """Evidence items ingested during the period, by organization and source."""
    items = EvidenceItem.objects.filter(
        ingested_at__gte=period.start, ingested_at__lt=period.end
    ).select_related("organization")
    if organization is not None:
        items = items.filter(organization=organization)
    figure = _item_figure(items)
    sources = items.order_by().values("source_type").annotate(n=Count("pk"))
    figure.breakdown["source"] = [
        (str(_SOURCES.get(row["source_type"], row["source_type"])), row["n"]) for row in sources
    ]
    return figure


@register
def cases_shared(period: Period, organization: Organization | None) -> Figure:
    """Cases shared with a partner during the period.

    A shared case counts for both organizations: with a partner filter, the
    cases the partner shared and those shared with it; by organization, each
    case appears under its owner and under every partner it was shared with.
    """
    return shared_figure(Case, period, organization, _case_row, "created_at")


@register
def evidence_shared(period: Period, organization: Organization | None) -> Figure:
    """Evidence items shared with a partner during the period, directly or in a shared case."""
    direct = involving(grants_in(period, EvidenceItem), organization)
    by_case = involving(grants_in(period, Case), organization)
    items = EvidenceItem.objects.filter(
        Q(pk__in=direct.values("object_id")) | Q(cases__in=by_case.values("object_id"))
    )
    return _item_figure(items)


@register
def evidence_exported(period: Period, organization: Organization | None) -> Figure:
    """Evidence items exported for a court during the period: a court export or a court link."""
    exported = AuditEvent.objects.filter(
        action="vault.exported",
        object_type="vault.evidenceitem",
        time__gte=period.start,
        time__lt=period.end,
    ).values_list("object_id", flat=True)
    links = ExternalLink.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    items = EvidenceItem.objects.filter(
        Q(pk__in=[int(pk) for pk in exported if pk.isdigit()])
        | Q(pk__in=links.values("item"))
        | Q(cases__in=links.values("case"))
    )
    if organization is not None:
        items = items.filter(organization=organization)
    return _item_figure(items)


def grant_pairs(period: Period) -> list[set[int]]:
    """Return the organizations each share given during the period brought together."""
    grants = Grant.objects.filter(granted_at__gte=period.start, granted_at__lt=period.end)
    return [{owner, grantee} for owner, grantee in grants.values_list("owner", "grantee")]
