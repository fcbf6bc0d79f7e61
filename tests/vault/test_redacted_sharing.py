"""A partner shown "redacted copies only" never receives the original or a copy of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from scape.core.actions import do_share_record
from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.core.testing import IMMEDIATE_TASKS
from scape.vault import storage
from scape.vault.actions.ingest import do_ingest
from scape.vault.queries import redacted_only_for
from tests.vault.conftest import add_redacted

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(clip, lt_org, settings):
    settings.TASKS = IMMEDIATE_TASKS
    import scape.vault.tasks  # noqa: F401 - media production on ingest

    item = do_ingest(clip.open("rb"), name=clip.name, organization=lt_org).item
    add_redacted(item)  # stand-in for a rendered redaction
    return item


def _share(item, grantee, actor, *, redacted_only, download=True):
    return do_share_record(
        item,
        grantee=grantee,
        purpose="joint review",
        allow_download=download,
        redacted_only=redacted_only,
        expires_at=timezone.now() + timedelta(days=1),
        actor=actor,
    )


def _download(client, item):
    response = client.post(f"/vault/items/{item.pk}/download/", {"reason": "court hearing prep"})
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


def test_a_redacted_only_partner_gets_the_redacted_copy_and_no_thumbnail(
    client, item, lv_org, custodian, persona, logged_in
):
    partner = persona(lv_org, Role.OFFICER)
    _share(item, lv_org, custodian.user, redacted_only=True)
    assert redacted_only_for(partner.user, item)
    logged_in(partner)
    response, body = _download(client, item)
    assert response.status_code == 200 and body == b"redacted-copy-bytes" * 100
    assert response["X-Evidence-SHA256"] != item.sha256
    assert client.get(f"/vault/items/{item.pk}/thumbnail/").status_code == 404
    client.post(f"/vault/items/{item.pk}/play/", {"reason": "reviewing the redaction"})
    stream = client.get(f"/vault/items/{item.pk}/stream/")
    assert stream.status_code == 200
    assert b"".join(stream.streaming_content) == b"redacted-copy-bytes" * 100
    from scape.vault.models import RedactionSession

    session = RedactionSession.objects.create(item=item, status="review", created_by=custodian.user)
    assert (
        client.get(f"/vault/redactions/{session.pk}/").status_code == 404
    )  # shows original frames
    # Nor does the item's page list the session, its link or who made it.
    page = client.get(f"/vault/items/{item.pk}/").content.decode()
    assert f"/vault/redactions/{session.pk}/" not in page
    assert custodian.user.get_username() not in page.split('id="custody"')[0]
    logged_in(custodian)
    assert (
        f"/vault/redactions/{session.pk}/"
        in client.get(f"/vault/items/{item.pk}/").content.decode()
    )
    event = AuditEvent.objects.filter(action="vault.item_downloaded", object_id=str(item.pk)).last()
    assert event.subject_org == item.organization.code  # the owner sees it in their log


def test_a_full_share_or_the_owner_gets_the_original(
    client, item, lv_org, custodian, persona, logged_in
):
    partner = persona(lv_org, Role.OFFICER)
    _share(item, lv_org, custodian.user, redacted_only=True)
    _share(item, lv_org, custodian.user, redacted_only=False)
    assert not redacted_only_for(partner.user, item)
    assert not redacted_only_for(custodian.user, item)
    logged_in(partner)
    _response, body = _download(client, item)
    assert body[:64] == storage.evidence_storage().open(item.blob.storage_key).read(64)


def test_without_a_redacted_copy_a_redacted_only_partner_gets_nothing(
    client, clip, lt_org, lv_org, custodian, persona, logged_in
):
    bare = do_ingest(clip.open("rb"), name="other.mp4", organization=lt_org).item
    partner = persona(lv_org, Role.OFFICER)
    _share(bare, lv_org, custodian.user, redacted_only=True)
    logged_in(partner)
    response, _body = _download(client, bare)
    assert response.status_code == 404


def test_the_share_page_offers_redacted_only(client, item, lv_org, custodian, logged_in):
    logged_in(custodian)
    response = client.post(
        f"/vault/item/{item.pk}/share/",
        {
            "grantee": lv_org.pk,
            "purpose": "media request review",
            "expires_at": (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "redacted_only": "on",
        },
    )
    assert response.status_code == 302
    from scape.core.models import Grant

    assert Grant.objects.get().redacted_only is True
    assert "redacted copies only" in client.get(f"/vault/item/{item.pk}/share/").content.decode()


def test_a_redacted_only_partner_cannot_find_an_item_by_its_original_name_or_hash(
    client, item, lv_org, custodian, persona, logged_in
):
    partner = persona(lv_org, Role.OFFICER)
    _share(item, lv_org, custodian.user, redacted_only=True)
    stem = item.original_name.rsplit(".", 1)[0]
    page = logged_in(partner).get("/vault/", {"q": stem})
    assert page.status_code == 200 and item.original_name not in page.content.decode()
    assert list(page.context["page"]) == []  # the guess is not confirmed either
    assert list(logged_in(partner).get("/vault/", {"shared": "on"}).context["page"]) == [item]
    for search in (stem, item.sha256):
        found = logged_in(partner).get("/api/v1/vault/items/", {"search": search}).json()["results"]
        assert found == [], search
    # The owner still finds it by either.
    assert [i.pk for i in logged_in(custodian).get("/vault/", {"q": stem}).context["page"]] == [
        item.pk
    ]
    owner = logged_in(custodian).get("/api/v1/vault/items/", {"search": item.sha256}).json()
    assert [i["id"] for i in owner["results"]] == [item.pk]


def test_the_share_form_starts_with_redacted_copies_only_ticked(item, custodian, logged_in):
    import re

    html = logged_in(custodian).get(f"/vault/item/{item.pk}/share/").content.decode()
    box = re.search(r'<input[^>]*name="redacted_only"[^>]*>', html).group(0)
    assert "checked" in box
