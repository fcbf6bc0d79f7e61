"""What integrators read through the API besides records: a person's notifications, and the
audit log (auditors only, each consultation recorded)."""

from __future__ import annotations

from typing import Any

import pytest

from scape.core import audit
from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.core.testing import token_client
from scape.directory.models import Notification
from scape.directory.notify import notify_people

pytestmark = pytest.mark.django_db


def test_a_person_reads_and_marks_their_own_notifications(lt_org: Any, persona: Any) -> None:
    officer = persona(lt_org, Role.OFFICER, username="api-officer")
    other = persona(lt_org, Role.OFFICER, username="api-other")
    notify_people([officer, other], kind="test", title="Hit on KGB 808", url="/traffic/hits/1/")
    api = token_client(officer.user)
    rows = api.get("/api/v1/notifications/").json()["results"]
    assert [r["title"] for r in rows] == ["Hit on KGB 808"] and rows[0]["read_at"] is None
    assert len(api.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]) == 1
    assert api.get("/api/v1/notifications/", {"unread": "maybe"}).status_code == 400
    assert api.post("/api/v1/notifications/read/", {}, format="json").json() == {"marked": 1}
    assert api.get("/api/v1/notifications/", {"unread": "true"}).json()["results"] == []
    assert Notification.objects.get(recipient=other).read_at is None  # someone else's stays
    # An id no database can hold is refused with a 400 naming it, never a 500.
    for ids in ([-5], [2**63], [-135975691306774233088]):
        refused = api.post("/api/v1/notifications/read/", {"ids": ids}, format="json")
        assert refused.status_code == 400 and "ids" in refused.json(), ids


def test_only_an_auditor_reads_the_audit_log_and_the_reading_is_recorded(
    lt_org: Any, lv_org: Any, persona: Any
) -> None:
    auditor = persona(lt_org, Role.AUDITOR, username="api-auditor")
    officer = persona(lt_org, Role.OFFICER, username="api-officer2")
    foreign = persona(lv_org, Role.OFFICER, username="api-lv")
    audit.record(
        "vault.item_viewed", actor=officer.user, object_type="vault.evidenceitem", object_id="7"
    )
    audit.record(
        "vault.item_viewed", actor=foreign.user, object_type="vault.evidenceitem", object_id="8"
    )
    assert token_client(officer.user).get("/api/v1/audit/events/").status_code == 403
    api = token_client(auditor.user)
    rows = api.get("/api/v1/audit/events/", {"action": "item_viewed"}).json()["results"]
    assert [r["object_id"] for r in rows] == ["7"]  # its own organization's only
    assert rows[0]["hash"] and rows[0]["actor_username"] == "api-officer2"
    read = AuditEvent.objects.filter(action="audit.read", actor_username="api-auditor").get()
    assert read.details == {"filters": {"action": "item_viewed"}, "via": "api"}
    assert api.get("/api/v1/audit/events/", {"nonsense": "1"}).status_code == 400
