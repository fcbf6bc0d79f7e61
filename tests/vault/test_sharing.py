"""Sharing across the border and external links for prosecutors and courts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from scape.core.actions import do_revoke_grant, do_share_record
from scape.core.choices import Role
from scape.core.models import AuditEvent, Grant
from scape.vault.actions import do_create_case, do_create_external_link
from scape.vault.actions.ingest import do_ingest
from scape.vault.models import EvidenceItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(clip, lt_org, custodian):
    case = do_create_case(
        organization=lt_org, reference="PAL-7", title="Beach theft", actor=custodian.user
    )
    do_ingest(clip.open("rb"), name=clip.name, organization=lt_org, case=case)
    return case


def test_a_partner_sees_a_shared_case_and_stops_after_revocation(
    client, case, lv_org, custodian, persona, logged_in
):
    item = case.items.get()
    partner = persona(lv_org, Role.OFFICER, username="janis")
    logged_in(partner)
    assert client.get(f"/vault/items/{item.pk}/").status_code == 404
    grant = do_share_record(
        case,
        grantee=lv_org,
        purpose="joint investigation",
        expires_at=timezone.now() + timedelta(days=3),
        actor=custodian.user,
    )
    listing = client.get("/vault/").content.decode()
    assert item.original_name in listing and "shared with us" in listing
    page = client.get(f"/vault/items/{item.pk}/").content.decode()
    assert "Shared with us by" in page
    assert client.get(f"/vault/cases/{case.pk}/").status_code == 200
    do_revoke_grant(grant, actor=custodian.user)
    assert client.get(f"/vault/items/{item.pk}/").status_code == 404
    assert item.original_name not in client.get("/vault/").content.decode()


def test_a_share_stops_at_its_expiry(case, lv_org, custodian, persona):
    item = case.items.get()
    partner = persona(lv_org, Role.OFFICER)
    do_share_record(
        item,
        grantee=lv_org,
        purpose="check",
        expires_at=timezone.now() + timedelta(hours=1),
        actor=custodian.user,
    )
    assert EvidenceItem.objects.restrict(partner.user, "view").filter(pk=item.pk).exists()
    Grant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not EvidenceItem.objects.restrict(partner.user, "view").filter(pk=item.pk).exists()


def test_sharing_by_page_is_audited_with_purpose_and_recipient(
    client, case, lv_org, custodian, logged_in
):
    logged_in(custodian)
    response = client.post(
        f"/vault/case/{case.pk}/share/",
        {
            "grantee": lv_org.pk,
            "purpose": "Joint operation Palanga-Liepāja",
            "expires_at": (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    item = case.items.get()
    event = AuditEvent.objects.get(action="vault.shared_with_case", object_id=str(item.pk))
    assert event.recipient == lv_org.code and event.reason == "Joint operation Palanga-Liepāja"


def test_volunteers_and_auditors_see_no_evidence(client, case, lt_org, persona, logged_in):
    item = case.items.get()
    for role in (Role.VOLUNTEER, Role.AUDITOR, Role.SPECIALIST):
        logged_in(persona(lt_org, role))
        assert client.get(f"/vault/items/{item.pk}/").status_code == 404
        assert item.original_name not in client.get("/vault/").content.decode()


def test_an_external_link_counts_downloads_expires_and_can_be_revoked(
    client, case, custodian, clip
):
    item = case.items.get()
    _link, token = do_create_external_link(
        item,
        recipient="Klaipėda district prosecutor",
        purpose="pre-trial investigation",
        expires_at=timezone.now() + timedelta(days=1),
        max_downloads=2,
        actor=custodian.user,
    )
    client.logout()
    page = client.get(f"/vault/x/{token}/")
    assert page.status_code == 200 and clip.name in page.content.decode()
    first = client.get(f"/vault/x/{token}/{item.pk}/")
    assert first.status_code == 200 and b"".join(first.streaming_content) == clip.read_bytes()
    assert client.get(f"/vault/x/{token}/{item.pk}/").status_code == 200
    assert client.get(f"/vault/x/{token}/{item.pk}/").status_code == 410  # limit reached
    downloads = AuditEvent.objects.filter(action="vault.link_downloaded", object_id=str(item.pk))
    assert downloads.count() == 2
    assert {e.recipient for e in downloads} == {"Klaipėda district prosecutor"}
    assert client.get("/vault/x/not-a-token/").status_code == 404


def test_a_revoked_or_expired_link_gives_nothing(client, case, custodian):
    from scape.vault.actions import do_revoke_link

    item = case.items.get()
    link, token = do_create_external_link(
        item,
        recipient="Court",
        purpose="hearing",
        expires_at=timezone.now() + timedelta(days=1),
        actor=custodian.user,
    )
    do_revoke_link(link, actor=custodian.user)
    assert client.get(f"/vault/x/{token}/").status_code == 410
    assert client.get(f"/vault/x/{token}/{item.pk}/").status_code == 410
    link2, token2 = do_create_external_link(
        item,
        recipient="Court",
        purpose="hearing",
        expires_at=timezone.now() + timedelta(days=1),
        actor=custodian.user,
    )
    type(link2).objects.filter(pk=link2.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/vault/x/{token2}/{item.pk}/").status_code == 410


def test_custody_history_exports_as_csv_and_pdf(client, case, custodian, logged_in):
    item = case.items.get()
    logged_in(custodian)
    csv = client.get(f"/vault/items/{item.pk}/custody.csv")
    assert csv.status_code == 200 and b"vault.ingested" in csv.content
    pdf = client.get(f"/vault/items/{item.pk}/custody.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_case_pages_open_and_export_a_case(client, lt_org, custodian, logged_in, clip):
    logged_in(custodian)
    response = client.post("/vault/cases/", {"reference": "LT-55", "title": "Pier vandalism"})
    assert response.status_code == 302
    duplicate = client.post("/vault/cases/", {"reference": "lt-55", "title": "Again"})
    assert "already exists" in duplicate.content.decode()
    case = custodian.organization.cases.get(reference="LT-55")
    do_ingest(clip.open("rb"), name=clip.name, organization=lt_org, case=case)
    no_reason = client.post(f"/vault/cases/{case.pk}/export/", {"reason": ""})
    assert no_reason.status_code == 302
    from tests.vault.test_exports import export_zip

    export = export_zip(client, case, {"reason": "hearing 2026-12-01", "recipient": "court"})
    assert export.status_code == 200 and export["Content-Type"] == "application/zip"
    assert b"".join(export.streaming_content)[:2] == b"PK"


def test_an_item_in_several_cases_shared_with_several_partners_opens_for_everyone(
    client, case, lt_org, lv_org, custodian, persona, logged_in
):
    from scape.core.testing import token_client
    from scape.directory.testing import make_org
    from scape.vault.actions import do_add_to_case

    item = case.items.get()
    second = do_create_case(
        organization=lt_org, reference="PAL-8", title="Same night", actor=custodian.user
    )
    third = do_create_case(
        organization=lt_org, reference="PAL-9", title="Follow-up", actor=custodian.user
    )
    do_add_to_case(second, item, actor=custodian.user)
    do_add_to_case(third, item, actor=custodian.user)
    liepaja = make_org("lv-municipal", country="LV")
    for shared in (case, second, third):
        for grantee in (lv_org, liepaja):
            do_share_record(
                shared,
                grantee=grantee,
                purpose="joint investigation",
                expires_at=timezone.now() + timedelta(days=3),
                actor=custodian.user,
            )
    partner = persona(liepaja, Role.OFFICER, username="ilze")
    for person in (custodian, partner):
        logged_in(person)
        assert client.get(f"/vault/items/{item.pk}/").status_code == 200
        assert client.get("/vault/").content.decode().count(f'/vault/items/{item.pk}/"') == 1
        api = token_client(person.user)
        assert api.get(f"/api/v1/vault/items/{item.pk}/").status_code == 200
        listing = api.get("/api/v1/vault/items/").json()
        assert [row["id"] for row in listing["results"]] == [item.pk]
        assert listing["count"] == 1
    logged_in(custodian)
    assert client.get(f"/vault/item/{item.pk}/share/").status_code == 200
