"""Court exports as background work: asked for on the case page, built by a worker, downloaded later.

A ZIP of a case can hold many gigabytes: building it in the request would tie
a web node (and time out behind a proxy). ``do_start_case_export`` checks
everything that can be refused at once (the right to download, the reason,
redacted copies the share demands) and queues ``build_case_export``; the
worker writes the ZIP to its scratch folder, moves it to the default storage
(the bucket when one is set, so any web node serves it) and the person who
asked downloads it from the case page until it expires.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from scape.core import audit
from scape.core.choices import JobStatus
from scape.core.downloads import delete_expired, keep_for, private_file
from scape.core.models import Job
from scape.core.progress import enqueue_on_commit, finish_job, progress_reporter, update_job
from scape.vault import storage
from scape.vault.court_export import build_export, clean_choices, export_files
from scape.vault.models import Case, CaseExport


def slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)[:60] or "case"


def do_start_case_export(
    case: Case,
    *,
    actor: Any,
    reason: str,
    recipient: str = "",
    use_redacted: bool = False,
    choices: Mapping[Any, str] | None = None,
) -> CaseExport:
    """Queue the court export of a case; raise ValueError (NotRedactedError) or PermissionDenied.

    ``choices`` decides, per item id, an item without a redacted copy when
    ``use_redacted``: "original" or "leave" (out); see court_export.export_files.
    """
    decided = clean_choices(case, choices)
    # Refuse now, not in the worker.
    export_files(case, actor=actor, use_redacted=use_redacted, choices=decided)
    with transaction.atomic():
        job = Job.objects.create(
            kind=f"vault.export:{case.pk}",
            title=gettext_noop("Court export of case %(ref)s"),
            params={"ref": case.reference},
            organization=case.organization,
            created_by=actor,
        )
        export = CaseExport.objects.create(
            case=case,
            created_by=actor,
            job=job,
            reason=reason,
            recipient=recipient,
            use_redacted=use_redacted,
            choices={str(pk): value for pk, value in decided.items()},
            expires_at=timezone.now() + keep_for(),
        )
        enqueue_on_commit(build_case_export, job, export.pk)
    return export


@task()
def build_case_export(export_id: int) -> dict[str, Any]:
    """Build an export's ZIP and put it in storage (a worker; safe to run again)."""
    export = (
        CaseExport.objects.filter(pk=export_id).select_related("case__organization", "job").first()
    )
    if export is None:
        return {"status": "gone"}
    if export.file_name:
        return finish_job(export.job, JobStatus.SUCCEEDED, gettext_noop("Ready to download."))
    update_job(export.job, status=JobStatus.RUNNING, progress=0.0)
    folder = Path(tempfile.mkdtemp(prefix="tmp-export-", dir=storage.staging_dir()))
    try:
        out = folder / f"{slug(export.case.reference)}.zip"
        try:
            zip_sha = build_export(
                export.case,
                out,
                actor=export.created_by,
                reason=export.reason,
                recipient=export.recipient,
                use_redacted=export.use_redacted,
                choices={int(pk): value for pk, value in export.choices.items()},
                report=progress_reporter(export.job),
            )
        except ValueError as exc:
            return finish_job(export.job, JobStatus.FAILED, str(exc))
        with out.open("rb") as handle:
            name = default_storage.save(f"exports/{export.pk}/{out.name}", File(handle))
        CaseExport.objects.filter(pk=export.pk).update(
            file_name=name, size=out.stat().st_size, sha256=zip_sha
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return finish_job(export.job, JobStatus.SUCCEEDED, gettext_noop("Ready to download."))


def open_export(export: CaseExport, *, actor: Any) -> Any:
    """Open a built export for download and record who took it (raises FileNotFoundError)."""
    if not export.file_name:
        raise FileNotFoundError(export.pk)
    handle = default_storage.open(export.file_name, "rb")
    audit.record(
        "vault.export_downloaded",
        obj=export.case,
        actor=actor,
        reason=export.reason,
        recipient=export.recipient,
        details={"export": export.pk, "zip_sha256": export.sha256, "size": export.size},
    )
    return handle


def export_response(export: CaseExport, *, actor: Any) -> Any:
    """Answer a built export's ZIP to ``actor``, recorded (raises FileNotFoundError)."""
    response = private_file(
        open_export(export, actor=actor),
        filename=f"{slug(export.case.reference)}.zip",
        content_type="application/zip",
    )
    response["X-Export-SHA256"] = export.sha256
    return response


def expire_exports(now: Any = None) -> int:
    """Delete the ZIPs of exports past their time; return how many went."""
    return delete_expired(CaseExport.objects.filter(expires_at__lte=now or timezone.now()))
