"""Files a worker prepares for one person: large exports made off the request.

A report of a year in PDF or every asset as XLSX can take longer than a
proxy waits, and ties a web node while it is made. So a page asks for the
file (``do_start_download``), a worker makes it (``prepare_download``) as the
person who asked would see it, puts it in the default storage (the bucket
when one is set, so any web node serves it), and the person downloads it
from "My downloads" until it expires (``SCAPE_EXPORT_KEEP_DAYS``).

Apps register what they can prepare in their AppConfig.ready()::

    downloads.register("equipment.assets", gettext_noop("Equipment as %(fmt)s"), make)

where ``make(user, params, report)`` returns a ``Prepared`` file and
``report(fraction)`` tells the job's progress. The maker is called with the
language that was active when the file was asked for. A maker that refuses
(a form no longer valid, a right since withdrawn) raises ``Refused`` with a
message for the person, shown on the job.
"""

from __future__ import annotations

import contextlib
import hashlib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop
from django_tasks import task

from scape.core import audit
from scape.core.access import actor_of
from scape.core.choices import JobStatus
from scape.core.context import actor_context
from scape.core.models import Download, Job
from scape.core.progress import enqueue_on_commit, finish_job, progress_reporter, update_job

Report = Callable[[float], None]


@dataclass(frozen=True)
class Prepared:
    """A made file: the name it downloads as, its media type and its bytes."""

    name: str
    content_type: str
    content: bytes


class Refused(Exception):
    """The file cannot be made; the message says why, for the person who asked."""


Make = Callable[[Any, dict[str, Any], Report], Prepared]


@dataclass(frozen=True)
class Maker:
    kind: str
    title: str  # a message id with %(name)s placeholders filled from the params
    make: Make


REGISTRY: dict[str, Maker] = {}


def register(kind: str, title: str, make: Make) -> None:
    """Let ``kind`` be prepared by ``make``; ``title`` is marked with gettext_noop."""
    REGISTRY[kind] = Maker(kind, title, make)


def keep_for() -> timedelta:
    """Return how long a prepared file (or a court export) stays downloadable."""
    return timedelta(days=float(getattr(settings, "SCAPE_EXPORT_KEEP_DAYS", 7)))


def do_start_download(kind: str, params: dict[str, Any], *, actor: Any) -> Download:
    """Queue the making of a ``kind`` file from ``params`` for ``actor``."""
    maker = REGISTRY[kind]
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    params = {**params, "language": translation.get_language() or settings.LANGUAGE_CODE}
    with transaction.atomic():
        job = Job.objects.create(
            kind=f"download:{kind}",
            title=maker.title,
            params={k: str(v) for k, v in params.items() if isinstance(v, str | int)},
            organization_id=actor_of(actor).organization_id,
            created_by=actor,
        )
        download = Download.objects.create(
            kind=kind,
            params=params,
            created_by=actor,
            job=job,
            expires_at=timezone.now() + keep_for(),
        )
        enqueue_on_commit(prepare_download, job, download.pk)
    return download


@task()
def prepare_download(download_id: int) -> dict[str, Any]:
    """Make a download's file and put it in storage (a worker; safe to run again)."""
    download = Download.objects.filter(pk=download_id).select_related("created_by", "job").first()
    if download is None:
        return {"status": "gone"}
    if download.file_name:
        return finish_job(download.job, JobStatus.SUCCEEDED, gettext_noop("Ready to download."))
    maker = REGISTRY.get(download.kind)
    if maker is None:
        return finish_job(
            download.job, JobStatus.FAILED, gettext_noop("This file can no longer be made.")
        )
    update_job(download.job, status=JobStatus.RUNNING, progress=0.0)
    user = download.created_by
    language = str(download.params.get("language") or settings.LANGUAGE_CODE)
    try:
        with actor_context(user), translation.override(language):
            if not user.is_active:
                raise Refused(gettext_noop("The account that asked for this file is closed."))
            made = maker.make(user, download.params, progress_reporter(download.job))
    except (Refused, PermissionDenied) as exc:
        message = str(exc) or gettext_noop("You may no longer have this file.")
        return finish_job(download.job, JobStatus.FAILED, message)
    name = default_storage.save(f"downloads/{download.pk}/{made.name}", ContentFile(made.content))
    Download.objects.filter(pk=download.pk).update(
        name=made.name,
        content_type=made.content_type,
        file_name=name,
        size=len(made.content),
        sha256=hashlib.sha256(made.content).hexdigest(),
    )
    return finish_job(download.job, JobStatus.SUCCEEDED, gettext_noop("Ready to download."))


def open_download(download: Download, *, actor: Any) -> Any:
    """Open a prepared file and record who took it (raises FileNotFoundError)."""
    if not download.file_name:
        raise FileNotFoundError(download.pk)
    handle = default_storage.open(download.file_name, "rb")
    audit.record(
        "core.download_taken",
        actor=actor,
        details={
            "download": download.pk,
            "kind": download.kind,
            "name": download.name,
            "sha256": download.sha256,
            "size": download.size,
        },
    )
    return handle


def safe_filename(name: str, *, fallback: str) -> str:
    """Return a file name safe in a Content-Disposition header, on any disk and on a page.

    Only the last part of a path is kept (a browser on Windows may send
    ``C:\\fakepath\\list.csv``); separators, reserved and control characters
    become ``_``; a name with no letter or digit left is ``fallback``.
    """
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        "_" if c in '/\\:*?"<>|' or unicodedata.category(c)[0] == "C" else c for c in name
    )
    name = name.strip(" .")[:200]
    return name if any(c.isalnum() for c in name) else fallback


def private_file(handle: Any, *, filename: str, content_type: str) -> FileResponse:
    """Return a stored file as an attachment that no cache along the way keeps."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


def delete_expired(records: Iterable[Any]) -> int:
    """Delete records that keep a file in the default storage (``file_name``), with their files."""
    gone = 0
    for record in records:
        if record.file_name:
            with contextlib.suppress(FileNotFoundError):
                default_storage.delete(record.file_name)
        record.delete()
        gone += 1
    return gone


def expire_downloads(now: Any = None) -> int:
    """Delete the files of downloads past their time; return how many went."""
    return delete_expired(Download.objects.filter(expires_at__lte=now or timezone.now()))
