"""Retention deletes nothing silently: lists, confirmation, bin, holds, open cases."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.vault import storage
from scape.vault.actions import (
    destroy_expired,
    do_confirm_deletion,
    do_create_case,
    do_propose_deletion,
    do_restore_item,
    do_set_case_status,
    do_set_category,
    do_set_item_hold,
)
from scape.vault.actions.ingest import do_ingest
from scape.vault.models import Category, EvidenceItem, RetentionPolicy
from tests.vault.conftest import make_clip

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(tmp_path, lt_org):
    made = []
    for i in range(4):
        path = make_clip(tmp_path / f"clip{i}.mp4", seconds=0.3 + i * 0.1, audio=False)
        made.append(do_ingest(path.open("rb"), name=path.name, organization=lt_org).item)
    return made


def _expire(*items: EvidenceItem) -> None:
    EvidenceItem.objects.filter(pk__in=[i.pk for i in items]).update(
        retain_until=timezone.now() - timedelta(days=1)
    )


def test_the_longest_applicable_policy_wins_and_uncategorised_gets_the_default(
    lt_org, items, custodian
):
    item = items[0]
    RetentionPolicy.objects.create(organization=lt_org, keep_days=31)
    RetentionPolicy.objects.create(organization=lt_org, source_type="upload", keep_days=90)
    assault = Category.objects.create(
        organization=lt_org,
        code="assault",
        name_lt="Smurtas",
        name_lv="Vardarbība",
        name_en="Assault",
    )
    RetentionPolicy.objects.create(
        organization=lt_org, category=assault, keep_days=3650, review_days=730
    )
    start = item.recorded_at or item.ingested_at
    do_set_category(item, None, actor=custodian.user)
    item.refresh_from_db()
    assert (item.retain_until - start).days == 90  # default 31 and upload 90 apply: longest
    do_set_category(item, assault, actor=custodian.user)
    item.refresh_from_db()
    assert (item.retain_until - start).days == 3650 and (item.review_at - start).days == 730


def test_deletion_needs_a_custodians_confirmation_then_waits_in_the_bin(
    lt_org, items, custodian, persona, settings
):
    _expire(items[0], items[1])
    proposal = do_propose_deletion(lt_org)
    assert set(proposal.items.all()) == {items[0], items[1]}
    assert EvidenceItem.objects.filter(status="in_bin").count() == 0  # nothing moved yet
    officer = persona(lt_org, Role.OFFICER)
    with pytest.raises(ValidationError):
        do_confirm_deletion(proposal, actor=officer.user)
    binned = do_confirm_deletion(proposal, actor=custodian.user)
    assert {i.pk for i in binned} == {items[0].pk, items[1].pk}
    assert destroy_expired() == []  # still within the recovery period
    do_restore_item(
        EvidenceItem.objects.get(pk=items[1].pk),
        reason="court asked to keep it",
        actor=custodian.user,
    )
    EvidenceItem.objects.filter(pk=items[0].pk).update(
        destroy_after=timezone.now() - timedelta(seconds=1)
    )
    gone = destroy_expired()
    assert [i.pk for i in gone] == [items[0].pk]
    destroyed = EvidenceItem.objects.get(pk=items[0].pk)
    assert (
        destroyed.status == "destroyed"
        and destroyed.blob is None
        and destroyed.original_name == "—"
    )
    stored = storage.evidence_storage()
    assert not stored.exists(storage.original_key(items[0].sha256))
    event = AuditEvent.objects.get(action="vault.destroyed")
    assert event.details["sha256"] == items[0].sha256 and "clip0" not in str(event.details)
    assert EvidenceItem.objects.get(pk=items[1].pk).status == "available"


def test_an_item_on_hold_or_in_an_open_case_survives(lt_org, items, custodian):
    held, in_case, free, closed_case_item = items
    do_set_item_hold(held, True, reason="homicide investigation", actor=custodian.user)
    case = do_create_case(organization=lt_org, reference="K-1", title="Open", actor=custodian.user)
    case.items.add(in_case)
    closed = do_create_case(
        organization=lt_org, reference="K-2", title="Closed", actor=custodian.user
    )
    closed.items.add(closed_case_item)
    do_set_case_status(closed, "closed", actor=custodian.user)
    _expire(*items)
    proposal = do_propose_deletion(lt_org)
    assert set(proposal.items.all()) == {free, closed_case_item}
    # A hold placed after the list was made still protects the item.
    do_set_item_hold(free, True, reason="late request from prosecutor", actor=custodian.user)
    binned = do_confirm_deletion(proposal, actor=custodian.user)
    assert [i.pk for i in binned] == [closed_case_item.pk]
    assert AuditEvent.objects.filter(
        action="vault.deletion_skipped", object_id=str(free.pk)
    ).exists()
    EvidenceItem.objects.filter(status="in_bin").update(
        destroy_after=timezone.now() - timedelta(days=1)
    )
    EvidenceItem.objects.filter(pk__in=[held.pk, in_case.pk, free.pk]).update(
        status="in_bin", destroy_after=timezone.now() - timedelta(days=1)
    )
    destroyed = {i.pk for i in destroy_expired()}
    assert destroyed == {closed_case_item.pk}
    for survivor in (held, in_case, free):
        assert storage.evidence_storage().exists(storage.original_key(survivor.sha256))


def test_the_command_proposes_and_a_dry_run_changes_nothing(lt_org, items):
    _expire(items[0])
    out = io.StringIO()
    call_command("retention", "run", "--dry-run", stdout=out)
    assert f"would propose {items[0].pk}" in out.getvalue()
    assert not AuditEvent.objects.filter(action="vault.deletion_proposed").exists()
    call_command("retention", "run", stdout=(out := io.StringIO()))
    assert "await a custodian's confirmation" in out.getvalue()
    assert EvidenceItem.objects.get(pk=items[0].pk).status == "available"


def test_the_retention_page_lists_and_confirms(client, lt_org, items, custodian, logged_in):
    _expire(items[2])
    logged_in(custodian)
    page = client.get("/vault/retention/").content.decode()
    assert "clip2.mp4" in page
    client.post("/vault/retention/", {"op": "propose"})
    proposal = items[2].deletion_lists.get()
    client.post("/vault/retention/", {"op": "confirm", "list": proposal.pk})
    assert EvidenceItem.objects.get(pk=items[2].pk).status == "in_bin"
