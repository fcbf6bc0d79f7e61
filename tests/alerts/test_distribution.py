"""A published notice going out (e-mail list, SMS gateway), the two-person rule, and
changing an Update or a Cancel before it is sent, on the page and through the API."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from defusedxml import ElementTree as ET
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from scape.alerts.actions import (
    do_approve_notice,
    do_derive_notice,
    do_publish_notice,
    do_set_distribution,
    do_submit_notice,
)
from scape.alerts.choices import MsgType
from scape.alerts.models import Distribution, Notice
from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.core.testing import IMMEDIATE_TASKS
from scape.directory.models import WebhookDelivery
from tests.alerts.conftest import notice_fields
from tests.directory.test_notifications import _Receiver, receiver  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


def _rule(palanga: Any, coordinator: Any, **fields: Any) -> Any:
    defaults = {"two_person_rule": False, "email_to": "", "sms_gateway_url": ""}
    return do_set_distribution(palanga, actor=coordinator.user, **(defaults | fields))


def test_under_the_two_person_rule_the_author_does_not_approve_their_own_notice(
    make_notice: Any, palanga: Any, coordinator: Any, persona: Any, logged_in: Any
) -> None:
    _rule(palanga, coordinator, two_person_rule=True)
    from scape.alerts.actions import do_create_notice

    own = do_create_notice(palanga, actor=coordinator.user, **notice_fields())
    do_submit_notice(own, actor=coordinator.user)
    with pytest.raises(ValidationError, match="second person"):
        do_approve_notice(own, actor=coordinator.user)
    own.refresh_from_db()
    assert own.state == "submitted"
    page = logged_in(coordinator).get(f"/alerts/manage/{own.pk}/").content.decode()
    assert 'data-testid="second-person"' in page and "/approve/" not in page

    other = persona(palanga, Role.COORDINATOR, username="second-coordinator")
    assert do_approve_notice(own, actor=other.user).state == "approved"


def test_a_coordinator_who_changed_the_draft_counts_as_a_writer(
    make_notice: Any, palanga: Any, coordinator: Any, specialist: Any
) -> None:
    from scape.alerts.actions import do_edit_notice

    _rule(palanga, coordinator, two_person_rule=True)
    notice = make_notice("draft")
    do_edit_notice(notice, actor=coordinator.user, **notice_fields(event="Storm"))
    do_submit_notice(notice, actor=specialist.user)
    with pytest.raises(ValidationError):
        do_approve_notice(notice, actor=coordinator.user)


def test_without_the_rule_the_author_coordinator_approves(palanga: Any, coordinator: Any) -> None:
    from scape.alerts.actions import do_create_notice

    own = do_create_notice(palanga, actor=coordinator.user, **notice_fields())
    do_submit_notice(own, actor=coordinator.user)
    assert do_approve_notice(own, actor=coordinator.user).state == "approved"


def test_a_cancel_starts_with_texts_that_say_so_in_each_language_and_past_minor(
    make_notice: Any, specialist: Any
) -> None:
    original = make_notice("published")
    cancel = do_derive_notice(original, MsgType.CANCEL, actor=specialist.user)
    assert (cancel.urgency, cancel.severity) == ("Past", "Minor")
    texts = {info.language: info for info in cancel.infos.all()}
    assert texts["lt"].headline == "Atšaukta: Paplūdimys uždarytas"
    assert texts["en"].headline == "Cancelled: Beach closed"
    assert "cancelled" in texts["en"].description and texts["en"].instruction == ""
    update = do_derive_notice(original, MsgType.UPDATE, actor=specialist.user)
    assert update.urgency == "Immediate"  # an update starts as the original


def test_the_api_changes_a_cancel_before_it_is_sent_and_the_cap_carries_it(
    make_notice: Any, specialist: Any, coordinator: Any, logged_in: Any, client: Any
) -> None:
    original = make_notice("published")
    api = logged_in(specialist)
    made = api.post(f"/api/v1/alerts/notices/{original.pk}/cancel/")
    assert made.status_code == 201
    pk = made.json()["id"]
    body = notice_fields(
        infos=[
            {
                "language": "lt",
                "headline": "Paplūdimys vėl atviras",
                "description": "Audra praėjo.",
            },
            {"language": "en", "headline": "Beach open again", "description": "The storm passed."},
        ],
        urgency="Past",
        severity="Minor",
        certainty="Observed",
    )
    changed = api.put(f"/api/v1/alerts/notices/{pk}/", body, content_type="application/json")
    assert changed.status_code == 200, changed.content
    notice = Notice.objects.get(pk=pk)
    assert notice.msg_type == "Cancel" and notice.references == [
        *original.references,
        original.reference,
    ]
    assert AuditEvent.objects.filter(action="alerts.notice_changed", object_id=str(pk)).exists()
    do_submit_notice(notice, actor=specialist.user)
    do_approve_notice(notice, actor=coordinator.user)
    do_publish_notice(notice, actor=coordinator.user)
    xml = ET.fromstring(client.get(f"/alerts/{notice.identifier}.xml").content)
    headlines = {
        i.findtext(f"{CAP}language"): i.findtext(f"{CAP}headline") for i in xml.iter(f"{CAP}info")
    }
    assert "Beach open again" in headlines.values()
    assert xml.findtext(f"{CAP}msgType") == "Cancel"
    # Once submitted, it is not changed any more, through the API either.
    again = api.put(f"/api/v1/alerts/notices/{pk}/", body, content_type="application/json")
    assert again.status_code == 400


def test_the_api_refuses_a_change_from_a_partner(
    make_notice: Any, liepaja: Any, persona: Any, logged_in: Any
) -> None:
    draft = make_notice("draft")
    other = logged_in(persona(liepaja, Role.COORDINATOR, username="lv-coordinator"))
    answer = other.put(
        f"/api/v1/alerts/notices/{draft.pk}/",
        notice_fields(infos=[]),
        content_type="application/json",
    )
    assert answer.status_code in (403, 404)
    assert Notice.objects.get(pk=draft.pk).event == "Beach closure"


def test_a_published_notice_goes_to_the_email_list_and_the_sms_gateway_signed(
    make_notice: Any,
    palanga: Any,
    coordinator: Any,
    settings: Any,
    receiver: Any,  # noqa: F811 (fixture)
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.TASKS = IMMEDIATE_TASKS
    _rule(
        palanga,
        coordinator,
        email_to="radio@palanga.example\n\n  press@palanga.example \nradio@palanga.example",
        sms_gateway_url=f"http://127.0.0.1:{receiver.server_port}/sms",
        sms_gateway_secret="sms-secret-of-sixteen",
    )
    notice = make_notice(
        "approved",
        infos={
            "lt": {"headline": "Paplūdimys uždarytas", "description": "Audra. " * 40},
            "en": {"headline": "Beach closed", "description": "Storm."},
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        do_publish_notice(notice, actor=coordinator.user)

    [message] = mail.outbox
    assert message.bcc == ["radio@palanga.example", "press@palanga.example"] and message.to == []
    assert "Paplūdimys uždarytas" in message.subject and "Beach closed" in message.subject
    assert f"/alerts/{notice.identifier}/" in message.body
    [(name, content, kind)] = message.attachments
    assert kind == "application/cap+xml" and name == f"{notice.identifier}.xml"
    assert ET.fromstring(content).findtext(f"{CAP}identifier") == notice.identifier

    [(headers, body)] = _Receiver.received
    signed = f"{headers['X-Scape-Timestamp']}.{headers['X-Scape-Delivery']}.".encode() + body
    expected = hmac.new(b"sms-secret-of-sixteen", signed, hashlib.sha256).hexdigest()
    assert headers["X-Scape-Signature"] == f"sha256={expected}"
    assert headers["X-Scape-Event"] == "alert-sms"
    texts = json.loads(body)["texts"]
    assert set(texts) == {"lt", "en"} and all(len(t) <= 160 for t in texts.values())
    assert texts["en"].startswith("Beach closed: Storm.") and texts["lt"].count("…") == 1
    assert WebhookDelivery.objects.get(event="alert-sms").status_code == 204


def test_distribution_settings_are_checked_kept_secret_and_audited(
    palanga: Any, coordinator: Any, specialist: Any, logged_in: Any
) -> None:
    with pytest.raises(ValidationError) as caught:
        _rule(
            palanga,
            coordinator,
            email_to="radio@palanga.example\nnot an address",
            sms_gateway_url="http://gw.example/sms",
            sms_gateway_secret="short",
        )
    assert set(caught.value.message_dict) == {"email_to", "sms_gateway_secret"}
    with pytest.raises(PermissionDenied):
        _rule(palanga, specialist, two_person_rule=True)

    page = logged_in(coordinator)
    answer = page.post(
        "/alerts/manage/distribution/",
        {
            "two_person_rule": "on",
            "email_to": "radio@palanga.example",
            "sms_gateway_url": "https://gw.example/sms",
            "sms_gateway_secret": "sms-secret-of-sixteen",
        },
    )
    assert answer.status_code == 302
    shown = page.get("/alerts/manage/distribution/").content.decode()
    assert "sms-secret-of-sixteen" not in shown and "radio@palanga.example" in shown
    # Saving again without a secret keeps the one set before.
    page.post(
        "/alerts/manage/distribution/",
        {"email_to": "", "sms_gateway_url": "https://gw.example/sms"},
    )
    distribution = Distribution.objects.get(organization=palanga)
    assert distribution.sms_gateway_secret == "sms-secret-of-sixteen"
    assert not distribution.two_person_rule and distribution.email_to == ""
    assert AuditEvent.objects.filter(action="alerts.distribution_changed").count() == 2
    assert logged_in(specialist).get("/alerts/manage/distribution/").status_code == 403
