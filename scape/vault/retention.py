"""Retention: how long each item is kept, and deleting nothing silently."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from scape.vault.models import EvidenceItem

DEFAULT_KEEP_DAYS = 365


def policy_for(item: EvidenceItem) -> tuple[int, int | None]:
    """Return (keep days, review days) for the item.

    A policy applies when its category (if set) and its source type (if set)
    match the item; where several apply, the longest keep wins. The
    organization's default (neither set) applies to uncategorised items, and
    to any item no other policy matches.
    """
    from scape.vault.models import RetentionPolicy

    matching = RetentionPolicy.objects.filter(
        Q(category__isnull=True) | Q(category=item.category_id),
        Q(source_type="") | Q(source_type=item.source_type),
        organization=item.organization_id,
    )
    specific = matching.exclude(category__isnull=True, source_type="")
    default = matching.filter(category__isnull=True, source_type="")
    pool = specific if item.category_id is not None and specific.exists() else matching
    best = pool.order_by("-keep_days").first() or default.first()
    if best is None:
        return DEFAULT_KEEP_DAYS, None
    return best.keep_days, best.review_days


def apply_retention(item: EvidenceItem) -> None:
    """Set the item's keep-until and review dates from the policies (not saved)."""
    keep, review = policy_for(item)
    start = item.recorded_at or item.ingested_at
    item.retain_until = start + timedelta(days=keep)
    item.review_at = start + timedelta(days=review) if review else None
