"""A read that matches a hot-list entry alerts the owner and every partner it is shared with."""

from __future__ import annotations

import datetime
import json

from django.utils import timezone

from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.core.testing import queued_calls
from scape.directory.models import Notification
from scape.directory.tasks import post_webhook
from scape.traffic.actions import do_record_read, do_withdraw_entry
from scape.traffic.models import Hit, PlateRead
from tests.traffic.conftest import jpeg_bytes

URL = "/api/v1/traffic/reads/ingest/"


def camera_read(client, camera, token, plate="KR-1234", **extra):
    body = {
        "camera": camera.pk,
        "time": (timezone.now() - datetime.timedelta(seconds=3)).isoformat(),
        "plate": plate,
        "confidence": 0.9,
        **extra,
    }
    return client.post(
        URL, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Camera {token}"
    )


def test_it_alerts_the_owner_and_the_partner_at_once(
    client, camera, token, make_entry, palanga, klaipeda, pal_officer, lie_officer, kla_officer,
    persona, django_capture_on_commit_callbacks,
):  # fmt: skip
    volunteer = persona(palanga, Role.VOLUNTEER, username="vol")
    entry = make_entry("KR-1234", share_with=(palanga,))
    palanga.webhook_url = "https://palanga.example/hook"
    palanga.webhook_secret = "s3cret-of-sixteen-characters"
    palanga.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = camera_read(client, camera, token)
    assert response.status_code == 201 and response.json()["hits"] == 1
    hit = Hit.objects.get()
    assert hit.entry == entry and hit.exact and hit.read.hit
    alerted = Notification.objects.filter(kind="traffic-hit")
    assert {n.recipient for n in alerted} >= {pal_officer, lie_officer}
    assert kla_officer not in {n.recipient for n in alerted}
    assert volunteer not in {n.recipient for n in alerted}
    note = alerted.get(recipient=pal_officer)
    assert note.title == "Plate hit: KR-1234" and note.url == f"/traffic/hits/{hit.pk}/"
    assert "stolen vehicle" in note.body and camera.name in note.body
    [(org_pk, kind, payload)] = queued_calls(post_webhook)
    assert (org_pk, kind) == (palanga.pk, "traffic-hit")
    assert payload["plate"] == "KR1234" and payload["owner"] == "liepaja-mp"
    assert payload["reason"] == "stolen_vehicle" and payload["camera"] == camera.name
    assert payload["time"] == hit.read.time.isoformat()
    assert AuditEvent.objects.filter(action="traffic.hit", object_id=str(hit.pk)).exists()


def test_it_tolerates_one_look_alike_character(client, camera, token, make_entry, palanga):
    # A foreign plate: no grammar corrects it, the hot-list match has to.
    make_entry("PO12345X", share_with=(palanga,))
    assert camera_read(client, camera, token, plate="P012345X").json()["hits"] == 1
    assert not Hit.objects.get().exact


def test_a_look_alike_matches_without_the_read_being_corrected(
    client, camera, token, make_entry, palanga
):
    # A camera's read is stored as sent; one look-alike still raises the hit.
    make_entry("KR-1284", share_with=(palanga,))
    response = camera_read(client, camera, token, plate="KR-12B4").json()
    assert (response["plate"], response["hits"]) == ("KR12B4", 1)
    assert not Hit.objects.get().exact


def test_it_ignores_two_differences_other_countries_and_invalid_entries(
    client, camera, token, make_entry, palanga, lie_officer
):
    make_entry("PO12345X", share_with=(palanga,))  # two look-alikes away
    assert camera_read(client, camera, token, plate="P0I2345X").json()["hits"] == 0
    make_entry("ABC123", country="LV", share_with=(palanga,))
    assert camera_read(client, camera, token, plate="LT ABC 123").json()["hits"] == 0
    expired = make_entry("GUF465", days=1)
    expired.valid_until = timezone.now() - datetime.timedelta(minutes=1)
    expired.save()
    assert camera_read(client, camera, token, plate="GUF 465").json()["hits"] == 0
    withdrawn = make_entry("HJK777")
    do_withdraw_entry(withdrawn, actor=lie_officer.user)
    assert camera_read(client, camera, token, plate="HJK 777").json()["hits"] == 0
    assert not Hit.objects.exists()


def test_it_alerts_only_the_owner_when_the_entry_is_not_shared(
    client, camera, token, make_entry, pal_officer, lie_officer, logged_in
):
    make_entry("KR-1234")
    assert camera_read(client, camera, token).json()["hits"] == 1
    recipients = {n.recipient for n in Notification.objects.filter(kind="traffic-hit")}
    assert lie_officer in recipients and pal_officer not in recipients
    hit = Hit.objects.get()
    assert logged_in(pal_officer).get(hit.get_absolute_url()).status_code == 404


def test_both_sides_see_the_hit_with_crop_camera_and_time(
    client, camera, token, make_entry, palanga, pal_officer, lie_officer, kla_officer, jpeg_b64
):
    make_entry("KR-1234", share_with=(palanga,))
    camera_read(client, camera, token, image=jpeg_b64)
    hit = Hit.objects.get()
    from django.test import Client

    from scape.core.testing import login

    for person in (pal_officer, lie_officer):
        browser = login(Client(), person.user)
        page = browser.get(hit.get_absolute_url())
        assert page.status_code == 200
        html = page.content.decode()
        assert "KR-1234" in html and camera.name in html and "Grey VW Passat" in html
        crop = browser.get(f"/traffic/reads/{hit.read.pk}/crop/")
        assert crop.status_code == 200 and b"".join(crop.streaming_content) == jpeg_bytes()
        assert browser.get(hit.read.get_absolute_url()).status_code == 200
    outsider = login(Client(), kla_officer.user)
    assert outsider.get(hit.get_absolute_url()).status_code == 404
    assert outsider.get(f"/traffic/reads/{hit.read.pk}/crop/").status_code == 404


def test_a_read_without_a_hit_stays_with_the_camera_owner(
    client, camera, token, pal_officer, lie_officer, logged_in
):
    camera_read(client, camera, token, plate="GUF 465")
    read = PlateRead.objects.get()
    from django.test import Client

    from scape.core.testing import login

    assert login(Client(), pal_officer.user).get(read.get_absolute_url()).status_code == 200
    assert login(Client(), lie_officer.user).get(read.get_absolute_url()).status_code == 404


def test_acknowledging_a_hit_is_recorded(
    client, camera, token, make_entry, palanga, pal_officer, logged_in
):
    make_entry("KR-1234", share_with=(palanga,))
    camera_read(client, camera, token)
    hit = Hit.objects.get()
    response = logged_in(pal_officer).post(f"/traffic/hits/{hit.pk}/acknowledge/")
    assert response.status_code == 302
    hit.refresh_from_db()
    assert hit.acknowledged_by == pal_officer.user and hit.acknowledged_at is not None


def test_reads_from_the_vault_match_too(camera, make_entry, palanga):
    make_entry("KR-1234", share_with=(palanga,))
    read = do_record_read(
        organization=palanga, camera=camera, time=timezone.now(), plate="KR1234", text="KR-1234",
        country="LV", confidence=0.8, source="vault", vault_item_id=7, image=jpeg_bytes(),
    )  # fmt: skip
    assert read.hit and read.hits.count() == 1


def test_each_side_reads_the_hit_in_its_own_language(camera, make_entry, palanga, lie_officer):
    from django.utils import translation

    def said(text: str, language: str) -> str:
        with translation.override(language):
            return translation.gettext(text)

    make_entry("KR-1234", share_with=(palanga,))
    # A Lithuanian user's request raises the hit (footage, so no camera name).
    with translation.override("lt"):
        do_record_read(
            organization=palanga, camera=None, plate="KR1234", confidence=0.9,
            time=timezone.now() - datetime.timedelta(minutes=1), source="evidence",
            vault_item_id=4242,
        )  # fmt: skip
    note = Notification.objects.get(kind="traffic-hit", recipient=lie_officer)
    assert said("stolen vehicle", "lv") in note.body
    assert said("evidence footage", "lv") in note.body
    assert said("stolen vehicle", "lt") not in note.body
    assert said("evidence footage", "lt") not in note.body


def test_an_operator_decides_a_hit_and_the_owner_is_told(
    client, camera, token, make_entry, palanga, pal_officer, lie_officer, kla_officer, logged_in
):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from scape.traffic.actions import do_decide_hit

    make_entry("KR-1234", share_with=(palanga,))
    camera_read(client, camera, token)
    hit = Hit.objects.get()
    # A misread must name the plate it really was, and not the one read.
    for wrong in ("", "KR1234"):
        try:
            do_decide_hit(hit, outcome="misread", correct_plate=wrong, actor=pal_officer.user)
        except ValidationError as exc:
            assert "correct_plate" in exc.message_dict
        else:
            raise AssertionError("a misread without the right plate was accepted")
    page = logged_in(pal_officer)
    refused = page.post(f"/traffic/hits/{hit.pk}/decide/", {"outcome": "misread"})
    assert refused.status_code == 400
    assert "Give the plate the vehicle really has" in refused.content.decode()
    answer = page.post(
        f"/traffic/hits/{hit.pk}/decide/",
        {"outcome": "misread", "correct_plate": "kr 1284", "action_taken": "Stopped at 50% of the road; let go"},
    )  # fmt: skip
    assert answer.status_code == 302
    hit.refresh_from_db()
    assert (hit.outcome, hit.correct_plate) == ("misread", "KR1284")
    assert hit.acknowledged_at is not None and hit.decided_by == pal_officer.user
    assert AuditEvent.objects.get(action="traffic.hit_decided").details["correct_plate"] == "KR1284"
    # The entry's owner (Liepāja) is told, in Latvian.
    told = Notification.objects.get(kind="traffic-hit-decided", recipient=lie_officer)
    with translation.override("lv"):
        misread = translation.gettext("misread: the camera read another plate")
    assert misread in told.title and "50% of the road" in told.body
    # The camera's page counts its misreads for the reader's figures.
    camera_page = page.get(camera.get_absolute_url()).content.decode()
    assert "0 confirmed, 1 misread" in camera_page
    # An organization the hit is not shared with cannot see it, nor decide it.
    from django.test import Client

    from scape.core.testing import login

    other = login(Client(), kla_officer.user)
    assert (
        other.post(f"/traffic/hits/{hit.pk}/decide/", {"outcome": "confirmed"}).status_code == 404
    )
