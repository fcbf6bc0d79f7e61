"""Background work of traffic: reading plates in vault footage and stills.

The action creates a Job (what pages show) and sends evidence_read_requested;
the receiver here queues the task on commit. The
task is idempotent: run again, it finds the reads it stored before (same item,
camera, time and plate) and stores no duplicate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from scape.core.choices import JobStatus
from scape.core.models import Job
from scape.core.progress import (
    VISION_QUEUE,
    enqueue_on_commit,
    finish_job,
    progress_reporter,
    update_job,
)
from scape.traffic.choices import ReadSource
from scape.traffic.models import TrafficCamera
from scape.traffic.signals import evidence_read_requested
from scape.vault import storage
from scape.vault.choices import ItemStatus, MediaKind
from scape.vault.models import EvidenceItem
from scape.vault.signals import item_ingested


@receiver(evidence_read_requested, dispatch_uid="traffic.tasks.queue_evidence_reads")
def queue_evidence_reads(sender: Any, *, job: Job, item: Any, camera: Any, **kwargs: Any) -> None:
    """Queue the reading of an evidence item's plates for the Job the action made."""
    camera_id = camera.pk if camera is not None else None
    enqueue_on_commit(read_evidence_plates, job, job.pk, item.pk, camera_id)


@receiver(item_ingested, dispatch_uid="traffic.tasks.read_footage_on_arrival")
def read_footage_on_arrival(sender: Any, item_id: int, **kwargs: Any) -> None:
    """Read the plates of traffic-camera footage as soon as the vault has stored it."""
    from scape.traffic.actions import do_read_footage_on_arrival

    item = (
        EvidenceItem.objects.filter(pk=item_id, status=ItemStatus.AVAILABLE)
        .select_related("organization", "ingested_by")
        .first()
    )
    if item is not None:
        do_read_footage_on_arrival(item)


@task(queue_name=VISION_QUEUE)
def read_evidence_plates(job_id: int, item_id: int, camera_id: int | None) -> dict[str, Any]:
    """Read the plates in an evidence item, store them, and report progress to the Job."""
    job = Job.objects.filter(pk=job_id).select_related("created_by__person").first()
    person = getattr(getattr(job, "created_by", None), "person", None)
    with translation.override(getattr(person, "ui_language", "") or None):
        return _read(job, item_id, camera_id)


def _read(job: Job | None, item_id: int, camera_id: int | None) -> dict[str, Any]:
    # Imported here, not at the top: this module is loaded by every process at
    # start-up (it connects the receiver above), and the reading glue brings
    # PyAV and OpenCV, which only a worker reading plates needs. No circle:
    # reading imports the actions, which import nothing of this module.
    from scape.traffic.reading import UnreadableFile, read_file, reader_for, store_reads

    item = EvidenceItem.objects.filter(pk=item_id).select_related("blob", "organization").first()
    if item is None or item.blob is None or item.status != ItemStatus.AVAILABLE:
        return finish_job(
            job, JobStatus.FAILED, gettext_noop("The evidence item is not available.")
        )
    if item.media_kind not in (MediaKind.VIDEO, MediaKind.IMAGE):
        return finish_job(
            job, JobStatus.FAILED, gettext_noop("Only videos and images have plates to read.")
        )
    camera = (
        TrafficCamera.objects.select_related("organization").filter(pk=camera_id).first()
        if camera_id
        else None
    )
    update_job(job, status=JobStatus.RUNNING, progress=0.0, message="")
    report = progress_reporter(job)

    try:
        with storage.local_path(item.blob.storage_key) as path:
            reads = list(
                read_file(
                    reader_for(camera),
                    Path(path),
                    image=item.media_kind == MediaKind.IMAGE,
                    progress=report,
                )
            )
    except FileNotFoundError:
        return finish_job(
            job, JobStatus.FAILED, gettext_noop("The original file is missing from storage.")
        )
    except UnreadableFile as exc:
        return finish_job(job, JobStatus.FAILED, str(exc))
    start = (item.recorded_at or item.ingested_at).replace(microsecond=0)
    organization = camera.organization if camera is not None else item.organization
    actor = job.created_by if job is not None else None
    stored = store_reads(
        reads,
        organization=organization,
        camera=camera,
        start=start,
        source=ReadSource.VAULT,
        vault_item_id=item.pk,
        actor=actor,
    )
    hits = sum(1 for r in stored if r.hit)
    return finish_job(
        job,
        JobStatus.SUCCEEDED,
        _("Plates read: %(reads)d; hot-list hits: %(hits)d.")
        % {"reads": len(stored), "hits": hits},
        reads=[r.pk for r in stored],
    )
