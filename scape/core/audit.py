"""Append events to the audit hash chain and verify it.

Each event stores the SHA-256 of the event before it. Appending takes a lock
(an advisory transaction lock on PostgreSQL; SQLite serialises writers with
IMMEDIATE transactions) so that two writers can never chain onto the same
previous event.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

from django.db import connection, models, transaction
from django.utils import timezone

from scape.core import context
from scape.core.access import actor_of
from scape.core.choices import Outcome, Role
from scape.core.models import GENESIS_HASH, HASHED_FIELDS, AuditEvent, canonical_bytes

# Arbitrary constant naming the audit chain's advisory lock on PostgreSQL.
_PG_LOCK_KEY = 0x5CA9E_A0D17


def lock_chain() -> None:
    """Take the chain's append lock for the rest of the current transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


class EventFields(TypedDict, total=False):
    """What an event may say besides its action (all optional)."""

    obj: models.Model | None
    object_type: str
    object_id: Any
    object_repr: str
    actor: Any
    outcome: str
    reason: str
    recipient: str
    details: dict[str, Any] | None
    ip: str | None


def _event(
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    actor: Any = None,
    outcome: str = Outcome.SUCCESS,
    reason: str = "",
    recipient: str = "",
    details: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Return an unsaved, unchained event, its actor and IP defaulting to the request's."""
    ctx = context.current()
    if actor is None and ctx is not None:
        actor = ctx.actor
    if ip is None and ctx is not None:
        ip = ctx.ip
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    subject_org = ""
    if obj is not None:
        owner = getattr(obj, "organization", None)
        subject_org = getattr(owner, "code", "") or ""
    who = actor_of(actor)
    username = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        username = actor.get_username()
    return AuditEvent(
        time=timezone.now(),
        actor_id=who.user_id,
        actor_username=username,
        actor_org=who.organization_code,
        subject_org=subject_org,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        object_repr=object_repr[:200],
        outcome=outcome,
        ip=ip,
        request_id=ctx.request_id if ctx else "",
        reason=reason,
        recipient=recipient[:200],
        details=details or {},
    )


def _append(events: list[AuditEvent]) -> list[AuditEvent]:
    """Chain the events onto the log's head, in order, under the lock; one INSERT for all."""
    with transaction.atomic():
        lock_chain()
        previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        previous = previous or GENESIS_HASH
        for event in events:
            event.prev_hash = previous
            event.hash = event.compute_hash()
            previous = event.hash
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            # In list order: ids ascend as the chain does (verify walks by id).
            AuditEvent.objects.bulk_create(events)
    return events


def record(action: str, **fields: Unpack[EventFields]) -> AuditEvent:
    """Append one event to the audit chain and return it.

    ``fields`` are those of :class:`EventFields`. The actor, IP and request id
    default to those of the current request or command (see
    scape.core.context). Runs inside the caller's transaction, so an action
    that rolls back leaves no event behind.
    """
    return _append([_event(action, **fields)])[0]


def record_many(entries: Iterable[tuple[str, EventFields]]) -> list[AuditEvent]:
    """Append several events, ``(action, fields)`` each as for :func:`record`, in one go.

    One lock, one read of the head and one INSERT, where an action that
    touches many records (a case shared, an export of many items) would
    otherwise take the chain lock once per record.
    """
    events = [_event(action, **fields) for action, fields in entries]
    return _append(events) if events else []


@dataclass(frozen=True)
class Break:
    """The first place where the chain does not hold."""

    event_id: int
    problem: str


def visible_events(user: Any) -> models.QuerySet[AuditEvent]:
    """Return the audit events an auditor may read: their organization's, all for a system admin.

    An event belongs to the organization that acted and to the one whose
    record it is about; anyone but an auditor gets PermissionDenied.
    """
    actor = actor_of(user).require({Role.AUDITOR})
    events = AuditEvent.objects.all()
    if Role.SYS_ADMIN in actor.roles:
        return events
    code = actor.organization_code
    return events.filter(models.Q(actor_org=code) | models.Q(subject_org=code))


def iter_events(batch: int = 5000) -> Iterator[dict[str, Any]]:
    """Yield every event in chain order as a dict of its id, hash and hashed fields.

    Plain values, not model instances: building 200,000 models cost the
    verifier a third of its time.
    """
    last_id = 0
    fields = ("id", "hash", *HASHED_FIELDS)
    while True:
        chunk = list(
            AuditEvent.objects.filter(id__gt=last_id).order_by("id").values(*fields)[:batch]
        )
        if not chunk:
            return
        yield from chunk
        last_id = chunk[-1]["id"]


def walk(positions: Iterable[int] = ()) -> tuple[int, Break | None, dict[int, str]]:
    """Walk the whole chain once.

    Return the number of events, the first break, and the hash of the event at
    each of ``positions`` (1 is the first event; 0, before any, is genesis),
    which is what checkpoints are held against.
    """
    wanted = set(positions)
    hashes_at = {0: GENESIS_HASH}
    prev = GENESIS_HASH
    count = 0
    broken: Break | None = None
    for event in iter_events():
        count += 1
        if broken is None:
            if event["prev_hash"] != prev:
                broken = Break(event["id"], "previous-hash link broken (event removed or inserted)")
            elif hashlib.sha256(canonical_bytes(event)).hexdigest() != event["hash"]:
                broken = Break(event["id"], "content does not match its hash (event altered)")
        prev = event["hash"]
        if count in wanted:
            hashes_at[count] = event["hash"]
    return count, broken, hashes_at


def verify() -> tuple[int, Break | None]:
    """Walk the chain; return the number of events and the first break."""
    count, broken, _hashes = walk()
    return count, broken


def head() -> str:
    """Return the hash of the newest event (anchor it outside the database)."""
    return AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
