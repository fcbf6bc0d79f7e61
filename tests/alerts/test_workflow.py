"""The notice workflow: draft, submitted, approved by a coordinator, published; updates and cancels."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from scape.alerts.actions import (
    do_approve_notice,
    do_derive_notice,
    do_edit_notice,
    do_publish_notice,
    do_return_notice,
    do_submit_notice,
)
from scape.alerts.models import Notice
from scape.alerts.queries import current_notices
from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.core.testing import queued_calls
from scape.directory.tasks import post_webhook
from tests.alerts.conftest import advance, notice_fields

pytestmark = pytest.mark.django_db


def test_it_does_not_publish_without_approval(make_notice: Any, coordinator: Any) -> None:
    for state in ("draft", "submitted"):
        notice = make_notice(state)
        with pytest.raises(ValidationError):
            do_publish_notice(notice, actor=coordinator.user)
        notice.refresh_from_db()
        assert notice.state == state and notice.sent is None
    assert not current_notices().exists()


def test_it_publishes_after_approval_and_sets_the_sent_time(
    make_notice: Any, coordinator: Any
) -> None:
    notice = make_notice("approved")
    assert notice.sent is None
    notice = do_publish_notice(notice, actor=coordinator.user)
    assert notice.state == "published" and notice.sent is not None
    assert notice.approved_by == coordinator.user
    assert list(current_notices()) == [notice]
    actions = set(
        AuditEvent.objects.filter(object_id=str(notice.pk)).values_list("action", flat=True)
    )
    assert {
        "alerts.notice_created",
        "alerts.notice_submitted",
        "alerts.notice_approved",
        "alerts.notice_published",
    } <= actions


def test_only_a_coordinator_of_the_issuing_organization_approves(
    make_notice: Any, specialist: Any, liepaja: Any, persona: Any
) -> None:
    notice = make_notice("submitted")
    other_coordinator = persona(liepaja, Role.COORDINATOR)
    for person in (specialist, other_coordinator):
        with pytest.raises(PermissionDenied):
            do_approve_notice(notice, actor=person.user)
    notice.refresh_from_db()
    assert notice.state == "submitted"


def test_a_volunteer_cannot_write_a_notice(palanga: Any, persona: Any) -> None:
    from scape.alerts.actions import do_create_notice

    volunteer = persona(palanga, Role.VOLUNTEER)
    with pytest.raises(PermissionDenied):
        do_create_notice(palanga, actor=volunteer.user, **notice_fields())
    assert not Notice.objects.exists()


def test_a_coordinator_sends_a_notice_back_and_the_author_changes_it(
    make_notice: Any, specialist: Any, coordinator: Any
) -> None:
    notice = make_notice("submitted")
    with pytest.raises(ValidationError):
        do_edit_notice(notice, actor=specialist.user, **notice_fields(event="Changed"))
    notice = do_return_notice(notice, actor=coordinator.user, reason="Add Latvian")
    notice = do_edit_notice(notice, actor=specialist.user, **notice_fields(event="Changed"))
    assert notice.event == "Changed" and notice.state == "draft"
    assert do_submit_notice(notice, actor=specialist.user).state == "submitted"


def test_cancel_references_the_original_and_takes_it_off_the_public_list(
    make_notice: Any, specialist: Any, coordinator: Any
) -> None:
    original = make_notice("published")
    cancel = do_derive_notice(original, "Cancel", actor=specialist.user)
    assert cancel.msg_type == "Cancel" and cancel.state == "draft"
    assert cancel.references == [original.reference]
    assert cancel.references[0].startswith(f"{original.sender},{original.identifier},")
    assert cancel.identifier != original.identifier
    # Until the cancel is approved and published, the original stays in force.
    assert original in current_notices()
    advance(cancel, "published", specialist, coordinator)
    original.refresh_from_db()
    assert original.state == "cancelled"
    assert original not in current_notices()


def test_an_update_supersedes_the_original(
    make_notice: Any, specialist: Any, coordinator: Any
) -> None:
    original = make_notice("published")
    update = do_derive_notice(original, "Update", actor=specialist.user)
    update = do_edit_notice(
        update, actor=specialist.user, **notice_fields(event="Beach closure extended")
    )
    update = advance(update, "published", specialist, coordinator)
    original.refresh_from_db()
    assert original.state == "superseded"
    assert list(current_notices()) == [update]


def test_only_a_published_notice_is_updated(make_notice: Any, specialist: Any) -> None:
    with pytest.raises(ValidationError):
        do_derive_notice(make_notice("approved"), "Update", actor=specialist.user)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"infos": {}}, None),
        ({"infos": {"lt": {"headline": "", "description": "Be antraštės"}}}, "headline_lt"),
        ({"areas": []}, "areas"),
        ({"areas": [{"area_desc": "X", "polygon": [[55.9, 21.0], [55.91, 21.0]]}]}, "areas"),
        ({"areas": [{"area_desc": "X", "polygon": [[95, 21], [55, 21], [56, 22]]}]}, "areas"),
        ({"category": []}, "category"),
        ({"category": ["Weather"]}, "category"),
        ({"urgency": "Now"}, "urgency"),
        ({"scope": "Restricted"}, "restriction"),
        ({"event": "  "}, "event"),
        ({"web": "javascript:alert(1)"}, "web"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(
    palanga: Any, specialist: Any, overrides: dict[str, Any], field: str | None
) -> None:
    from scape.alerts.actions import do_create_notice

    with pytest.raises(ValidationError) as error:
        do_create_notice(palanga, actor=specialist.user, **notice_fields(**overrides))
    if field is not None:
        assert field in error.value.message_dict
    assert not Notice.objects.exists()


def test_it_refuses_an_expiry_before_the_notice_takes_effect(palanga: Any, specialist: Any) -> None:
    import datetime

    from django.utils import timezone

    from scape.alerts.actions import do_create_notice

    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        do_create_notice(
            palanga,
            actor=specialist.user,
            **notice_fields(effective=now, expires=now - datetime.timedelta(hours=1)),
        )
    assert "expires" in error.value.message_dict


def test_it_posts_the_publication_to_the_organization_webhook(
    make_notice: Any, coordinator: Any, palanga: Any, django_capture_on_commit_callbacks: Any
) -> None:
    palanga.webhook_url = "https://partner.example/hook"
    palanga.save()
    notice = make_notice("approved")
    with django_capture_on_commit_callbacks(execute=True):
        do_publish_notice(notice, actor=coordinator.user)
    [(org_id, event, payload)] = queued_calls(post_webhook)
    assert (org_id, event) == (palanga.pk, "alert-published")
    assert payload["identifier"] == notice.identifier
    assert payload["headlines"]["lt"] == "Paplūdimys uždarytas"
    assert payload["cap_url"].endswith(f"/alerts/{notice.identifier}.xml")


def test_it_posts_nothing_without_a_webhook(
    make_notice: Any, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    notice = make_notice("approved")
    with django_capture_on_commit_callbacks(execute=True):
        do_publish_notice(notice, actor=coordinator.user)
    assert queued_calls(post_webhook) == []


def test_a_second_update_of_the_same_notice_is_refused(
    make_notice: Any, specialist: Any, coordinator: Any
) -> None:
    original = make_notice("published")
    first = do_derive_notice(original, "Update", actor=specialist.user)
    second = do_derive_notice(original, "Cancel", actor=specialist.user)
    advance(first, "published", specialist, coordinator)
    second = advance(second, "approved", specialist, coordinator)
    with pytest.raises(ValidationError):
        do_publish_notice(second, actor=coordinator.user)
    second.refresh_from_db()
    assert second.state == "approved"


def test_the_cap_sender_is_unique_worldwide_by_a_domain(
    make_notice: Any, settings: Any, coordinator: Any
) -> None:
    from scape.alerts.actions import cap_sender

    org = coordinator.organization
    settings.SCAPE_SITE_URL = "https://scape.example.lt"
    org.email = ""
    assert cap_sender(org) == f"{org.code}@scape.example.lt"
    org.email = "info@palanga.lt"
    assert cap_sender(org) == "info@palanga.lt"
    settings.SCAPE_CAP_SENDER_DOMAIN = "alerts.palanga.lt"
    assert cap_sender(org) == f"{org.code}@alerts.palanga.lt"
    notice = make_notice("draft")
    assert "@" in notice.sender and not notice.sender.endswith("@scape")
