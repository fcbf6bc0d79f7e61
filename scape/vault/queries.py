"""Reads of the vault through the access door."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from scape.core.access import access_object
from scape.core.choices import Action
from scape.core.models import AuditEvent
from scape.vault.models import Case, EvidenceItem


def access_item(user: Any, pk: Any, action: str = Action.VIEW) -> EvidenceItem:
    """Return the evidence item for `action`, or raise Http404/PermissionDenied."""
    return access_object(EvidenceItem, user, pk, action)


def access_case(user: Any, pk: Any, action: str = Action.VIEW) -> Case:
    """Return the case for `action`, or raise Http404/PermissionDenied."""
    return access_object(Case, user, pk, action)


def get_items(user: Any) -> QuerySet[EvidenceItem]:
    """Return the evidence items the user may see (their own and shared with them)."""
    return (
        EvidenceItem.objects.restrict(user, Action.VIEW)
        .select_related("organization", "category", "officer__user")
        .distinct()
    )


def custody_history(item: EvidenceItem) -> QuerySet[AuditEvent]:
    """Return every audit event about the item, oldest first: its chain of custody."""
    return AuditEvent.objects.filter(
        object_type="vault.evidenceitem", object_id=str(item.pk)
    ).order_by("id")
