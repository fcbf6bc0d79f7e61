"""Reads of the vault through the access door."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from scape.core.access import access_object, actor_of
from scape.core.choices import Action, Role
from scape.core.models import AuditEvent, Grant
from scape.directory.models import Organization
from scape.directory.queries import own_organization
from scape.vault.choices import CaseStatus, DeletionStatus, ItemStatus
from scape.vault.models import (
    Case,
    CaseExport,
    Category,
    DeletionList,
    EvidenceItem,
    ExternalLink,
    RedactionSession,
)

# Who keeps the organization's retention: its custodians and administrators.
RETENTION_KEEPERS = frozenset({Role.CUSTODIAN, Role.ORG_ADMIN})
_GONE = [ItemStatus.IN_BIN, ItemStatus.DESTROYED]


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


def case_exports(user: Any, case: Case) -> QuerySet[CaseExport]:
    """Return the exports of `case` this user asked for, newest first."""
    return CaseExport.objects.filter(case=case, created_by=user).select_related("job")


def access_export(user: Any, pk: Any) -> CaseExport:
    """Return an export the user asked for and may still download, or raise Http404."""
    export = CaseExport.objects.filter(pk=pk, created_by=user).select_related("case").first()
    if export is None:
        raise Http404
    access_case(user, export.case_id, Action.DOWNLOAD)
    return export


def get_cases(user: Any) -> QuerySet[Case]:
    """Return the cases the user may see (their own and shared with them)."""
    return Case.objects.restrict(user, Action.VIEW).select_related("organization")


def item_cases(user: Any, item: EvidenceItem) -> QuerySet[Case]:
    """Return the cases holding the item that the user may see.

    A partner the item alone is shared with does not learn the owner's cases
    it is in: their references and titles often say whom they are about.
    """
    return Case.objects.restrict(user, Action.VIEW).filter(pk__in=item.cases.values("pk"))


def access_redaction(user: Any, pk: Any, action: str = Action.VIEW) -> RedactionSession:
    """Return the redaction session if the user may do `action` on its item; else raise.

    Http404 for a session of an item the user cannot see, as the item itself
    would be, and for a partner shown the item as redacted copies only: the
    review shows the original's frames. PermissionDenied when the user sees
    the item but may not do `action` to it.
    """
    session = RedactionSession.objects.filter(pk=pk).select_related("item", "job").first()
    if session is None:
        raise Http404
    session.item = access_item(user, session.item_id, action)
    if redacted_only_for(user, session.item):
        raise Http404
    return session


def links_of(target: EvidenceItem | Case) -> QuerySet[ExternalLink]:
    """Return the links for a prosecutor or court made for the item or the case.

    The caller has fetched `target` for sharing: whoever may share it sees its links.
    """
    if isinstance(target, Case):
        return ExternalLink.objects.filter(case=target)
    return ExternalLink.objects.filter(item=target)


def visible_case_ids(user: Any) -> QuerySet[Any]:
    """Return the ids of the cases the user may see (for naming an item's cases to a partner)."""
    return Case.objects.restrict(user, Action.VIEW).values_list("pk", flat=True)


def get_items(user: Any) -> QuerySet[EvidenceItem]:
    """Return the evidence items the user may see (their own and shared with them)."""
    return EvidenceItem.objects.restrict(user, Action.VIEW).select_related(
        "organization", "category", "officer__user"
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


def without_hidden_matches(user: Any, found: QuerySet[EvidenceItem]) -> QuerySet[EvidenceItem]:
    """Drop from a search by the original's name or hash the items shown redacted only.

    A partner shown redacted copies only must not learn an original's file
    name or SHA-256, not even by guessing it and watching the search hit.
    """

    foreign = [
        EvidenceItem(pk=pk, organization_id=org)
        for pk, org in found.exclude(organization=actor_of(user).organization_id)
        .order_by()
        .values_list("pk", "organization_id")
    ]
    hidden = redacted_only_ids(user, foreign)
    return found.exclude(pk__in=hidden) if hidden else found


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


def due_for_deletion(organization: Any, *, within_days: int = 0) -> Any:
    """Return the organization's items whose keep-until falls within the next days."""
    limit = timezone.now() + timedelta(days=within_days)
    return (
        EvidenceItem.objects.filter(
            organization=organization,
            status__in=[ItemStatus.AVAILABLE, ItemStatus.UNREADABLE],
            retain_until__lte=limit,
            legal_hold=False,
        )
        .exclude(cases__status=CaseStatus.OPEN)
        .exclude(cases__legal_hold=True)
        .distinct()
    )


def retention_organization(user: Any) -> Organization:
    """Return the organization whose retention the user keeps, or raise PermissionDenied."""
    return own_organization(user, RETENTION_KEEPERS)


def access_deletion_list(user: Any, pk: Any) -> DeletionList:
    """Return one deletion list of the user's own organization, or raise Http404."""
    return get_object_or_404(DeletionList, pk=pk, organization=retention_organization(user))


def retention_queues(user: Any, *, within_days: int = 30) -> dict[str, Any]:
    """Return what the retention page lists for the user's organization.

    ``upcoming``: due for deletion within the days; ``proposals``: deletion
    lists awaiting a custodian; ``held``: past their keep-until but kept by a
    hold or an open case; ``binned``: in the recovery bin; ``review``: due for
    review; ``uncategorised``: how many have no category (so no policy of
    their own).
    """
    org = retention_organization(user)
    now = timezone.now()
    due = due_for_deletion(org, within_days=within_days)
    own = EvidenceItem.objects.filter(organization=org)
    return {
        "upcoming": due.order_by("retain_until"),
        "proposals": DeletionList.objects.filter(
            organization=org, status=DeletionStatus.PROPOSED
        ).prefetch_related("items"),
        "held": own.filter(retain_until__lte=now + timedelta(days=within_days))
        .exclude(status__in=_GONE)
        .exclude(pk__in=due.values("pk")),
        "binned": own.filter(status=ItemStatus.IN_BIN),
        "review": own.filter(review_at__lte=now).exclude(status__in=_GONE),
        "uncategorised": own.filter(category__isnull=True).exclude(status__in=_GONE).count(),
    }


def upload_targets(user: Any) -> tuple[QuerySet[Case], QuerySet[Category]]:
    """Return the open cases and the categories of the user's organization, for an upload."""
    org = actor_of(user).organization_id or 0
    cases = Case.objects.restrict(user, Action.VIEW).filter(
        organization_id=org, status=CaseStatus.OPEN
    )
    return cases, Category.objects.restrict(user, Action.VIEW).filter(organization_id=org)


# What the reports count (scape.reports.indicators reads the vault only here).


def all_items() -> QuerySet[EvidenceItem]:
    """Return every evidence item, for counting."""
    return EvidenceItem.objects.select_related("organization")


def all_cases() -> QuerySet[Case]:
    """Return every case, for counting the shared ones through their grants."""
    return Case.objects.all()


def items_ingested_between(start: Any, end: Any) -> QuerySet[EvidenceItem]:
    """Return the items ingested in [start, end)."""
    return all_items().filter(ingested_at__gte=start, ingested_at__lt=end)


def items_shared_by(item_grants: QuerySet[Grant], case_grants: QuerySet[Grant]) -> QuerySet[Any]:
    """Return the items the grants shared: directly, or as part of a shared case."""
    return all_items().filter(
        Q(pk__in=item_grants.values("object_id")) | Q(cases__in=case_grants.values("object_id"))
    )


def items_exported_between(start: Any, end: Any) -> QuerySet[EvidenceItem]:
    """Return the items exported for a court in [start, end): in a court export (its
    custody event) or behind an external link made then (to the item or its case)."""
    exported = AuditEvent.objects.filter(
        action="vault.exported",
        object_type="vault.evidenceitem",
        time__gte=start,
        time__lt=end,
    ).values_list("object_id", flat=True)
    links = ExternalLink.objects.filter(created_at__gte=start, created_at__lt=end)
    return all_items().filter(
        Q(pk__in=[int(pk) for pk in exported if pk.isdigit()])
        | Q(pk__in=links.values("item"))
        | Q(cases__in=links.values("case"))
    )
