"""Resumable upload (tus 1.0) through the browser endpoint: session login, CSRF header."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.core.testing import IMMEDIATE_TASKS, login
from scape.vault import storage
from scape.vault.actions import uploads
from scape.vault.actions.ingest import do_ingest
from scape.vault.actions.uploads import expire_uploads
from scape.vault.models import EvidenceItem, Upload

pytestmark = pytest.mark.django_db

ENDPOINT = "/vault/uploads/"
TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}
OCTETS = "application/offset+octet-stream"


@pytest.fixture(autouse=True)
def _tasks_inline(settings: Any) -> None:
    settings.TASKS = IMMEDIATE_TASKS


def metadata(**pairs: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in pairs.items())


def create(
    client: Client, length: int, name: str = "bodycam.mp4", endpoint: str = ENDPOINT, **extra: Any
) -> Any:
    return client.post(
        endpoint,
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=metadata(filename=name),
        **TUS,
        **extra,
    )


def patch(client: Client, url: str, data: bytes, offset: int, **extra: Any) -> Any:
    return client.generic(
        "PATCH", url, data, content_type=OCTETS, HTTP_UPLOAD_OFFSET=str(offset), **TUS, **extra
    )


def head(client: Client, url: str, **extra: Any) -> Any:
    return client.head(url, **TUS, **extra)


def checksum(data: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(data).digest()).decode()


def staged(upload_url: str) -> Path:
    upload = Upload.objects.get(pk=upload_url.rstrip("/").rsplit("/", 1)[1])
    return storage.staging_dir() / upload.staging_name


class Interrupted:
    """A request body whose client goes away after `data` (the socket is reset)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        if not self.data:
            raise ConnectionResetError("client went away")
        size = len(self.data) if size < 0 else size
        chunk, self.data = self.data[:size], self.data[size:]
        return chunk

    readline = read


@pytest.fixture
def uploader(custodian: Any, logged_in: Any) -> Client:
    return logged_in(custodian)


def test_it_answers_options_with_what_it_supports(uploader):
    response = uploader.options(ENDPOINT)
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) >= {"creation", "termination", "checksum"}
    assert response["Tus-Checksum-Algorithm"] == "sha256"
    assert int(response["Tus-Max-Size"]) > 0


def test_it_uploads_a_file_in_chunks_and_ingests_it(uploader, clip, custodian):
    data = clip.read_bytes()
    response = create(uploader, len(data), name=clip.name)
    assert response.status_code == 201
    url = response["Location"]
    assert response["Upload-Offset"] == "0" and "Upload-Expires" in response
    half = len(data) // 2
    first = patch(uploader, url, data[:half], 0, HTTP_UPLOAD_CHECKSUM=checksum(data[:half]))
    assert first.status_code == 204 and first["Upload-Offset"] == str(half)
    last = patch(uploader, url, data[half:], half)
    assert last.status_code == 204 and last["Upload-Offset"] == str(len(data))
    assert last["Upload-Result"] == "new"
    state = uploader.get(url).json()
    assert state["result"] == "new" and state["status"] == "complete"
    item = EvidenceItem.objects.get(pk=state["item"])
    assert state["item_url"] == item.get_absolute_url()
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.original_name == clip.name and item.ingested_by == custodian.user
    assert not staged(url).exists()  # linked into place, nothing left in staging
    assert AuditEvent.objects.filter(action="vault.ingested", object_id=str(item.pk)).exists()
    assert AuditEvent.objects.filter(action="vault.upload_started").exists()


def test_it_resumes_a_broken_upload_from_the_last_received_byte(uploader, clip):
    data = clip.read_bytes()
    url = create(uploader, len(data), name=clip.name)["Location"]
    received = len(data) // 3
    # The client announces the whole file, then its connection breaks after a third.
    patch(uploader, url, data, 0, **{"wsgi.input": Interrupted(data[:received])})
    offset = int(head(uploader, url)["Upload-Offset"])
    assert offset == received
    assert staged(url).read_bytes() == data[:received]
    response = patch(uploader, url, data[offset:], offset)
    assert response.status_code == 204
    item = EvidenceItem.objects.get(pk=uploader.get(url).json()["item"])
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    stored = storage.evidence_storage().path(storage.original_key(item.sha256))
    assert hashlib.sha256(Path(stored).read_bytes()).hexdigest() == item.sha256


def test_a_wrong_offset_is_409_and_writes_nothing(uploader):
    url = create(uploader, 1000)["Location"]
    patch(uploader, url, b"a" * 100, 0)
    response = patch(uploader, url, b"b" * 100, 300)
    assert response.status_code == 409
    assert response["Upload-Offset"] == "100"
    assert "100" in response.json()["detail"]
    assert head(uploader, url)["Upload-Offset"] == "100"
    assert staged(url).read_bytes() == b"a" * 100


def test_a_bad_checksum_is_460_and_appends_nothing(uploader):
    url = create(uploader, 1000)["Location"]
    patch(uploader, url, b"a" * 100, 0)
    response = patch(uploader, url, b"b" * 100, 100, HTTP_UPLOAD_CHECKSUM=checksum(b"c" * 100))
    assert response.status_code == 460
    assert "checksum" in response.json()["detail"]
    assert head(uploader, url)["Upload-Offset"] == "100"
    assert staged(url).read_bytes() == b"a" * 100


def test_an_unknown_checksum_algorithm_is_400(uploader):
    url = create(uploader, 1000)["Location"]
    response = patch(uploader, url, b"a" * 10, 0, HTTP_UPLOAD_CHECKSUM="md5 AAAA")
    assert response.status_code == 400 and "sha256" in response.json()["detail"]


def test_a_file_over_the_limit_is_413_with_a_message(uploader, settings):
    settings.SCAPE_MAX_EVIDENCE_BYTES = 1024 * 1024
    response = create(uploader, 5 * 1024 * 1024)
    assert response.status_code == 413
    assert "larger than the limit of 1.0" in response.json()["detail"]
    assert not Upload.objects.exists()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("report.pdf", "not an accepted evidence file type"),
        ("../evil.mp4", "path separators"),
        ("", "empty"),
        ("track.gpx", "telemetry"),
    ],
)
def test_a_bad_name_is_400_before_any_byte_is_sent(uploader, name, reason):
    response = create(uploader, 100, name=name)
    assert response.status_code == 400
    assert reason in response.json()["detail"]
    assert not Upload.objects.exists()
    assert not list(storage.staging_dir().glob("tus-*"))


def test_bad_metadata_or_length_is_400(uploader):
    bad_meta = uploader.post(
        ENDPOINT, HTTP_UPLOAD_LENGTH="10", HTTP_UPLOAD_METADATA="filename !!!", **TUS
    )
    assert bad_meta.status_code == 400
    bad_length = uploader.post(
        ENDPOINT, HTTP_UPLOAD_LENGTH="-5", HTTP_UPLOAD_METADATA=metadata(filename="a.mp4"), **TUS
    )
    assert bad_length.status_code == 400
    no_length = uploader.post(ENDPOINT, HTTP_UPLOAD_METADATA=metadata(filename="a.mp4"), **TUS)
    assert no_length.status_code == 400
    assert not Upload.objects.exists()


def test_an_unknown_case_is_refused_at_creation(uploader):
    response = uploader.post(
        ENDPOINT,
        HTTP_UPLOAD_LENGTH="10",
        HTTP_UPLOAD_METADATA=metadata(filename="a.mp4", case="NOPE-1"),
        **TUS,
    )
    assert response.status_code == 400 and "NOPE-1" in response.json()["detail"]


def test_it_needs_the_tus_version_header(uploader):
    response = uploader.post(
        ENDPOINT, HTTP_UPLOAD_LENGTH="10", HTTP_UPLOAD_METADATA=metadata(filename="a.mp4")
    )
    assert response.status_code == 412 and response["Tus-Version"] == "1.0.0"


def test_a_chunk_must_be_sent_as_offset_octet_stream(uploader):
    url = create(uploader, 100)["Location"]
    response = uploader.generic(
        "PATCH", url, b"x" * 10, content_type="text/plain", HTTP_UPLOAD_OFFSET="0", **TUS
    )
    assert response.status_code == 415


def test_a_chunk_past_the_declared_length_is_refused(uploader):
    url = create(uploader, 10)["Location"]
    assert patch(uploader, url, b"x" * 11, 0).status_code == 400
    assert head(uploader, url)["Upload-Offset"] == "0"


def test_another_user_cannot_see_or_append_to_an_upload(uploader, lt_org, persona):
    url = create(uploader, 100)["Location"]
    colleague = login(Client(), persona(lt_org, Role.CUSTODIAN).user)
    assert head(colleague, url).status_code == 404
    assert colleague.get(url).status_code == 404
    assert patch(colleague, url, b"x" * 10, 0).status_code == 404
    assert colleague.delete(url, **TUS).status_code == 404
    assert head(uploader, url)["Upload-Offset"] == "0"


def test_a_role_without_evidence_may_not_upload(lt_org, persona, logged_in):
    auditor = logged_in(persona(lt_org, Role.AUDITOR))
    response = create(auditor, 100)
    assert response.status_code == 403
    assert auditor.get("/vault/upload/").status_code == 403
    # Refused for who they are, not for a missing header.
    bare = auditor.post(ENDPOINT, HTTP_UPLOAD_LENGTH="10")
    assert bare.status_code == 403 and "may not add evidence" in bare.json()["detail"]


def test_anonymous_gets_403(client):
    assert create(client, 100).status_code == 403


def test_writes_need_the_csrf_header(custodian):
    browser = login(Client(enforce_csrf_checks=True), custodian.user)
    assert create(browser, 100).status_code == 403
    page = browser.get("/vault/upload/")
    token = page.context["csrf_token"]
    response = create(browser, 100, HTTP_X_CSRFTOKEN=str(token))
    assert response.status_code == 201


def test_duplicate_content_is_reported_as_duplicate(uploader, clip, lt_org, custodian):
    first = do_ingest(clip.open("rb"), name=clip.name, organization=lt_org, actor=custodian.user)
    data = clip.read_bytes()
    url = create(uploader, len(data), name="again.mp4")["Location"]
    patch(uploader, url, data, 0)
    state = uploader.get(url).json()
    assert state["result"] == "duplicate" and state["item"] == first.item.pk
    assert EvidenceItem.objects.count() == 1
    assert not staged(url).exists()


def test_empty_looking_bytes_that_are_not_video_are_stored_as_unreadable(uploader):
    url = create(uploader, 5000, name="clip.mp4")["Location"]
    patch(uploader, url, b"MZ" + b"\x00" * 4998, 0)
    state = uploader.get(url).json()
    assert state["result"] == "new"
    assert EvidenceItem.objects.get(pk=state["item"]).status == "unreadable"


def test_termination_deletes_the_received_bytes(uploader):
    url = create(uploader, 100)["Location"]
    patch(uploader, url, b"x" * 10, 0)
    path = staged(url)
    response = uploader.delete(url, **TUS)
    assert response.status_code == 204
    assert not path.exists()
    assert head(uploader, url).status_code == 404
    assert AuditEvent.objects.filter(action="vault.upload_terminated").exists()


def test_abandoned_uploads_expire_and_their_bytes_are_deleted(uploader):
    url = create(uploader, 100)["Location"]
    patch(uploader, url, b"x" * 10, 0)
    path = staged(url)
    fresh_url = create(uploader, 100)["Location"]
    stray = storage.staging_dir() / "tus-00000000-0000-0000-0000-000000000000"
    stray.write_bytes(b"left by a crash")
    later = timezone.now() + timedelta(hours=25)
    Upload.objects.filter(pk=fresh_url.rstrip("/").rsplit("/", 1)[1]).update(
        expires_at=later + timedelta(hours=1)
    )
    assert expire_uploads(now=later) == 1
    assert not path.exists() and not stray.exists()
    assert staged(fresh_url).exists()
    assert head(uploader, url).status_code == 410
    assert patch(uploader, url, b"x" * 10, 10).status_code == 410
    assert Upload.objects.get(staging_name=path.name).status == "expired"


def test_the_upload_page_shows_the_drop_zone(uploader):
    response = uploader.get("/vault/upload/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-endpoint="/vault/uploads/"' in html
    assert "vault/upload.js" in html and 'type="file"' in html


def test_too_many_unfinished_uploads_are_refused(uploader, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ACTIVE_PER_USER", 1)
    assert create(uploader, 100).status_code == 201
    response = create(uploader, 100)
    assert response.status_code == 429 and "unfinished" in response.json()["detail"]
