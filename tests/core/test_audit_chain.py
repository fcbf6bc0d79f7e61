"""The audit log is a hash chain: intact, tamper-evident, append-only."""

from __future__ import annotations

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction

from scape.core import audit
from scape.core.choices import Role
from scape.core.models import GENESIS_HASH, AuditEvent, AuditImmutableError

pytestmark = pytest.mark.django_db


def _events(n: int) -> list[AuditEvent]:
    return [audit.record("test.event", object_type="test", object_id=i) for i in range(n)]


def _raw(sql: str, params: list) -> None:
    """Change the table behind the model's back, as an intruder with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER scape_audit_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER scape_audit_append_only")


def test_it_chains_each_event_to_the_previous_one():
    first, second, third = _events(3)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert audit.verify() == (3, None)
    assert audit.head() == third.hash


def test_it_names_the_first_altered_event():
    events = _events(5)
    _raw("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["edited", events[2].pk])
    _count, broken = audit.verify()
    assert broken is not None
    assert broken.event_id == events[2].pk
    assert "altered" in broken.problem


def test_it_detects_a_removed_event():
    events = _events(5)
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    _count, broken = audit.verify()
    assert broken is not None and broken.event_id == events[2].pk
    assert "removed or inserted" in broken.problem


def test_it_detects_an_inserted_event():
    events = _events(3)
    # A forgery that claims to follow event 2 (so, slipped in after it) forks the chain.
    forged = AuditEvent(time=events[1].time, action="test.forged", prev_hash=events[1].hash)
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)
    _count, broken = audit.verify()
    assert broken is not None
    assert broken.event_id == forged.pk


def test_it_refuses_changes_through_the_model_layer():
    event = _events(1)[0]
    event.reason = "edited"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="edited")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    assert audit.verify() == (1, None)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_it_refuses_raw_update_and_delete_in_postgresql():
    event = _events(1)[0]
    for sql in (
        "UPDATE core_auditevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises((InternalError, ProgrammingError, IntegrityError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert audit.verify() == (1, None)


def test_the_command_exits_0_when_intact_and_1_naming_the_event_when_not(capsys):
    events = _events(3)
    call_command("audit", "verify")
    assert "consistent" in capsys.readouterr().out
    _raw("UPDATE core_auditevent SET actor_username = %s WHERE id = %s", ["mallory", events[1].pk])
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert exc.value.returncode == 1
    assert f"event {events[1].pk}" in str(exc.value)


def test_an_action_that_rolls_back_leaves_no_event():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("test.rolled_back")
        raise RuntimeError
    assert not AuditEvent.objects.filter(action="test.rolled_back").exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                audit.record("test.concurrent", object_id=f"{n}-{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert audit.verify() == (60, None)


def test_many_events_appended_at_once_chain_like_single_ones(lt_org, persona):
    officer = persona(lt_org, Role.OFFICER, username="jonas")
    audit.record("vault.item_viewed", actor=officer.user, reason="before")
    batch = audit.record_many(
        ("vault.exported", {"actor": officer.user, "object_id": n, "reason": f"item {n}"})
        for n in range(5)
    )
    audit.record("vault.item_viewed", actor=officer.user, reason="after")
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.reason for e in events[-7:]] == ["before", *(f"item {n}" for n in range(5)), "after"]
    assert [e.pk for e in batch] == [e.pk for e in events[-6:-1]]
    assert all(e.actor_username == "jonas" for e in batch)
    count, broken = audit.verify()
    assert broken is None and count == len(events)
    assert audit.record_many([]) == []
