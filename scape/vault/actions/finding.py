"""Describing items so that they are found again (title, notes, tags), a person's saved
searches, and work on many items at once (one audited action per item)."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from scape.core import audit
from scape.core.access import access_object, actor_of
from scape.core.choices import Action
from scape.core.models import Job
from scape.core.progress import enqueue_on_commit
from scape.vault.choices import ItemStatus
from scape.vault.models import BulkAction, Case, Category, EvidenceItem, ItemTag, SavedSearch

MAX_TAGS = 20
MAX_TAG_CHARS = 40


def clean_tags(raw: Any) -> list[str]:
    """Return tags from a comma-separated text or a list: trimmed, lower case, once each."""
    parts = raw if isinstance(raw, list | tuple) else re.split(r"[,;\n]", str(raw or ""))
    tags: dict[str, None] = {}
    for part in parts:
        tag = " ".join(str(part).split()).casefold()
        if tag:
            tags.setdefault(tag, None)
    too_long = [tag for tag in tags if len(tag) > MAX_TAG_CHARS]
    if too_long:
        raise ValidationError(
            {"tags": _("A tag has at most %(count)s characters.") % {"count": MAX_TAG_CHARS}}
        )
    if len(tags) > MAX_TAGS:
        raise ValidationError({"tags": _("At most %(count)s tags an item.") % {"count": MAX_TAGS}})
    return list(tags)


@transaction.atomic
def do_describe_item(
    item: EvidenceItem, *, actor: Any, title: str, notes: str, tags: Any
) -> EvidenceItem:
    """Set what an item shows: its title, notes and tags (the original never changes)."""
    item = access_object(EvidenceItem, actor, item.pk, Action.CHANGE)
    title = " ".join((title or "").split())
    if len(title) > 200:
        raise ValidationError({"title": _("At most %(limit)s characters.") % {"limit": 200}})
    notes = (notes or "").strip()
    wanted = clean_tags(tags)
    before = {
        "title": item.title,
        "notes": item.notes,
        "tags": sorted(item.tags.values_list("name", flat=True)),
    }
    item.title, item.notes = title, notes
    item.save(update_fields=["title", "notes"])
    add_tags(item, wanted, replace=True)
    after = {"title": title, "notes": notes, "tags": sorted(wanted)}
    changed = sorted(name for name in after if after[name] != before[name])
    if changed:
        audit.record(
            "vault.item_described",
            obj=item,
            actor=actor,
            details={"changed": changed, "tags": after["tags"]},
        )
    return item


def add_tags(item: EvidenceItem, tags: list[str], *, replace: bool = False) -> list[str]:
    """Give ``item`` the tags (clean ones); with ``replace``, drop the others. Return those added."""
    have = set(item.tags.values_list("name", flat=True))
    if replace:
        item.tags.exclude(name__in=tags).delete()
    new = [tag for tag in tags if tag not in have]
    ItemTag.objects.bulk_create([ItemTag(item=item, name=tag) for tag in new])
    return new


def do_save_search(user: Any, *, name: str, query: str) -> SavedSearch:
    """Keep the evidence search ``query`` (a query string) under ``name`` for ``user``."""
    name = " ".join((name or "").split())[:80]
    if not name:
        raise ValidationError({"name": _("Name the search.")})
    query = (query or "").lstrip("?")[:2000]
    try:
        with transaction.atomic():
            saved, _created = SavedSearch.objects.update_or_create(
                user=user, name=name, defaults={"query": query}
            )
    except IntegrityError as exc:  # two tabs saving the same name at once
        raise ValidationError({"name": _("A search with this name is already saved.")}) from exc
    return saved


def do_delete_search(user: Any, pk: Any) -> None:
    """Forget one of ``user``'s saved searches (another person's is never found)."""
    SavedSearch.objects.filter(user=user, pk=pk).delete()


# ---------------------------------------------------------------- many items at once

# What can be done to many items at once, and the Job title that says it.
BULK_OPS = {
    "categorise": gettext_noop("Set the category of %(count)s items"),
    "tag": gettext_noop("Tag %(count)s items"),
    "add_to_case": gettext_noop("Add %(count)s items to a case"),
    "hold": gettext_noop("Put %(count)s items on legal hold"),
    "release": gettext_noop("Release %(count)s items from legal hold"),
    "share": gettext_noop("Share %(count)s items with a partner"),
    "redact": gettext_noop("Start redacted copies of %(count)s items"),
}
MAX_BULK = 5000


def bulk_items(user: Any, *, ids: Any = None, query: Any = None) -> QuerySet[EvidenceItem]:
    """Return the items a bulk step works on: the chosen ids, or every item matching the
    evidence list's search ``query`` (a QueryDict) — only ever among those ``user`` sees."""
    from scape.vault.filtersets import ItemFilter
    from scape.vault.queries import get_items

    items = get_items(user).exclude(status=ItemStatus.DESTROYED)
    if query is not None:
        filterset = ItemFilter(query, queryset=items, request=SimpleNamespace(user=user))
        if not filterset.is_valid():
            return items.none()
        return filterset.qs
    wanted = [int(pk) for pk in (ids or []) if str(pk).isdigit()]
    return items.filter(pk__in=wanted)


def _bulk_options(user: Any, op: str, options: dict[str, Any]) -> dict[str, Any]:
    """Check what the bulk step needs before any item is touched; return it as JSON data."""
    from scape.directory.queries import partners_of
    from scape.vault.queries import get_cases

    own = actor_of(user).organization_id
    if op == "categorise":
        category = options.get("category")
        if category is not None and not Category.objects.filter(pk=category, organization=own):
            raise ValidationError({"category": _("Choose a category of your organization.")})
        return {"category": category}
    if op == "tag":
        tags = clean_tags(options.get("tags", ""))
        if not tags:
            raise ValidationError({"tags": _("Give at least one tag.")})
        return {"tags": tags}
    if op == "add_to_case":
        case = get_cases(user).filter(pk=options.get("case") or 0, organization=own).first()
        if case is None:
            raise ValidationError({"case": _("Choose a case of your organization.")})
        access_object(Case, user, case.pk, Action.CHANGE)
        return {"case": case.pk}
    if op in ("hold", "release"):
        reason = " ".join(str(options.get("reason") or "").split())
        if len(reason) < 5:
            raise ValidationError({"reason": _("Give a reason of at least five characters.")})
        return {"reason": reason}
    if op == "share":
        partner = partners_of(own).filter(pk=options.get("partner") or 0).first()
        if partner is None:
            raise ValidationError({"partner": _("Choose a partner organization.")})
        purpose = " ".join(str(options.get("purpose") or "").split())
        if len(purpose) < 5:
            raise ValidationError({"purpose": _("Say why the evidence is shared.")})
        days = int(options.get("days") or 30)
        if not 1 <= days <= 365:
            raise ValidationError({"days": _("Share for 1 to 365 days.")})
        return {
            "partner": partner.pk,
            "purpose": purpose,
            "days": days,
            "redacted_only": bool(options.get("redacted_only")),
            "allow_download": bool(options.get("allow_download")),
        }
    if op == "redact":
        return {}
    raise ValidationError({"op": _("Choose what to do with the items.")})


@transaction.atomic
def do_start_bulk(
    user: Any, *, op: str, options: dict[str, Any], ids: Any = None, query: Any = None
) -> Job:
    """Queue one step on many items (chosen, or all matching a search); return its Job.

    Nothing is checked per item here: the worker calls each item's own action,
    which checks the user's right to it and writes its audit event.
    """
    checked = _bulk_options(user, op, options)
    item_ids = list(
        bulk_items(user, ids=ids, query=query)
        .order_by("pk")
        .values_list("pk", flat=True)[: MAX_BULK + 1]
    )
    if not item_ids:
        raise ValidationError(_("Select at least one item."))
    if len(item_ids) > MAX_BULK:
        raise ValidationError(
            _("At most %(count)s items at once: narrow the search.") % {"count": MAX_BULK}
        )
    job = Job.objects.create(
        kind="vault.bulk",
        title=BULK_OPS[op],
        params={"count": len(item_ids)},
        organization_id=actor_of(user).organization_id,
        created_by=user,
    )
    BulkAction.objects.create(job=job, op=op, options=checked, item_ids=item_ids, created_by=user)
    audit.record(
        "vault.bulk_started",
        actor=user,
        details={"op": op, "count": len(item_ids), "job": job.pk, **checked},
    )
    from scape.vault.tasks import run_bulk

    enqueue_on_commit(run_bulk, job, job.pk)
    return job


def apply_bulk_step(op: str, options: dict[str, Any], item: EvidenceItem, actor: Any) -> None:
    """Do one item's part of a bulk step through the item's own action."""
    from scape.vault.actions import (
        do_add_to_case,
        do_set_category,
        do_set_item_hold,
        do_share_evidence,
    )
    from scape.vault.actions.redaction import RedactionError, do_start_redaction

    if op == "categorise":
        category = Category.objects.filter(pk=options.get("category") or 0).first()
        do_set_category(item, category, actor=actor)
    elif op == "tag":
        do_tag_item(item, options["tags"], actor=actor)
    elif op == "add_to_case":
        do_add_to_case(Case.objects.get(pk=options["case"]), item, actor=actor)
    elif op in ("hold", "release"):
        do_set_item_hold(item, op == "hold", reason=options["reason"], actor=actor)
    elif op == "share":
        from scape.directory.models import Organization

        do_share_evidence(
            item,
            actor=actor,
            grantee=Organization.objects.get(pk=options["partner"]),
            purpose=options["purpose"],
            expires_at=timezone.now() + timedelta(days=options["days"]),
            redacted_only=options["redacted_only"],
            allow_download=options["allow_download"],
        )
    elif op == "redact":
        # The redaction action leaves the right to its door (the page checks it): so here.
        item = access_object(EvidenceItem, actor, item.pk, Action.CHANGE)
        try:
            do_start_redaction(item, actor=actor)
        except RedactionError as exc:  # a still, a file not available: refused, counted
            raise ValidationError(str(exc)) from exc


@transaction.atomic
def do_tag_item(item: EvidenceItem, tags: list[str], *, actor: Any) -> list[str]:
    """Add tags to an item, keeping those it has; return the ones added."""
    item = access_object(EvidenceItem, actor, item.pk, Action.CHANGE)
    added = add_tags(item, clean_tags(tags))
    if added:
        audit.record(
            "vault.item_described",
            obj=item,
            actor=actor,
            details={"changed": ["tags"], "added": added},
        )
    return added
