"""Court exports run as tasks: asked for on the case page, built by a worker, downloaded later."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.test import TestCase, override_settings
from django.utils import timezone

from scape.core.choices import JobStatus, Role
from scape.core.models import AuditEvent
from scape.core.testing import IMMEDIATE_TASKS
from scape.vault.actions.ingest import do_ingest
from scape.vault.court_export import verify_export
from scape.vault.exports import expire_exports
from scape.vault.models import CaseExport

pytestmark = pytest.mark.django_db


def export_zip(client: Any, case: Any, data: dict[str, str]) -> Any:
    """Post the export form with tasks run at once; return the built ZIP's download, if any."""
    before = set(CaseExport.objects.values_list("pk", flat=True))
    with override_settings(TASKS=IMMEDIATE_TASKS), TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/vault/cases/{case.pk}/export/", data)
    made = CaseExport.objects.exclude(pk__in=before).first()
    if made is None or not made.file_name:
        return response
    return client.get(f"/vault/exports/{made.pk}/download/")


@pytest.fixture
def filled_case(lt_org: Any, custodian: Any, clip: Any) -> Any:
    from scape.vault.actions import do_create_case

    case = do_create_case(
        organization=lt_org, reference="LT-77", title="Pier", actor=custodian.user
    )
    do_ingest(clip.open("rb"), name=clip.name, organization=lt_org, case=case)
    return case


def test_the_export_is_built_by_a_worker_and_downloaded_from_the_case_page(
    client, filled_case, custodian, logged_in, tmp_path
):
    logged_in(custodian)
    data = {"reason": "hearing 2026-12-01", "recipient": "Klaipėda court"}
    before = set(CaseExport.objects.values_list("pk", flat=True))
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        answer = client.post(f"/vault/cases/{filled_case.pk}/export/", data)
    # The request only queues the work: no ZIP yet, the page shows it being built.
    assert answer.status_code == 302 and answer["Location"].endswith("#exports")
    export = CaseExport.objects.exclude(pk__in=before).get()
    assert export.job.status == JobStatus.QUEUED and not export.file_name and len(queued) == 1
    page = client.get(filled_case.get_absolute_url()).content.decode()
    assert "hx-get" in page and f"/vault/cases/{filled_case.pk}/exports/" in page

    response = export_zip(client, filled_case, data)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    body = b"".join(response.streaming_content)
    built = CaseExport.objects.exclude(pk__in=before).exclude(pk=export.pk).get()
    assert built.job.status == JobStatus.SUCCEEDED and built.job.progress == 1.0
    assert hashlib.sha256(body).hexdigest() == built.sha256 == response["X-Export-SHA256"]
    path = tmp_path / "export.zip"
    path.write_bytes(body)
    assert verify_export(path) == []
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert "manifest.json" in archive.namelist()
    downloaded = AuditEvent.objects.filter(action="vault.export_downloaded").get()
    assert downloaded.reason == data["reason"] and downloaded.recipient == data["recipient"]
    # The fragment the page polls shows the download link once it is ready.
    fragment = client.get(f"/vault/cases/{filled_case.pk}/exports/").content.decode()
    assert f"/vault/exports/{built.pk}/download/" in fragment


def test_only_the_person_who_asked_downloads_an_export(
    client, filled_case, custodian, lt_org, persona, logged_in
):
    logged_in(custodian)
    export_zip(client, filled_case, {"reason": "hearing 2026-12-01"})
    built = CaseExport.objects.get()
    colleague = persona(lt_org, Role.CUSTODIAN, username="ona")
    logged_in(colleague)
    assert client.get(f"/vault/exports/{built.pk}/download/").status_code == 404
    assert (
        f"/vault/exports/{built.pk}/"
        not in client.get(f"/vault/cases/{filled_case.pk}/exports/").content.decode()
    )


def test_an_expired_export_is_removed_with_its_file(client, filled_case, custodian, logged_in):
    from django.core.files.storage import default_storage

    logged_in(custodian)
    export_zip(client, filled_case, {"reason": "hearing 2026-12-01"})
    built = CaseExport.objects.get()
    assert default_storage.exists(built.file_name)
    assert expire_exports(now=timezone.now() + timedelta(days=8)) == 1
    assert not default_storage.exists(built.file_name) and not CaseExport.objects.exists()
    assert client.get(f"/vault/exports/{built.pk}/download/").status_code == 404
