"""Keyset ("next page") pagination for the big lists: reads, evidence, the audit log.

An offset page (``LIMIT 50 OFFSET 25000``) makes the database walk and throw
away every row before it, and the "page 3 of 4,812" beside it counts the
whole visible table on every request. A keyset page instead asks for the rows
that sort after the last row shown (``WHERE (time, id) < (t, n) ORDER BY time
DESC, id DESC LIMIT 51``), which an index on the sort order answers in the same
time on page 1 and page 5,000; the count is capped (``COUNT`` over at most
``cap + 1`` rows), so a list says "more than 10,000" rather than scanning a
million rows to say exactly how many.

The cursor is the sort key of a boundary row, base64url-encoded JSON. It
decides only where a page starts: the rows are still those of the caller's
restricted queryset, so a forged cursor shows nothing the user may not see.
A cursor that does not decode is treated as no cursor (the first page).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

#: The most rows a big list counts; past it the list says "more than CAP".
COUNT_CAP = 10_000


@dataclass
class KeysetPage:
    """One page of a big list, with the cursors of the pages beside it."""

    object_list: list[Any]
    next_cursor: str = ""
    previous_cursor: str = ""
    count: int = 0
    count_capped: bool = False

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_cursor)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def encode_cursor(values: Sequence[Any]) -> str:
    """Return the cursor of a row's sort key (dates as ISO 8601)."""
    payload = json.dumps(
        [v.isoformat() if hasattr(v, "isoformat") else v for v in values], separators=(",", ":")
    )
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, rows: QuerySet, order: Sequence[str]) -> list[Any] | None:
    """Return the sort key a cursor names, typed by the model's fields; None when it is not one."""
    if not cursor:
        return None
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(raw, list) or len(raw) != len(order):
        return None
    model = rows.model
    values = []
    for name, value in zip(order, raw, strict=True):
        model_field = model._meta.pk if name.lstrip("-") == "pk" else None
        model_field = model_field or model._meta.get_field(name.lstrip("-"))
        if value is None or isinstance(value, (list, dict)):
            return None
        try:
            values.append(model_field.to_python(value))
        except (ValidationError, TypeError, ValueError):
            return None
    return values


def _beyond(order: Sequence[str], values: Sequence[Any], *, forward: bool) -> Q:
    """Return the condition "sorts after ``values``" (``forward``) or "before" them.

    Lexicographic over the sort fields, plus a leading bound on the first
    field alone, which the index on that field can start its scan from.
    """
    condition = Q()
    for i, name in enumerate(order):
        descending = name.startswith("-")
        column = name.lstrip("-")
        lookup = "lt" if descending == forward else "gt"
        step = Q(**{f"{column}__{lookup}": values[i]})
        for earlier, value in zip(order[:i], values[:i], strict=True):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    first = order[0]
    bound = "lte" if first.startswith("-") == forward else "gte"
    return Q(**{f"{first.lstrip('-')}__{bound}": values[0]}) & condition


def _key(row: Any, order: Sequence[str]) -> list[Any]:
    return [getattr(row, name.lstrip("-")) for name in order]


def keyset_page(
    rows: QuerySet,
    order: Sequence[str],
    *,
    after: str = "",
    before: str = "",
    per_page: int = 50,
    count_cap: int = COUNT_CAP,
) -> KeysetPage:
    """Return the page of ``rows`` (sorted by ``order``, unique) after or before a cursor.

    ``order`` must end in a unique field (``pk``) so that no two rows share a
    key, and its fields must not be NULL. Without a cursor the first page is
    returned.
    """
    reverse = [name[1:] if name.startswith("-") else f"-{name}" for name in order]
    after_key = decode_cursor(after, rows, order)
    before_key = None if after_key is not None else decode_cursor(before, rows, order)
    if before_key is not None:
        found = list(
            rows.filter(_beyond(order, before_key, forward=False)).order_by(*reverse)[
                : per_page + 1
            ]
        )
        more_before = len(found) > per_page
        found = found[:per_page][::-1]
        previous = encode_cursor(_key(found[0], order)) if found and more_before else ""
        following = encode_cursor(before_key) if found else ""
        # Stepping back to the first page: its "previous" link disappears.
    else:
        query = rows.order_by(*order)
        if after_key is not None:
            query = query.filter(_beyond(order, after_key, forward=True))
        found = list(query[: per_page + 1])
        more = len(found) > per_page
        found = found[:per_page]
        following = encode_cursor(_key(found[-1], order)) if more else ""
        previous = encode_cursor(_key(found[0], order)) if after_key is not None and found else ""
    counted = rows.order_by().values("pk")[: count_cap + 1].count()
    return KeysetPage(
        object_list=found,
        next_cursor=following,
        previous_cursor=previous,
        count=min(counted, count_cap),
        count_capped=counted > count_cap,
    )
