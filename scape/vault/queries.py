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


def redacted_only_for(user: Any, item: EvidenceItem) -> bool:
    """Return whether `user` may see only redacted copies of `item`.

    True for a partner whose every active share of the item (directly or
    through a case) says "redacted copies only"; never for the owner.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q
    from django.utils import timezone

    from scape.core.access import actor_of
    from scape.core.models import Grant

    actor = actor_of(user)
    if actor.organization_id == item.organization_id:
        return False
    grants = Grant.objects.active(timezone.now()).filter(grantee=actor.organization_id)
    covering = grants.filter(
        Q(content_type=ContentType.objects.get_for_model(EvidenceItem), object_id=item.pk)
        | Q(
            content_type=ContentType.objects.get_for_model(Case),
            object_id__in=item.cases.values("pk"),
        )
    )
    return covering.exists() and not covering.filter(redacted_only=False).exists()
