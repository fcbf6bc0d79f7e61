"""Auditors read, filter and export the audit log; the reading is itself logged."""

from __future__ import annotations

import csv
import io

import pytest

from scape.core import audit
from scape.core.choices import Role
from scape.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(lt_org, persona):
    return persona(lt_org, Role.AUDITOR, username="gintare")


def test_only_auditors_may_read_it(client, lt_org, persona, logged_in):
    logged_in(persona(lt_org, Role.ORG_ADMIN))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403


def test_an_auditor_sees_their_organizations_events_not_others(
    client, lt_org, lv_org, persona, logged_in, auditor
):
    mine = persona(lt_org, Role.OFFICER, username="jonas")
    theirs = persona(lv_org, Role.OFFICER, username="janis")
    audit.record("vault.item_viewed", actor=mine.user, reason="case 12/2026")
    audit.record("vault.item_viewed", actor=theirs.user, reason="secret lv case")
    logged_in(auditor)
    page = client.get("/audit/", {"action": "vault.item_viewed"}).content.decode()
    assert "case 12/2026" in page
    assert "secret lv case" not in page


def test_it_filters_and_records_the_read(client, lt_org, persona, logged_in, auditor):
    officer = persona(lt_org, Role.OFFICER, username="jonas")
    # Reasons with spaces: a random CSRF token on the page could spell a short code.
    audit.record(
        "vault.item_streamed", actor=officer.user, reason="for the hearing", recipient="prosecutor"
    )
    audit.record("vault.item_downloaded", actor=officer.user, reason="for the archive")
    logged_in(auditor)
    page = client.get("/audit/", {"action": "streamed"}).content.decode()
    assert "for the hearing" in page and "prosecutor" in page and "for the archive" not in page
    read = AuditEvent.objects.filter(action="audit.read").last()
    assert read.actor_username == "gintare"
    assert read.details == {"filters": {"action": "streamed"}}


def test_bad_filters_get_a_clear_message(client, logged_in, auditor):
    logged_in(auditor)
    page = client.get("/audit/", {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "The start date is after the end date." in page.content.decode()
    page = client.get("/audit/", {"date_from": "yesterday"})
    assert "Enter a valid date." in page.content.decode()


def test_it_exports_csv_and_defuses_spreadsheet_formulas(
    client, lt_org, persona, logged_in, auditor
):
    officer = persona(lt_org, Role.OFFICER, username="jonas")
    audit.record("vault.item_viewed", actor=officer.user, reason='=HYPERLINK("http://x")')
    logged_in(auditor)
    response = client.get("/audit/export.csv", {"action": "vault.item_viewed"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["reason"] for r in rows] == ['\'=HYPERLINK("http://x")']
    assert rows[0]["hash"] == AuditEvent.objects.get(action="vault.item_viewed").hash
    assert AuditEvent.objects.filter(action="audit.exported").exists()


def test_script_in_a_logged_field_is_shown_as_text(client, lt_org, persona, logged_in, auditor):
    officer = persona(lt_org, Role.OFFICER)
    audit.record("vault.item_viewed", actor=officer.user, reason="<script>alert(1)</script>")
    logged_in(auditor)
    page = client.get("/audit/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_days_are_the_readers_days(client, lt_org, persona, logged_in, auditor):
    import datetime
    from unittest import mock

    officer = persona(lt_org, Role.OFFICER, username="jonas")
    late = datetime.datetime(2026, 5, 1, 22, 30, tzinfo=datetime.UTC)  # 01:30 on 2 May in Vilnius
    with mock.patch("scape.core.audit.timezone.now", return_value=late):
        audit.record("vault.item_viewed", actor=officer.user, reason="after midnight")
    logged_in(auditor)

    def shows(**days: str) -> bool:
        return "after midnight" in client.get("/audit/", days).content.decode()

    assert shows(date_from="2026-05-02", date_to="2026-05-02")
    assert not shows(date_to="2026-05-01")
    assert not shows(date_from="2026-05-03")
