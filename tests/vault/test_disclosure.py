"""Every way out of the vault obeys "redacted copies only": no original byte, name or hash."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from scape.core.actions import do_share_record
from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.core.testing import IMMEDIATE_TASKS
from scape.vault import storage
from scape.vault.actions import do_add_to_case, do_create_case, do_create_external_link
from scape.vault.actions.ingest import do_ingest
from scape.vault.choices import DerivativeKind
from tests.vault.conftest import add_redacted, make_clip

pytestmark = pytest.mark.django_db

REDACTED_BYTES = b"redacted-copy-bytes" * 100


def _add_redacted(item):
    return add_redacted(item, REDACTED_BYTES, name=f"{item.original_name}-redacted.mp4")


@pytest.fixture
def case(tmp_path, lt_org, custodian, settings):
    settings.TASKS = IMMEDIATE_TASKS
    case = do_create_case(
        organization=lt_org, reference="LT-77", title="Pier fight", actor=custodian.user
    )
    for seconds, name in ((1.0, "jonas-petraitis-home.mp4"), (1.5, "second-cam.mp4")):
        clip = make_clip(tmp_path / name, seconds=seconds)
        item = do_ingest(clip.open("rb"), name=name, organization=lt_org).item
        do_add_to_case(case, item, actor=custodian.user)
    return case


def _share(target, grantee, actor, *, redacted_only):
    return do_share_record(
        target,
        grantee=grantee,
        purpose="joint review",
        allow_download=True,
        redacted_only=redacted_only,
        expires_at=timezone.now() + timedelta(days=1),
        actor=actor,
    )


def _export(client, case, **extra):
    """Ask for the export; return the ZIP's download when a worker built one, else the answer."""
    from tests.vault.test_exports import export_zip

    data = {"reason": "hearing 2026-12-01", "recipient": "Liepāja court", **extra}
    return export_zip(client, case, data)


def _originals(case):
    return {i.sha256: i for i in case.items.all()}


def test_it_refuses_a_redacted_only_partners_export_while_an_item_lacks_a_redacted_copy(
    client, case, lv_org, custodian, persona, logged_in
):
    first = case.items.order_by("pk").first()
    _add_redacted(first)
    _share(case, lv_org, custodian.user, redacted_only=True)
    logged_in(persona(lv_org, Role.OFFICER))
    response = _export(client, case)  # "redacted" not ticked: the share decides
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    second = case.items.order_by("pk").last()
    assert any("redacted copy" in m and str(second.pk) in m for m in messages)
    assert not AuditEvent.objects.filter(action="vault.exported").exists()


def test_a_redacted_only_partners_export_holds_no_original_byte_name_or_hash(
    client, case, lv_org, custodian, persona, logged_in
):
    for item in case.items.all():
        _add_redacted(item)
    _share(case, lv_org, custodian.user, redacted_only=True)
    logged_in(persona(lv_org, Role.OFFICER))
    response = _export(client, case)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = archive.namelist()
        contents = {n: archive.read(n) for n in names}
    for sha, item in _originals(case).items():
        original = storage.evidence_storage().open(item.blob.storage_key).read()
        for name, data in contents.items():
            assert original[:4096] not in data, name
            assert sha.encode() not in data, name
            assert item.original_name.encode() not in data, name
        assert not any("jonas" in n for n in names)
    assert sum(data == REDACTED_BYTES for data in contents.values()) == 2


def test_the_owner_who_ticks_redacted_is_refused_for_items_without_a_copy(
    client, case, custodian, logged_in
):
    logged_in(custodian)
    response = _export(client, case, redacted="on")
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="vault.exported").exists()
    plain = _export(client, case)
    assert plain.status_code == 200  # the owner may still export the originals


def _zip_of(response):
    assert response.status_code == 200, [str(m) for m in response.wsgi_request._messages]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return archive, json.loads(archive.read("manifest.json"))


def test_the_case_page_asks_what_to_do_with_each_item_without_a_redacted_copy(
    client, case, custodian, logged_in
):
    first, second = case.items.order_by("pk")
    _add_redacted(first)
    page = logged_in(custodian).get(case.get_absolute_url()).content.decode()
    choices = page.split('data-testid="export-choices"')[1].split("</fieldset>")[0]
    assert f'name="item-{second.pk}"' in choices
    assert f'name="item-{first.pk}"' not in choices  # it has its copy
    assert 'value="original"' in choices and 'value="leave"' in choices
    refused = _export(client, case, redacted="on")
    message = " ".join(str(m) for m in refused.wsgi_request._messages)
    assert str(second.pk) in message and "choose" in message


def test_an_exporter_puts_in_one_original_by_choice_and_the_export_says_so(
    client, case, custodian, logged_in
):
    first, second = case.items.order_by("pk")
    _add_redacted(first)
    logged_in(custodian)
    archive, manifest = _zip_of(
        _export(client, case, redacted="on", **{f"item-{second.pk}": "original"})
    )
    roles = {f["item"]: f["role"] for f in manifest["files"] if f["path"].startswith("evidence/")}
    assert roles == {first.pk: "redacted", second.pk: "original"}
    assert manifest["originals_by_choice"] == [second.pk] and manifest["left_out"] == []
    readme = archive.read("README.txt").decode()
    assert f"Items {second.pk} had none" in readme and "unredacted" in readme
    event = AuditEvent.objects.get(action="vault.exported", object_id=str(second.pk))
    assert event.details["file"] == "original" and event.details["by_choice"] is True


def test_an_item_left_out_by_choice_is_not_in_the_export_and_the_readme_names_it(
    client, case, custodian, logged_in
):
    first, second = case.items.order_by("pk")
    _add_redacted(first)
    logged_in(custodian)
    archive, manifest = _zip_of(
        _export(client, case, redacted="on", **{f"item-{second.pk}": "leave"})
    )
    held = {f.get("item") for f in manifest["files"]}
    assert second.pk not in held and first.pk in held
    assert manifest["left_out"] == [second.pk]
    assert f"Items {second.pk} of the case are left out" in archive.read("README.txt").decode()
    original = storage.evidence_storage().open(second.blob.storage_key).read()
    assert all(original[:4096] not in archive.read(n) for n in archive.namelist())
    assert not AuditEvent.objects.filter(action="vault.exported", object_id=str(second.pk))


def test_a_redacted_only_partner_cannot_choose_an_original(
    client, case, lv_org, custodian, persona, logged_in
):
    first, second = case.items.order_by("pk")
    _add_redacted(first)
    _share(case, lv_org, custodian.user, redacted_only=True)
    partner = logged_in(persona(lv_org, Role.OFFICER))
    page = partner.get(case.get_absolute_url()).content.decode()
    choices = page.split('data-testid="export-choices"')[1].split("</fieldset>")[0]
    assert 'value="original"' not in choices and 'value="leave"' in choices
    refused = _export(client, case, **{f"item-{second.pk}": "original"})
    assert refused.status_code == 302
    assert not AuditEvent.objects.filter(action="vault.exported").exists()
    _archive, manifest = _zip_of(_export(client, case, **{f"item-{second.pk}": "leave"}))
    assert {f["role"] for f in manifest["files"] if f["path"].startswith("evidence/")} == {
        "redacted"
    }


def test_the_command_line_export_takes_the_same_choices(case, custodian, tmp_path):
    from django.core.management import CommandError, call_command

    first, second = case.items.order_by("pk")
    _add_redacted(first)
    out = tmp_path / "case.zip"
    with pytest.raises(CommandError, match=str(second.pk)):
        call_command("export", case.reference, out=str(out), redacted=True)
    assert not out.exists()
    call_command("export", case.reference, out=str(out), redacted=True, leave_out=[second.pk])
    manifest = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    assert manifest["left_out"] == [second.pk]
    with pytest.raises(CommandError, match="999999"):
        call_command("export", case.reference, out=str(out), redacted=True, original=[999999])


def test_a_redacted_link_cannot_be_made_while_an_item_lacks_a_redacted_copy(case, custodian):
    with pytest.raises(ValidationError) as caught:
        do_create_external_link(
            case,
            recipient="Prosecutor",
            purpose="charges",
            expires_at=timezone.now() + timedelta(days=3),
            use_redacted=True,
            actor=custodian.user,
        )
    assert "use_redacted" in caught.value.message_dict


def test_a_redacted_link_serves_the_copy_never_the_original(client, case, custodian):
    for item in case.items.all():
        _add_redacted(item)
    _link, token = do_create_external_link(
        case,
        recipient="Prosecutor",
        purpose="charges",
        expires_at=timezone.now() + timedelta(days=3),
        use_redacted=True,
        actor=custodian.user,
    )
    page = client.get(reverse("vault:public_link", args=[token])).content.decode()
    for sha, item in _originals(case).items():
        assert sha not in page and item.original_name not in page
    item = case.items.order_by("pk").first()
    download = client.get(reverse("vault:public_download", args=[token, item.pk]))
    assert b"".join(download.streaming_content) == REDACTED_BYTES
    # The copy is removed afterwards: the link now gives nothing rather than the original.
    item.derivatives.filter(kind=DerivativeKind.REDACTED).delete()
    again = client.get(reverse("vault:public_download", args=[token, item.pk]))
    assert again.status_code == 404
    assert client.get(reverse("vault:public_link", args=[token])).status_code == 409


def test_a_redacted_only_partner_reads_neither_the_originals_name_nor_its_hash(
    client, case, lv_org, custodian, persona, logged_in
):
    item = case.items.order_by("pk").first()
    _add_redacted(item)
    _share(item, lv_org, custodian.user, redacted_only=True)
    logged_in(persona(lv_org, Role.OFFICER))
    pages = [
        client.get(f"/vault/items/{item.pk}/").content.decode(),
        client.get("/vault/items/").content.decode(),
        client.get(f"/vault/items/{item.pk}/custody/csv/").content.decode(),
        client.get(f"/vault/items/{item.pk}/download/").content.decode(),
        client.get(f"/api/v1/vault/items/{item.pk}/").content.decode(),
        client.get("/api/v1/vault/items/").content.decode(),
        client.get(f"/api/v1/vault/items/{item.pk}/custody/").content.decode(),
    ]
    for text in pages:
        assert item.original_name not in text
        assert item.sha256 not in text
    assert hashlib.sha256(REDACTED_BYTES).hexdigest() in pages[0]
    assert "reason" not in pages[2].splitlines()[0]


def test_opening_an_item_is_recorded_in_its_custody(client, case, custodian, logged_in):
    item = case.items.first()
    logged_in(custodian)
    client.get(f"/vault/items/{item.pk}/")
    client.get(f"/api/v1/vault/items/{item.pk}/")
    viewed = AuditEvent.objects.filter(action="vault.item_viewed", object_id=str(item.pk))
    assert viewed.count() == 2


def test_evidence_pages_and_api_answers_are_not_kept_by_caches(client, case, custodian, logged_in):
    from rest_framework.authtoken.models import Token

    item = case.items.first()
    logged_in(custodian)
    for url in (f"/vault/items/{item.pk}/", "/vault/items/", f"/vault/cases/{case.pk}/"):
        assert "no-store" in client.get(url)["Cache-Control"], url
    client.logout()
    token = Token.objects.create(user=custodian.user).key
    api = client.get(f"/api/v1/vault/items/{item.pk}/", HTTP_AUTHORIZATION=f"Token {token}")
    assert api.status_code == 200 and "no-store" in api["Cache-Control"]
