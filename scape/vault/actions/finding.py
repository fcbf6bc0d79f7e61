"""Describing items so that they are found again (title, notes, tags), a person's saved
searches, and work on many items at once (one audited action per item)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from scape.core import audit
from scape.core.access import access_object
from scape.core.choices import Action
from scape.vault.models import EvidenceItem, ItemTag, SavedSearch

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
