"""Writes of the reports app: the figures computed ahead of the reports page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from scape.core import audit
from scape.core.access import actor_of
from scape.core.choices import Role
from scape.reports.models import Snapshot
from scape.reports.periods import Period
from scape.reports.queries import Snapshots, evaluate_all, snapshot_results

# Who may ask for the figures to be counted again now rather than at the next run.
REFRESHERS = frozenset({Role.COORDINATOR, Role.ORG_ADMIN, Role.SYS_ADMIN})


def encode_value(value: Decimal | int | None) -> Any:
    """Return a figure's value as JSON: an int as a number, a Decimal as its exact string."""
    if value is None or isinstance(value, int):
        return value
    return str(value)


def do_refresh_snapshots(period: Period, organization: Any = None) -> list[Snapshot]:
    """Compute every active indicator for the period (and partner) and store the figures.

    Run by the worker (scape.reports.tasks): periodically for the periods the
    reports page opens on, and when a coordinator asks for fresh figures.
    Computed outside the transaction; the rows are replaced in one, so a
    reader sees the old figures or the new ones, never half of each.
    """
    results = evaluate_all(period, organization)
    scope = organization.code if organization is not None else ""
    now = timezone.now()
    stored = []
    with transaction.atomic():
        for result in results:
            snapshot, _created = Snapshot.objects.update_or_create(
                indicator=result.indicator,
                first=period.first,
                last=period.last,
                scope=scope,
                defaults={
                    "value": encode_value(result.figure.value),
                    "breakdown": {
                        key: [[label, encode_value(v)] for label, v in pairs]
                        for key, pairs in result.figure.breakdown.items()
                    },
                    "computed_at": now,
                },
            )
            stored.append(snapshot)
    return stored


def figures_for(period: Period, organization: Any = None) -> Snapshots:
    """Return the period's stored figures, counting them first if no run has counted them yet.

    The worker keeps this year, quarter and month counted (scape.reports.tasks);
    another period (a past year, a custom range) is counted on its first view
    and kept, and a coordinator's "Count again" recounts it.
    """
    found = snapshot_results(period, organization)
    if found is None:
        do_refresh_snapshots(period, organization)
        found = snapshot_results(period, organization)
    assert found is not None
    return found


def do_request_refresh(user: Any, period: Period, organization: Any = None) -> None:
    """Queue a recount of the period's figures for a coordinator, and record who asked."""
    from scape.reports.tasks import refresh_snapshots

    actor_of(user).require(REFRESHERS)
    audit.record(
        "reports.refresh_requested",
        actor=user,
        object_type="reports.snapshot",
        details={
            "first": period.first.isoformat(),
            "last": period.last.isoformat(),
            "organization": organization.code if organization is not None else "",
        },
    )
    transaction.on_commit(
        lambda: refresh_snapshots.enqueue(
            period.first.isoformat(),
            period.last.isoformat(),
            period.kind,
            organization.pk if organization is not None else None,
        )
    )


def do_prepare_export(user: Any, fmt: str, language: str, params: dict[str, str]) -> Any:
    """Queue the making of the indicators export; it appears under the user's downloads."""
    from scape.core.downloads import do_start_download

    return do_start_download("reports.export", {**params, "fmt": fmt, "lang": language}, actor=user)
