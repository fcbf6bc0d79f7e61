"""Watching and downloading evidence: a reason first, custody recorded, ranges exact, doors shut."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import scape.vault.tasks  # noqa: F401 - connects the item_ingested receiver
from scape.core.actions import do_revoke_grant, do_share_record
from scape.core.choices import Role
from scape.core.downloads import safe_filename
from scape.core.models import AuditEvent
from scape.core.testing import IMMEDIATE_TASKS, login
from scape.vault.actions.ingest import do_ingest
from scape.vault.choices import DerivativeKind
from scape.vault.views.media import parse_range

pytestmark = pytest.mark.django_db

REASON = "Complaint 2024/117: checking the arrest"


@pytest.fixture(autouse=True)
def _tasks_inline(settings: Any) -> None:
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def item(clip, lt_org, custodian, django_capture_on_commit_callbacks):
    """A clip ingested by the custodian, its thumbnail and playable copy made."""
    with clip.open("rb") as source, django_capture_on_commit_callbacks(execute=True):
        result = do_ingest(source, name=clip.name, organization=lt_org, actor=custodian.user)
    return result.item


@pytest.fixture
def proxy_bytes(item, _media) -> bytes:
    proxy = item.derivatives.get(kind=DerivativeKind.PROXY)
    return (_media / "evidence" / proxy.storage_key).read_bytes()


def _urls(item: Any) -> dict[str, str]:
    names = ("item_play", "item_stream", "item_thumbnail", "item_download", "item_jobs")
    return {name: reverse(f"vault:{name}", args=[item.pk]) for name in names}


def _give_reason(client: Client, item: Any, reason: str = REASON, recipient: str = "") -> Any:
    response = client.post(_urls(item)["item_play"], {"reason": reason, "recipient": recipient})
    assert response.status_code == 302
    return client.get(response["Location"])


def _body(response: Any) -> bytes:
    # Reading to the end closes the response (the test client's wrapper does it).
    return b"".join(response.streaming_content)


def _streamed(item: Any) -> Any:
    return AuditEvent.objects.filter(action="vault.item_streamed", object_id=str(item.pk))


def test_it_refuses_to_stream_before_a_reason_is_given(item, custodian, logged_in):
    client = logged_in(custodian)
    assert client.get(_urls(item)["item_stream"]).status_code == 403

    page = client.get(_urls(item)["item_play"])
    assert page.status_code == 200
    assert b'name="reason"' in page.content and b"<video" not in page.content
    assert not _streamed(item).exists()


def test_it_records_the_typed_reason_and_then_plays(item, custodian, logged_in, proxy_bytes):
    client = logged_in(custodian)
    page = _give_reason(client, item, recipient="Klaipėda district prosecutor")

    assert page.status_code == 200
    assert f'src="{_urls(item)["item_stream"]}"'.encode() in page.content
    event = _streamed(item).get()
    assert event.reason == REASON and event.recipient == "Klaipėda district prosecutor"
    assert event.actor_id == custodian.user.pk and event.details["played"] == "proxy"

    response = client.get(_urls(item)["item_stream"])
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes" and response["Content-Type"] == "video/mp4"
    assert int(response["Content-Length"]) == len(proxy_bytes)
    assert _body(response) == proxy_bytes


def test_a_reason_too_short_is_refused_and_changes_nothing(item, custodian, logged_in):
    client = logged_in(custodian)
    page = client.post(_urls(item)["item_play"], {"reason": "ok"})
    assert page.status_code == 200
    assert b"at least five characters" in page.content
    assert not _streamed(item).exists()
    assert client.get(_urls(item)["item_stream"]).status_code == 403


def test_it_asks_again_when_the_player_is_opened_again(item, custodian, logged_in):
    client = logged_in(custodian)
    _give_reason(client, item)
    again = client.get(_urls(item)["item_play"])
    assert b'name="reason"' in again.content and b"<video" not in again.content
    # The stream the open player is fetching keeps working meanwhile.
    assert client.get(_urls(item)["item_stream"], headers={"range": "bytes=0-1"}).status_code == 206


def test_the_grant_expires(item, custodian, logged_in, settings):
    settings.SCAPE_STREAM_GRANT_SECONDS = -1
    client = logged_in(custodian)
    _give_reason(client, item)
    assert client.get(_urls(item)["item_stream"]).status_code == 403


def test_it_serves_exact_byte_ranges(item, custodian, logged_in, proxy_bytes):
    client = logged_in(custodian)
    _give_reason(client, item)
    url, size = _urls(item)["item_stream"], len(proxy_bytes)

    for header, first, last in [
        ("bytes=10-99", 10, 99),
        ("bytes=1000-", 1000, size - 1),
        ("bytes=-100", size - 100, size - 1),
        (f"bytes=0-{size + 500}", 0, size - 1),
    ]:
        response = client.get(url, headers={"range": header})
        assert response.status_code == 206, header
        assert response["Content-Range"] == f"bytes {first}-{last}/{size}"
        assert int(response["Content-Length"]) == last - first + 1
        assert _body(response) == proxy_bytes[first : last + 1]

    for header in (f"bytes={size}-", "bytes=50-10", "bytes=-0", "bytes=abc"):
        response = client.get(url, headers={"range": header})
        assert response.status_code == 416, header
        assert response["Content-Range"] == f"bytes */{size}"

    head = client.head(url, headers={"range": "bytes=0-9"})
    assert head.status_code == 206 and head["Content-Length"] == "10"
    stale = client.get(url, headers={"range": "bytes=0-9", "if-range": '"another"'})
    assert stale.status_code == 200 and _body(stale) == proxy_bytes


def test_parse_range_reads_the_three_forms():
    assert parse_range("bytes=0-0", 10) == (0, 0)
    assert parse_range("bytes=5-", 10) == (5, 9)
    assert parse_range("bytes=-3", 10) == (7, 9)
    assert parse_range("bytes=-30", 10) == (0, 9)
    with pytest.raises(ValueError):
        parse_range("bytes=10-", 10)


def test_another_organization_gets_404_everywhere(item, lv_org, persona, logged_in):
    stranger = persona(lv_org, Role.CUSTODIAN)
    client = logged_in(stranger)
    for name, url in _urls(item).items():
        assert client.get(url).status_code == 404, name
    assert client.post(_urls(item)["item_play"], {"reason": REASON}).status_code == 404
    assert not _streamed(item).exists()


def test_a_partner_with_a_share_grant_plays_and_the_owner_sees_it(
    item, custodian, lv_org, persona, proxy_bytes
):
    do_share_record(
        item,
        grantee=lv_org,
        purpose="Joint investigation LT-LV 12/2024",
        expires_at=timezone.now() + timedelta(days=7),
        actor=custodian.user,
    )
    partner = persona(lv_org, Role.OFFICER, username="janis")
    their = login(Client(), partner.user)
    _give_reason(their, item, reason="Identifying the vehicle for the joint case")
    assert _body(their.get(_urls(item)["item_stream"])) == proxy_bytes
    assert their.get(_urls(item)["item_download"]).status_code == 403  # view-only share

    owner = login(Client(), custodian.user)
    page = owner.get(item.get_absolute_url()).content.decode()
    custody = page[page.index('id="custody"') :]
    assert (
        "vault.item_streamed" in custody and "Identifying the vehicle for the joint case" in custody
    )
    event = _streamed(item).get()
    assert (event.actor_org, event.subject_org) == ("lv-police", "lt-police")


def test_revoking_the_share_stops_the_stream_at_once(item, custodian, lv_org, persona):
    grant = do_share_record(
        item,
        grantee=lv_org,
        purpose="Joint investigation",
        expires_at=timezone.now() + timedelta(days=7),
        actor=custodian.user,
    )
    their = login(Client(), persona(lv_org, Role.OFFICER).user)
    _give_reason(their, item)
    assert their.get(_urls(item)["item_stream"], headers={"range": "bytes=0-9"}).status_code == 206
    do_revoke_grant(grant, actor=custodian.user)
    assert their.get(_urls(item)["item_stream"]).status_code == 404


def test_it_downloads_the_original_after_a_reason(item, clip, custodian, logged_in):
    client = logged_in(custodian)
    form = client.get(_urls(item)["item_download"])
    assert form.status_code == 200 and b'name="recipient"' in form.content

    response = client.post(
        _urls(item)["item_download"],
        {"reason": "Court copy for case 1-123/2024", "recipient": "Palanga court"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bodycam-0001.mp4"'
    data = _body(response)
    assert data == Path(clip).read_bytes() and hashlib.sha256(data).hexdigest() == item.sha256
    event = AuditEvent.objects.get(action="vault.item_downloaded", object_id=str(item.pk))
    assert (event.reason, event.recipient) == ("Court copy for case 1-123/2024", "Palanga court")


def test_a_download_without_a_reason_sends_nothing(item, custodian, logged_in):
    response = logged_in(custodian).post(_urls(item)["item_download"], {"reason": ""})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action="vault.item_downloaded").exists()


def test_safe_filename_keeps_letters_and_drops_what_breaks_headers():
    assert safe_filename('Ąžuolas "kamera"\r\n1.mp4', fallback="x") == "Ąžuolas _kamera___1.mp4"
    assert safe_filename("../..", fallback="evidence-7") == "evidence-7"
    assert safe_filename(" . ", fallback="evidence-7") == "evidence-7"
    # A path sent as the name (a browser on Windows, a crafted upload) keeps its last part.
    assert safe_filename("C:\\fakepath\\hot list.csv", fallback="x") == "hot list.csv"
    assert safe_filename("../../etc/passwd", fallback="x") == "passwd"


def test_it_serves_the_thumbnail(item, officer, logged_in, _media):
    response = logged_in(officer).get(_urls(item)["item_thumbnail"])
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    thumb = item.derivatives.get(kind=DerivativeKind.THUMBNAIL)
    assert hashlib.sha256(_body(response)).hexdigest() == thumb.sha256
    # Each fetch of a still of the footage is a recorded consultation.
    logged_in(officer).get(_urls(item)["item_thumbnail"])
    seen = AuditEvent.objects.filter(action="vault.thumbnail_viewed", object_id=str(item.pk))
    assert seen.count() == 2 and {e.actor_id for e in seen} == {officer.user.pk}


def test_the_item_page_offers_play_download_and_job_progress(item, custodian, logged_in):
    client = logged_in(custodian)
    page = client.get(item.get_absolute_url()).content.decode()
    urls = _urls(item)
    for name in ("item_play", "item_download", "item_thumbnail", "item_jobs"):
        assert urls[name] in page, name

    fragment = client.get(urls["item_jobs"]).content.decode()
    assert '<progress max="100" value="100">' in fragment and "succeeded" in fragment
    assert "hx-trigger" not in fragment  # nothing left to poll for
    done = client.get(urls["item_jobs"] + "?watching=1", headers={"hx-request": "true"})
    assert done["HX-Refresh"] == "true"


def test_a_running_job_is_polled(item, custodian, logged_in):
    from scape.core.choices import JobStatus
    from scape.vault.tasks import item_jobs

    item_jobs(item).update(status=JobStatus.RUNNING, progress=0.4)
    fragment = logged_in(custodian).get(_urls(item)["item_jobs"]).content.decode()
    assert '<progress max="100" value="40">' in fragment
    assert 'hx-trigger="every 2s"' in fragment


def test_the_player_says_when_there_is_nothing_to_play_yet(clip, lt_org, custodian, logged_in):
    with clip.open("rb") as source:  # the media task has not run yet
        waiting = do_ingest(source, name=clip.name, organization=lt_org, actor=custodian.user).item
    page = logged_in(custodian).get(_urls(waiting)["item_play"])
    assert page.status_code == 200
    assert (
        b"no playable copy of this item yet" in page.content
        and b'name="reason"' not in page.content
    )
    assert not _streamed(waiting).exists()


def test_an_image_is_shown_as_it_is_after_a_reason(
    tmp_path, lt_org, custodian, logged_in, django_capture_on_commit_callbacks
):
    from PIL import Image

    photo = tmp_path / "scene.png"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(photo)
    with photo.open("rb") as source, django_capture_on_commit_callbacks(execute=True):
        image = do_ingest(source, name=photo.name, organization=lt_org, actor=custodian.user).item
    client = logged_in(custodian)
    page = _give_reason(client, image)
    assert b'<img class="evidence-view"' in page.content
    response = client.get(_urls(image)["item_stream"])
    assert response["Content-Type"] == "image/png" and _body(response) == photo.read_bytes()
    assert _streamed(image).get().details["played"] == "original"
