"""Signed checkpoints, kept by the partners, expose a shortened, wiped or rewritten log."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import InternalError, ProgrammingError, connection, transaction

from scape.core import audit, checkpoints
from scape.core.models import GENESIS_HASH, AuditCheckpoint, AuditEvent
from scape.directory.testing import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(db):
    return [make_org("lt-police", country="LT"), make_org("lv-police", country="LV")]


def _events(n: int) -> list[AuditEvent]:
    return [audit.record("test.event", object_type="test", object_id=i) for i in range(n)]


def _raw(*statements: tuple[str, list]) -> None:
    """Change the tables behind the model's back, as an intruder with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE core_auditcheckpoint DISABLE TRIGGER USER")
        for sql, params in statements:
            cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
            cursor.execute("ALTER TABLE core_auditcheckpoint ENABLE TRIGGER USER")


def _verify() -> str:
    """Run `scape audit verify` and return what it said; raise CommandError on a problem."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except CommandError as exc:
        raise CommandError(f"{exc}\n{err.getvalue()}") from exc
    return out.getvalue()


def _rewrite_all(reason: str) -> None:
    """Rewrite every event with new content and recomputed hashes: a consistent forgery."""
    rows = list(AuditEvent.objects.order_by("id"))
    prev = GENESIS_HASH
    statements = []
    for event in rows:
        event.reason = reason
        event.prev_hash = prev
        event.hash = event.compute_hash()
        prev = event.hash
        statements.append(
            (
                "UPDATE core_auditevent SET reason = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [reason, event.prev_hash, "t" + event.hash[1:], event.pk],
            )
        )
    # Two passes so the unique hash column never collides midway.
    statements += [
        ("UPDATE core_auditevent SET hash = %s WHERE id = %s", [e.hash, e.pk]) for e in rows
    ]
    _raw(*statements)


def test_it_signs_the_head_for_every_organization_and_gives_each_partner_a_copy(partners, _witness):
    _events(3)
    call_command("audit", "checkpoint", stdout=io.StringIO())
    assert AuditCheckpoint.objects.count() == 2
    copies = sorted(p.relative_to(_witness).parts[:2] for p in _witness.glob("*/*/*.json"))
    assert copies == [
        ("lt-police", "lt-police"),
        ("lt-police", "lv-police"),
        ("lv-police", "lt-police"),
        ("lv-police", "lv-police"),
    ]
    data = json.loads(next(_witness.glob("lv-police/lt-police/*.json")).read_text())
    data.pop("format")
    assert data["count"] == 3 and checkpoints.signature_ok(checkpoints.Statement(**data))
    assert "consistent with" in _verify()


def test_it_names_the_removal_of_the_last_events(partners):
    events = _events(5)
    checkpoints.make_checkpoints()
    _raw(("DELETE FROM core_auditevent WHERE id >= %s", [events[3].pk]))
    # What is left is a chain consistent in itself: only the checkpoint shows the loss.
    assert audit.verify()[1] is None
    with pytest.raises(CommandError, match="removed from the end"):
        _verify()


def test_it_names_a_wipe_even_when_the_checkpoint_table_went_with_it(partners):
    _events(4)
    checkpoints.make_checkpoints()
    _raw(("DELETE FROM core_auditevent", []), ("DELETE FROM core_auditcheckpoint", []))
    with pytest.raises(CommandError, match="wiped") as caught:
        _verify()
    assert "copy kept by lv-police" in str(caught.value)


def test_it_names_a_rewrite_with_recomputed_hashes(partners):
    _events(4)
    checkpoints.make_checkpoints()
    _rewrite_all("nothing happened")
    assert audit.verify()[1] is None
    with pytest.raises(CommandError, match="rewritten"):
        _verify()


def test_new_events_chaining_from_genesis_after_a_wipe_do_not_pass(partners):
    _events(3)
    checkpoints.make_checkpoints()
    _raw(("DELETE FROM core_auditevent", []))
    _events(5)  # more events than the checkpoint counted, from genesis again
    with pytest.raises(CommandError, match="rewritten"):
        _verify()


def test_a_checkpoint_copy_with_a_forged_signature_is_named(partners, _witness):
    _events(2)
    checkpoints.make_checkpoints()
    copy = next(_witness.glob("lt-police/lv-police/*.json"))
    data = json.loads(copy.read_text())
    data["count"] = 1
    copy.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="valid signature"):
        _verify()


def test_without_any_checkpoint_verify_says_what_it_cannot_rule_out(partners):
    _events(2)
    assert "cannot be ruled out" in _verify()


def test_the_worker_schedule_makes_checkpoints():
    from scape.core import schedule

    assert "core.audit_checkpoint" in schedule.REGISTRY


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_truncate_is_refused_on_postgresql(partners):
    _events(2)
    with connection.cursor() as cursor:
        cursor.execute("SET scape.allow_truncate = 'off'")
        try:
            for table in ("core_auditevent", "core_auditcheckpoint"):
                with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
                    cursor.execute(f"TRUNCATE {table}")
        finally:
            cursor.execute("SET scape.allow_truncate = 'on'")
    assert AuditEvent.objects.count() >= 2
