"""Notifications: in the app, by e-mail, and to an organization's signed webhook."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core import mail
from django.utils.translation import gettext_lazy

from scape.core.choices import Role
from scape.core.testing import IMMEDIATE_TASKS
from scape.directory.models import Notification, WebhookDelivery
from scape.directory.notify import notify_organizations, notify_people

pytestmark = pytest.mark.django_db

IMMEDIATE = IMMEDIATE_TASKS


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []
    status = 204

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Any:
    _Receiver.received = []
    _Receiver.status = 204
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_it_notifies_each_member_once_in_their_own_language(lt_org, lv_org, persona):
    lithuanian = persona(lt_org, Role.OFFICER, ui_language="lt")
    latvian = persona(lv_org, Role.OFFICER, Role.COORDINATOR, ui_language="lv")
    persona(lv_org, Role.OFFICER, is_active=False)

    notify_organizations(
        [lt_org, lv_org, lv_org], kind="test", title=gettext_lazy("Notifications"), url="/x/"
    )

    assert Notification.objects.get(recipient=lithuanian).title == "Pranešimai"
    assert Notification.objects.get(recipient=latvian).title == "Paziņojumi"
    assert Notification.objects.count() == 2


def test_it_limits_an_organization_notice_to_the_given_roles(lt_org, persona):
    coordinator = persona(lt_org, Role.COORDINATOR)
    persona(lt_org, Role.OFFICER)

    notify_organizations([lt_org], kind="test", title="Due", roles=[Role.COORDINATOR])

    assert list(Notification.objects.values_list("recipient", flat=True)) == [coordinator.pk]


def test_it_emails_only_after_the_action_commits(
    lt_org, persona, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    person = persona(lt_org, Role.OFFICER, email="ona@example.lt")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify_people(
            [person], kind="test", title="Plate hit: %(plate)s", params={"plate": "ABC123"}
        )
        assert mail.outbox == []

    assert len(callbacks) == 1
    assert mail.outbox[0].to == ["ona@example.lt"]
    assert "Plate hit: ABC123" in mail.outbox[0].subject


def test_it_posts_a_signed_webhook_the_receiver_can_verify(
    lt_org, persona, settings, receiver, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    lt_org.webhook_url = f"http://127.0.0.1:{receiver.server_port}/hook"
    lt_org.webhook_secret = "s3cret-of-sixteen"
    lt_org.save()
    persona(lt_org, Role.OFFICER)

    with django_capture_on_commit_callbacks(execute=True):
        notify_organizations([lt_org], kind="traffic-hit", title="Hit", payload={"plate": "ABC123"})

    headers, body = _Receiver.received[0]
    stamp, nonce = headers["X-Scape-Timestamp"], headers["X-Scape-Delivery"]
    assert abs(int(stamp) - time.time()) < 60 and len(nonce) == 32
    signed = f"{stamp}.{nonce}.".encode() + body
    expected = hmac.new(b"s3cret-of-sixteen", signed, hashlib.sha256).hexdigest()
    assert headers["X-Scape-Signature"] == f"sha256={expected}"
    # The body alone, replayed under another timestamp, does not verify.
    assert hmac.new(b"s3cret-of-sixteen", body, hashlib.sha256).hexdigest() != expected
    assert json.loads(body) == {"event": "traffic-hit", "plate": "ABC123"}
    delivery = WebhookDelivery.objects.get()
    assert delivery.status_code == 204 and delivery.delivered_at is not None


def test_it_records_a_failed_webhook_without_failing_the_action(
    lt_org, persona, settings, receiver, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    _Receiver.status = 500
    lt_org.webhook_url = f"http://127.0.0.1:{receiver.server_port}/hook"
    lt_org.webhook_secret = "s3cret-of-sixteen"
    lt_org.save()
    persona(lt_org, Role.OFFICER)

    with django_capture_on_commit_callbacks(execute=True):
        notify_organizations([lt_org], kind="test", title="Hit")

    delivery = WebhookDelivery.objects.get()
    assert delivery.status_code == 500 and delivery.delivered_at is None
    assert Notification.objects.count() == 1


def test_a_webhook_without_a_secret_is_neither_accepted_nor_sent(
    lt_org, persona, settings, receiver, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    from scape.directory.actions import do_update_organization

    settings.TASKS = IMMEDIATE
    admin = persona(lt_org, Role.ORG_ADMIN)
    url = f"http://127.0.0.1:{receiver.server_port}/hook"
    with pytest.raises(ValidationError) as refused:
        do_update_organization(lt_org, actor=admin.user, webhook_url=url, webhook_secret="")
    assert "webhook_secret" in refused.value.message_dict
    type(lt_org).objects.filter(pk=lt_org.pk).update(webhook_url=url, webhook_secret="")
    lt_org.refresh_from_db()
    _Receiver.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify_organizations([lt_org], kind="test", title="Hit")
    assert _Receiver.received == []
    assert "no webhook secret" in WebhookDelivery.objects.get().error


def test_it_shows_unread_notifications_live_and_marks_them_read_when_opened(
    lt_org, persona, logged_in
):
    person = persona(lt_org, Role.OFFICER)
    client = logged_in(person)
    [notification] = notify_people([person], kind="test", title="Incident shared", url="/vault/")

    live = client.get("/notifications/live/")
    assert b"Incident shared" in live.content
    assert b'data-testid="notif-count">1<' in live.content

    opened = client.get(f"/notifications/{notification.pk}/")
    assert opened.status_code == 302 and opened["Location"] == "/vault/"
    assert b"notif-count" not in client.get("/notifications/live/").content


def test_it_hides_other_peoples_notifications(lt_org, persona, logged_in):
    owner = persona(lt_org, Role.OFFICER)
    other = persona(lt_org, Role.OFFICER)
    [notification] = notify_people([owner], kind="test", title="Private")

    client = logged_in(other)
    assert client.get(f"/notifications/{notification.pk}/").status_code == 404
    assert b"Private" not in client.get("/notifications/").content


def test_it_does_not_follow_a_link_off_the_site(lt_org, persona, logged_in):
    person = persona(lt_org, Role.OFFICER)
    [notification] = notify_people([person], kind="test", title="x", url="https://evil.example/")

    response = logged_in(person).get(f"/notifications/{notification.pk}/")

    assert response["Location"] == "/notifications/"


def test_it_shows_times_in_the_organizations_zone_not_utc(lt_org, persona, logged_in):
    person = persona(lt_org, Role.OFFICER)
    [notification] = notify_people([person], kind="test", title="Summer")
    notification.created_at = datetime.datetime(2026, 7, 1, 10, 0, tzinfo=datetime.UTC)
    notification.save()

    page = logged_in(person).get("/notifications/").content.decode()

    # Vilnius is UTC+3 in summer; the row is stored in UTC.
    assert "2026-07-01 13:00" in page and "2026-07-01 10:00" not in page


def test_it_answers_the_live_badge_with_nothing_until_the_second_factor_is_passed(
    lt_org, persona, logged_in
):
    # The badge polls on every page, the second-factor page included.
    custodian = persona(lt_org, Role.CUSTODIAN)
    client = logged_in(custodian, verified=False)

    polled = client.get("/notifications/live/", headers={"HX-Request": "true"})
    opened = client.get("/notifications/live/")

    assert polled.status_code == 403 and polled.content == b""
    assert opened.status_code == 302


def test_a_closed_pop_up_is_not_shown_again_but_stays_unread(lt_org, persona, logged_in):
    person = persona(lt_org, Role.OFFICER)
    other = persona(lt_org, Role.OFFICER)
    [first, second] = [
        notify_people([person], kind="test", title=title)[0] for title in ("Hit KR-1", "Hit KR-2")
    ]
    [theirs] = notify_people([other], kind="test", title="Not yours")
    client = logged_in(person)
    closed = client.post(f"/notifications/{first.pk}/dismiss/", headers={"HX-Request": "true"})
    assert closed.status_code == 200
    assert b"Hit KR-1" not in closed.content and b"Hit KR-2" in closed.content
    live = client.get("/notifications/live/").content
    assert b"Hit KR-1" not in live and b'data-testid="notif-count">2<' in live
    assert b"Hit KR-1" in client.get("/notifications/").content  # still in the list
    # Another person's pop-up cannot be closed, nor one closed by a link.
    assert client.post(f"/notifications/{theirs.pk}/dismiss/").status_code == 404
    assert client.get(f"/notifications/{second.pk}/dismiss/").status_code == 405
    assert client.post(f"/notifications/{second.pk}/dismiss/").status_code == 302
