"""Background work of the vault: thumbnails and playable copies after ingest.

A new item gets a Job row (what pages poll) and a task on the queue. The task
is idempotent: run twice, or again after being killed, it finishes what is
missing and makes no duplicate (see scape.vault.media).
"""

from __future__ import annotations

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
from scape.vault import media
from scape.vault.choices import ItemStatus
from scape.vault.models import EvidenceItem
from scape.vault.signals import item_ingested

MEDIA_JOB = "vault.media"
# Progress is written at most this often: a database write per frame would
# cost more than the encoding.


def media_job_kind(item_pk: int) -> str:
    """Return the Job.kind of media production for one item (how its jobs are found)."""
    return f"{MEDIA_JOB}:{item_pk}"


def item_jobs(item: EvidenceItem) -> Any:
    """Return the item's jobs, newest first."""
    return Job.objects.filter(kind=media_job_kind(item.pk)).order_by("-created_at", "-pk")


def schedule_media(item: EvidenceItem, *, actor: Any = None) -> Job:
    """Create the Job for the item's thumbnail and playable copy and queue the task.

    The task is queued once the surrounding transaction commits, so a worker
    never looks for a Job or an item that is not there yet.
    """
    active = item_jobs(item).filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()
    if active is not None:
        return active
    job = Job.objects.create(
        kind=media_job_kind(item.pk),
        title=gettext_noop("Thumbnail and playable copy of %(name)s"),
        params={"name": item.original_name},
        organization=item.organization,
        created_by=actor if getattr(actor, "is_authenticated", False) else item.ingested_by,
    )
    enqueue_on_commit(produce_media, job, job.pk, item.pk)
    return job


@receiver(item_ingested, dispatch_uid="vault.tasks.schedule_media")
def _on_item_ingested(sender: Any, item_id: int, **kwargs: Any) -> None:
    item = EvidenceItem.objects.filter(pk=item_id).first()
    if item is not None and media.wanted(item):
        schedule_media(item)


@task(queue_name=VISION_QUEUE)
def produce_media(job_id: int, item_id: int) -> dict[str, Any]:
    """Make the item's thumbnail and playable copy, reporting progress to the Job."""
    job = Job.objects.filter(pk=job_id).select_related("created_by__person").first()
    with translation.override(_language_of(job)):
        return _produce(job, item_id)


def _language_of(job: Job | None) -> str | None:
    person = getattr(getattr(job, "created_by", None), "person", None)
    return getattr(person, "ui_language", "") or None


def _produce(job: Job | None, item_id: int) -> dict[str, Any]:
    item = EvidenceItem.objects.filter(pk=item_id).select_related("blob").first()
    if item is None:
        return finish_job(
            job, JobStatus.FAILED, gettext_noop("The evidence item no longer exists.")
        )
    if item.status == ItemStatus.UNREADABLE:
        return finish_job(
            job,
            JobStatus.FAILED,
            _("The file could not be read, so no thumbnail or playable copy was made: %(reason)s")
            % {"reason": item.unreadable_reason or _("unknown reason")},
        )
    if item.status != ItemStatus.AVAILABLE:
        return finish_job(job, JobStatus.FAILED, gettext_noop("The item is no longer available."))
    update_job(job, status=JobStatus.RUNNING, progress=0.0, message="")
    try:
        made = media.produce(item, progress=progress_reporter(job))
    except media.MediaError as exc:
        return finish_job(job, JobStatus.FAILED, str(exc))
    except Exception:
        finish_job(
            job, JobStatus.FAILED, gettext_noop("Making the playable copy failed unexpectedly.")
        )
        raise
    return finish_job(
        job,
        JobStatus.SUCCEEDED,
        _("The thumbnail and playable copy are ready."),
        made=[d.kind for d in made],
    )


@task()
def run_bulk(job_id: int) -> dict[str, Any]:
    """Do a bulk step item by item through each item's own action (safe to run again:
    every action leaves an item it has already done as it is)."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction
    from django.http import Http404

    from scape.vault.actions.finding import apply_bulk_step
    from scape.vault.models import BulkAction

    bulk = BulkAction.objects.filter(job_id=job_id).select_related("job", "created_by").first()
    if bulk is None:
        return {"status": "gone"}
    job = bulk.job
    update_job(job, status=JobStatus.RUNNING, progress=0.0)
    report = progress_reporter(job)
    done = refused = 0
    items = EvidenceItem.objects.in_bulk(bulk.item_ids)
    for index, pk in enumerate(bulk.item_ids, start=1):
        item = items.get(pk)
        try:
            if item is None:
                raise Http404
            with transaction.atomic():
                apply_bulk_step(bulk.op, bulk.options, item, bulk.created_by)
            done += 1
        except (ValidationError, PermissionDenied, Http404):
            refused += 1  # the item's own rule said no: nothing of it changed
        report(index / len(bulk.item_ids))
    Job.objects.filter(pk=job.pk).update(params={**job.params, "done": done, "refused": refused})
    message = (
        gettext_noop("Done for %(done)s of %(count)s items; %(refused)s refused by their rules.")
        if refused
        else gettext_noop("Done for all %(count)s items.")
    )
    return finish_job(job, JobStatus.SUCCEEDED, message, done=done, refused=refused)
