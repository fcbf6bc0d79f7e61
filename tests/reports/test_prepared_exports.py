"""Report exports made by a worker and downloaded later from "Your downloads" (issue 18)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import TestCase, override_settings
from django.utils import timezone

from scape.core.choices import JobStatus
from scape.core.downloads import expire_downloads
from scape.core.models import AuditEvent, Download
from scape.core.testing import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db
FILTER = {"period": "year", "year": "2025"}


def prepare(client: Any, fmt: str, **data: str) -> Any:
    """Ask for an export with the worker's task run at once; return the page it leads to."""
    with override_settings(TASKS=IMMEDIATE_TASKS), TestCase.captureOnCommitCallbacks(execute=True):
        answer = client.post(f"/reports/export.{fmt}/prepare/", {**FILTER, **data})
    if answer.status_code != 302:
        return answer
    followed = client.get(answer["Location"])
    followed.redirected_to = answer["Location"]
    return followed


def test_a_report_export_is_made_in_the_background_and_downloaded_from_the_list(
    evidence: Any, lt_officer: Any, logged_in: Any, _media: Any
) -> None:
    client = logged_in(lt_officer)
    answer = prepare(client, "csv", lang="lv")
    assert answer.redirected_to == "/downloads/"
    page = answer.content.decode()
    assert "scape-indicators-2025-lv.csv" in page
    made = Download.objects.get(created_by=lt_officer.user)
    assert made.job is not None and made.job.status == JobStatus.SUCCEEDED
    file = client.get(f"/downloads/{made.pk}/file/")
    assert file.status_code == 200 and file["Cache-Control"] == "private, no-store"
    assert 'filename="scape-indicators-2025-lv.csv"' in file["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(file.streaming_content).decode("utf-8-sig"))))
    by_code = {row[1]: row for row in rows[3:]}
    # The same figures as the export made in the request.
    assert by_code["evidence-ingested"][2] == "Uzņemtie pierādījumi"
    assert by_code["evidence-ingested"][4] == "3"
    taken = AuditEvent.objects.get(action="core.download_taken")
    assert taken.actor_id == lt_officer.user.pk and taken.details["sha256"] == made.sha256


def test_the_job_of_a_download_reads_in_the_language_of_the_page(
    evidence: Any, lt_officer: Any, logged_in: Any, _media: Any
) -> None:
    client = logged_in(lt_officer)
    prepare(client, "pdf", lang="en")
    client.post("/i18n/setlang/", {"language": "lt", "next": "/downloads/"})
    page = client.get("/downloads/", HTTP_ACCEPT_LANGUAGE="lt").content.decode()
    assert "Rodiklių eksportas (pdf)" in page


def test_nobody_else_downloads_a_prepared_file(
    evidence: Any, lt_officer: Any, lv_officer: Any, logged_in: Any, _media: Any
) -> None:
    prepare(logged_in(lt_officer), "xlsx", lang="en")
    made = Download.objects.get()
    other = logged_in(lv_officer)
    assert other.get(f"/downloads/{made.pk}/file/").status_code == 404
    assert "scape-indicators" not in other.get("/downloads/").content.decode()
    assert not AuditEvent.objects.filter(action="core.download_taken").exists()


def test_a_bad_period_is_refused_before_any_work_is_queued(
    lt_officer: Any, logged_in: Any, _media: Any
) -> None:
    answer = prepare(logged_in(lt_officer), "pdf", period="month", lang="en")
    assert "check the period" in answer.content.decode()
    assert not Download.objects.exists()


def test_non_members_cannot_ask_for_an_export(
    lt_org: Any, persona: Any, logged_in: Any, _media: Any
) -> None:
    assert prepare(logged_in(persona(lt_org)), "csv").status_code == 403
    assert not Download.objects.exists()


def test_a_file_is_not_made_for_an_account_closed_meanwhile(
    evidence: Any, lt_officer: Any, logged_in: Any, _media: Any
) -> None:
    from scape.core.downloads import do_start_download, prepare_download

    user = lt_officer.user
    made = do_start_download("reports.export", {**FILTER, "fmt": "csv"}, actor=user)
    user.is_active = False
    user.save()
    prepare_download.call(made.pk)
    made.refresh_from_db()
    assert not made.file_name and made.job is not None
    assert made.job.status == JobStatus.FAILED and "closed" in made.job.message


def test_an_expired_download_is_deleted_with_its_file(
    evidence: Any, lt_officer: Any, logged_in: Any, _media: Any
) -> None:
    client = logged_in(lt_officer)
    prepare(client, "csv", lang="en")
    made = Download.objects.get()
    assert default_storage.exists(made.file_name)
    assert expire_downloads(timezone.now() + timedelta(days=6)) == 0
    assert expire_downloads(timezone.now() + timedelta(days=8)) == 1
    assert not default_storage.exists(made.file_name)
    assert client.get(f"/downloads/{made.pk}/file/").status_code == 404
