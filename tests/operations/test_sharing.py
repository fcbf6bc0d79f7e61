"""Sharing an incident with a partner through the core grant, and revoking it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from scape.core.models import AuditEvent, Grant
from scape.directory.models import Notification
from scape.operations.actions import do_add_log_entry, do_revoke_incident_share

pytestmark = pytest.mark.django_db


def test_it_lets_the_partner_see_and_write_in_the_log(
    make_incident: Any, share: Any, lv_officer: Any, lt_specialist: Any, logged_in: Any
) -> None:
    incident = make_incident()
    do_add_log_entry(incident, "Reported by a witness in Rucava", actor=lv_officer.user)
    with pytest.raises(Http404):
        do_add_log_entry(incident, "Too early", actor=lt_specialist.user)
    share(incident)
    note = Notification.objects.get(recipient=lt_specialist)
    assert incident.reference in note.title
    client = logged_in(lt_specialist)
    response = client.post(
        f"/operations/incidents/{incident.pk}/log/", {"text": "Checked the Būtingė road"}
    )
    assert response.status_code == 302
    # Both organizations' entries show on both sides.
    for person in (lv_officer, lt_specialist):
        page = logged_in(person).get(incident.get_absolute_url()).content.decode()
        assert "Reported by a witness in Rucava" in page
        assert "Checked the Būtingė road" in page
        assert "lt-police" in page and "lv-police" in page


def test_it_hides_the_incident_again_after_revocation(
    make_incident: Any, share: Any, lv_officer: Any, lt_specialist: Any, logged_in: Any
) -> None:
    incident = make_incident()
    grant = share(incident)
    client = logged_in(lt_specialist)
    assert client.get(incident.get_absolute_url()).status_code == 200
    response = logged_in(lv_officer).post(
        f"/operations/incidents/{incident.pk}/share/{grant.pk}/revoke/"
    )
    assert response.status_code == 302
    assert Grant.objects.get(pk=grant.pk).revoked_at is not None
    client = logged_in(lt_specialist)
    assert client.get(incident.get_absolute_url()).status_code == 404
    with pytest.raises(Http404):
        do_add_log_entry(incident, "Too late", actor=lt_specialist.user)
    assert AuditEvent.objects.filter(action="core.share_revoked").exists()


def test_it_shares_from_the_page_with_purpose_and_expiry(
    make_incident: Any, lv_officer: Any, lt_org: Any, logged_in: Any
) -> None:
    incident = make_incident()
    client = logged_in(lv_officer)
    assert client.get(f"/operations/incidents/{incident.pk}/share/").status_code == 200
    expires = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    missing = client.post(
        f"/operations/incidents/{incident.pk}/share/",
        {"grantee": lt_org.pk, "purpose": "", "expires_at": expires},
    )
    assert missing.status_code == 200 and not Grant.objects.exists()
    response = client.post(
        f"/operations/incidents/{incident.pk}/share/",
        {"grantee": lt_org.pk, "purpose": "Search", "expires_at": expires},
    )
    assert response.status_code == 302
    grant = Grant.objects.get()
    assert grant.grantee == lt_org and grant.purpose == "Search" and grant.redacted_only
    event = AuditEvent.objects.get(action="core.shared")
    assert event.recipient == "lt-police" and event.reason == "Search"


def test_it_refuses_sharing_to_those_who_may_not(
    make_incident: Any, share: Any, lt_org: Any, lv_volunteer: Any, lt_specialist: Any
) -> None:
    incident = make_incident()
    with pytest.raises(ValidationError):
        share(incident, grantee=incident.organization)
    grant = share(incident)
    with pytest.raises(PermissionDenied):
        # A partner may not revoke, nor re-share the owner's record.
        do_revoke_incident_share(grant, actor=lt_specialist.user)


def test_it_keeps_other_partners_out(
    make_incident: Any, share: Any, other_org_officer: Any, logged_in: Any
) -> None:
    incident = make_incident()
    share(incident)
    assert logged_in(other_org_officer).get(incident.get_absolute_url()).status_code == 404
