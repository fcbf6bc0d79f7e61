"""One step on many items: ticked or all matching a search, each through its own action and
audited, never reaching an item the user may not see."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import TestCase, override_settings
from django.utils import timezone

from scape.core.actions import do_share_record
from scape.core.choices import Role
from scape.core.models import AuditEvent, Grant, Job
from scape.core.testing import IMMEDIATE_TASKS
from scape.vault.actions import do_create_case
from scape.vault.actions.finding import do_describe_item
from scape.vault.models import EvidenceItem
from tests.vault.test_finding import _item

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(lt_org: Any, custodian: Any) -> list[EvidenceItem]:
    made = [_item(lt_org, f"cam-{n}.png") for n in range(4)]
    for item in made[:3]:
        do_describe_item(item, actor=custodian.user, title="Harbour brawl", notes="", tags="")
    return made


def _bulk(client: Any, **data: Any) -> Any:
    with override_settings(TASKS=IMMEDIATE_TASKS), TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/vault/bulk/", data)


def test_ticked_items_are_tagged_one_audited_event_each(
    items: list[EvidenceItem], custodian: Any, logged_in: Any
) -> None:
    client = logged_in(custodian)
    chosen = [items[0].pk, items[3].pk]
    answer = _bulk(client, op="tag", scope="selected", items=chosen, tags="harbour, night")
    assert answer.status_code == 302
    for item in items:
        names = set(item.tags.values_list("name", flat=True))
        assert names == ({"harbour", "night"} if item.pk in chosen else set())
    events = AuditEvent.objects.filter(action="vault.item_described", details__added__isnull=False)
    assert sorted(int(e.object_id) for e in events) == sorted(chosen)
    job = Job.objects.get(kind="vault.bulk")
    assert job.status == "succeeded" and job.shown_message == "Done for all 2 items."
    assert "Tag 2 items" in client.get("/vault/").content.decode()


def test_all_items_matching_a_search_are_put_on_hold(
    items: list[EvidenceItem], custodian: Any, logged_in: Any
) -> None:
    client = logged_in(custodian)
    _bulk(client, op="hold", scope="all", query="q=harbour+brawl", reason="court order 12")
    held = set(EvidenceItem.objects.filter(legal_hold=True).values_list("pk", flat=True))
    assert held == {item.pk for item in items[:3]}
    events = AuditEvent.objects.filter(action="vault.hold_set")
    assert sorted(int(e.object_id) for e in events) == sorted(i.pk for i in items[:3])
    assert {e.reason for e in events} == {"court order 12"}
    assert AuditEvent.objects.filter(action="vault.bulk_started").get().details["count"] == 3


def test_a_share_of_many_items_gives_each_its_own_grant(
    items: list[EvidenceItem], custodian: Any, lv_org: Any, logged_in: Any
) -> None:
    client = logged_in(custodian)
    _bulk(
        client,
        op="share",
        scope="selected",
        items=[items[0].pk, items[1].pk],
        partner=lv_org.pk,
        purpose="joint investigation",
        days=7,
        redacted_only="on",
    )
    grants = Grant.objects.filter(grantee=lv_org)
    assert sorted(g.object_id for g in grants) == sorted([items[0].pk, items[1].pk])
    assert all(g.redacted_only for g in grants)


def test_a_partner_never_reaches_an_item_not_shared_with_it(
    items: list[EvidenceItem], custodian: Any, lv_org: Any, persona: Any, logged_in: Any
) -> None:
    do_share_record(
        items[0],
        grantee=lv_org,
        purpose="review",
        expires_at=timezone.now() + timedelta(days=2),
        actor=custodian.user,
    )
    do_create_case(organization=lv_org, reference="LV-1", title="x", actor=custodian.user)
    partner = logged_in(persona(lv_org, Role.CUSTODIAN, username="lv-custodian"))
    # Ids of items it cannot see are not selectable at all.
    refused = _bulk(partner, op="tag", scope="selected", items=[items[1].pk], tags="mine")
    assert refused.status_code == 302
    assert not Job.objects.exists()
    # "All matching" covers only what it sees; the item's own rule then refuses the change.
    _bulk(partner, op="tag", scope="all", query="q=harbour", tags="mine")
    job = Job.objects.get()
    assert job.params["count"] == 1 and job.params["refused"] == 1
    assert not any(item.tags.exists() for item in items)


def test_a_partner_shown_an_item_cannot_start_its_redacted_copy_in_bulk(
    items: list[EvidenceItem], custodian: Any, lv_org: Any, persona: Any, logged_in: Any
) -> None:
    from scape.vault.models import RedactionSession

    do_share_record(
        items[0],
        grantee=lv_org,
        purpose="review",
        expires_at=timezone.now() + timedelta(days=2),
        actor=custodian.user,
    )
    partner = logged_in(persona(lv_org, Role.CUSTODIAN, username="lv-redactor"))
    _bulk(partner, op="redact", scope="selected", items=[items[0].pk])
    assert not RedactionSession.objects.exists()
    assert Job.objects.get(kind="vault.bulk").params["refused"] == 1


def test_redacted_copies_in_bulk_skip_what_is_no_video(
    items: list[EvidenceItem], custodian: Any, logged_in: Any
) -> None:
    client = logged_in(custodian)
    _bulk(client, op="redact", scope="selected", items=[items[0].pk, items[1].pk])
    job = Job.objects.get(kind="vault.bulk")
    assert job.status == "succeeded" and job.params["refused"] == 2  # stills: nothing to redact
