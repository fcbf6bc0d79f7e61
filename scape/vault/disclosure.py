"""Which file of an evidence item leaves the vault: the original or its redacted copy.

Every path that hands evidence to a person (player, stream, download, court
export, external link, item page, API) asks this module, so that the rule of a
"redacted copies only" share is decided in one place:

* a recipient whose every active share of an item says "redacted copies only"
  (see :func:`scape.vault.queries.redacted_only_for`) is only ever given the
  newest redacted copy; without one they get nothing, never the original;
* a disclosure that asked for redacted copies (an export with "redacted" ticked,
  a link marked "redacted copies instead of originals") is refused whole, naming
  the items, when one of them has no redacted copy, rather than filling the gap
  with an original;
* what a redacted-only recipient reads about the file is the redacted copy's
  hash and size under a neutral name (``evidence-<number>-redacted.mp4``): the
  original's name often says who or where, and its hash identifies it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from scape.vault.choices import DerivativeKind, ItemStatus
from scape.vault.models import Derivative, EvidenceItem
from scape.vault.queries import redacted_only_for

ORIGINAL = "original"
REDACTED = "redacted"


@dataclass(frozen=True)
class Disclosed:
    """One file that may be handed out for an item."""

    role: str
    storage_key: str
    sha256: str
    size: int
    name: str
    content_type: str


class NotRedactedError(ValueError):
    """A disclosure of redacted copies only holds items without one."""

    def __init__(self, items: Iterable[EvidenceItem]) -> None:
        self.items = list(items)
        numbers = ", ".join(str(i.pk) for i in self.items)
        super().__init__(
            _(
                "Not every item has a redacted copy, and originals may not be given "
                "here. Make redacted copies of items %(numbers)s first, or leave them out."
            )
            % {"numbers": numbers}
        )


def newest_redacted(item: EvidenceItem) -> Derivative | None:
    """Return the item's newest redacted copy, if any."""
    # Prefetched derivatives (the API) are used without another query.
    cache = getattr(item, "_prefetched_objects_cache", {})
    if "derivatives" in cache:
        found = [d for d in cache["derivatives"] if d.kind == DerivativeKind.REDACTED]
        return max(found, key=lambda d: (d.created_at, d.pk), default=None)
    return item.derivatives.filter(kind=DerivativeKind.REDACTED).order_by("-created_at").first()


def redacted_name(item: EvidenceItem, stored_name: str) -> str:
    """Return the neutral name a redacted copy (stored as ``stored_name``) is handed out under."""
    ext = os.path.splitext(stored_name)[1].lower() or ".mp4"
    return f"evidence-{item.pk}-redacted{ext}"


def original_file(item: EvidenceItem) -> Disclosed | None:
    """Return the item's original, or None when its bytes are gone."""
    if item.blob is None or item.status in (ItemStatus.DESTROYED, ItemStatus.IN_BIN):
        return None
    return Disclosed(
        ORIGINAL,
        item.blob.storage_key,
        item.sha256,
        item.size,
        item.original_name,
        item.content_type or "application/octet-stream",
    )


def redacted_file(item: EvidenceItem) -> Disclosed | None:
    """Return the item's newest redacted copy, or None when there is none."""
    if item.status in (ItemStatus.DESTROYED, ItemStatus.IN_BIN):
        return None
    derivative = newest_redacted(item)
    if derivative is None:
        return None
    return Disclosed(
        REDACTED,
        derivative.storage_key,
        derivative.sha256,
        derivative.size,
        redacted_name(item, derivative.name),
        derivative.content_type or "video/mp4",
    )


def file_for(item: EvidenceItem, *, redacted: bool) -> Disclosed | None:
    """Return the redacted copy when ``redacted`` (never the original instead), else the original."""
    return redacted_file(item) if redacted else original_file(item)


def file_for_user(user: Any, item: EvidenceItem, *, asked: bool = False) -> Disclosed | None:
    """Return the file of the item that may go to ``user`` (None: nothing may).

    ``asked`` is the user's own choice of a redacted copy; the share's rule
    holds whatever the user chose.
    """
    return file_for(item, redacted=asked or redacted_only_for(user, item))


def files_for(
    items: Iterable[EvidenceItem], *, redacted: Any
) -> list[tuple[EvidenceItem, Disclosed]]:
    """Return the file of each item, or raise NotRedactedError naming every gap.

    ``redacted`` is a bool, or a function of the item that says whether that
    item must be redacted.
    """
    decide = redacted if callable(redacted) else (lambda _item: bool(redacted))
    out: list[tuple[EvidenceItem, Disclosed]] = []
    missing: list[EvidenceItem] = []
    for item in items:
        wanted = decide(item)
        found = file_for(item, redacted=wanted)
        if found is None:
            if wanted:
                missing.append(item)
            continue
        out.append((item, found))
    if missing:
        raise NotRedactedError(missing)
    return out
