"""Evidence figures: items ingested, shared with partners, cases shared, exported to court."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet

from scape.core.models import Grant
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
from scape.vault import queries as vault
from scape.vault.choices import SourceType

if TYPE_CHECKING:
    from scape.directory.models import Organization
    from scape.reports.periods import Period
    from scape.vault.models import Case, EvidenceItem

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


def _item_figure(items: QuerySet[Any]) -> Figure:
    counted = vault.all_items().filter(pk__in=items.values("pk"))
    return Figure(
        counted.count(),
        [Source(counted.order_by("ingested_at"), _item_row)],
        {
            "organization": by_organization(
                counted.order_by().values("organization__code").annotate(n=Count("pk"))
            ),
        },
    )


@register
def evidence_ingested(period: Period, organization: Organization | None) -> Figure:
    """Evidence items ingested during the period, by organization and source."""
    items = vault.items_ingested_between(period.start, period.end)
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
    return shared_figure(vault.all_cases(), period, organization, _case_row, "created_at")


@register
def evidence_shared(period: Period, organization: Organization | None) -> Figure:
    """Evidence items shared with a partner during the period, directly or in a shared case."""
    direct = involving(grants_in(period, vault.all_items().model), organization)
    by_case = involving(grants_in(period, vault.all_cases().model), organization)
    return _item_figure(vault.items_shared_by(direct, by_case))


@register
def evidence_exported(period: Period, organization: Organization | None) -> Figure:
    """Evidence items exported for a court during the period: a court export or a court link."""
    items = vault.items_exported_between(period.start, period.end)
    if organization is not None:
        items = items.filter(organization=organization)
    return _item_figure(items)


def grant_pairs(period: Period) -> list[set[int]]:
    """Return the organizations each share given during the period brought together."""
    grants = Grant.objects.filter(granted_at__gte=period.start, granted_at__lt=period.end)
    return [{owner, grantee} for owner, grantee in grants.values_list("owner", "grantee")]
