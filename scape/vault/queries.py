"""Reads of the vault through the access door."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from scape.core.access import access_object
from scape.core.choices import Action
from scape.core.models import AuditEvent
from scape.vault.models import Case, EvidenceItem


def access_item(user: Any, pk: Any, action: str = Action.VIEW) -> EvidenceItem:
    """Return the evidence item for `action`, or raise Http404/PermissionDenied.

    The item comes with ``display_name`` set for this user (see name_items).
    """
    item = access_object(EvidenceItem, user, pk, action)
    name_items(user, [item])
    return item


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
    through a case) says "redacted copies only"; never for the owner. An item
    fetched with access_item (or named with name_items) for this user already
    knows the answer, so the views that ask again cost no query.
    """
    known = getattr(item, "_redacted_only_for", None)
    if known is not None and known[0] == getattr(user, "pk", None):
        return bool(known[1])
    return item.pk in redacted_only_ids(user, [item])


def redacted_only_ids(user: Any, items: Iterable[EvidenceItem]) -> set[int]:
    """Return the ids of the items that `user` may see only as redacted copies.

    Two queries for any number of items, so that a list page can hide the
    original names of a redacted-only share without a query per row.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from scape.core.access import actor_of
    from scape.core.models import Grant

    actor = actor_of(user)
    foreign = [i.pk for i in items if i.organization_id != actor.organization_id]
    if not foreign:
        return set()
    through = EvidenceItem.cases.through
    case_of: dict[int, set[int]] = {}
    for item_id, case_id in through.objects.filter(evidenceitem_id__in=foreign).values_list(
        "evidenceitem_id", "case_id"
    ):
        case_of.setdefault(item_id, set()).add(case_id)
    item_type = ContentType.objects.get_for_model(EvidenceItem)
    case_type = ContentType.objects.get_for_model(Case)
    cases = set().union(*case_of.values()) if case_of else set()
    active = Grant.objects.active(timezone.now()).filter(grantee=actor.organization_id)
    grants = active.filter(
        Q(content_type=item_type, object_id__in=foreign)
        | Q(content_type=case_type, object_id__in=cases)
    ).values_list("content_type_id", "object_id", "redacted_only")
    # For each item: does any covering grant exist, and does any give originals?
    covered: set[int] = set()
    full: set[int] = set()
    by_case: dict[int, list[bool]] = {}
    for ct, object_id, redacted_only in grants:
        if ct == item_type.pk:
            covered.add(int(object_id))
            if not redacted_only:
                full.add(int(object_id))
        else:
            by_case.setdefault(int(object_id), []).append(redacted_only)
    for item_id, case_ids in case_of.items():
        for case_id in case_ids:
            for redacted_only in by_case.get(case_id, ()):
                covered.add(item_id)
                if not redacted_only:
                    full.add(item_id)
    return covered - full


def name_items(user: Any, items: Iterable[EvidenceItem]) -> None:
    """Set ``display_name`` on each item: its original name, or a neutral one.

    A partner shown redacted copies only reads "Evidence <number>", since the
    original's file name often says who or where (templates show
    ``item.display_name``).
    """
    items = list(items)
    hidden = redacted_only_ids(user, items)
    for item in items:
        item._redacted_only_for = (getattr(user, "pk", None), item.pk in hidden)  # type: ignore[attr-defined]
        item.display_name = (  # type: ignore[attr-defined]
            _("Evidence %(number)s") % {"number": item.pk}
            if item.pk in hidden
            else item.original_name
        )
