"""Ingest: the one action behind the folder, browser and API doors.

Each file is copied and hashed in one pass into an anonymous staging file,
linked into place under its SHA-256 when complete, and recorded as an evidence
item with an audit event. Same content again is a duplicate: no second copy,
a custody event on the existing item instead.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scape.core import audit
from scape.equipment.queries import who_held
from scape.vault import probe, storage
from scape.vault.choices import ItemStatus, MediaKind, SourceType
from scape.vault.models import Blob, Case, Category, EvidenceItem
from scape.vault.retention import apply_retention
from scape.vault.signals import item_ingested

Status = Literal["new", "duplicate", "rejected"]


@dataclass
class IngestResult:
    status: Status
    item: EvidenceItem | None = None
    sha256: str = ""
    reason: str = ""

    @property
    def line(self) -> str:
        item = str(self.item.pk) if self.item else "-"
        status = f"rejected: {self.reason}" if self.status == "rejected" else self.status
        return f"{item} {self.sha256 or '-'} {status}"


def max_bytes() -> int:
    return int(getattr(settings, "SCAPE_MAX_EVIDENCE_BYTES", 64 * 1024**3))


# Characters that reorder how a name is displayed, not what it is.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def check_name(name: str) -> str:
    """Return why a file cannot be ingested on its own by its name, or an empty string.

    Telemetry sidecars (.srt, .gpx) are refused here: they are attached to their
    video (the command line does that before calling ingest).
    """
    if not name or name in (".", "..") or len(name) > 255:
        return _("the file name is empty or too long")
    if "/" in name or "\\" in name or any(unicodedata.category(c) == "Cc" for c in name):
        return _("the file name contains path separators or control characters")
    if any(c in BIDI_CONTROLS for c in name):
        # U+202E (right-to-left override) can make "clip<RLO>4pm.exe" read as "clipexe.mp4".
        return _("the file name contains characters that change the reading direction")
    if probe.is_sidecar(name):
        return _("a telemetry file is attached to its video, not stored on its own")
    if probe.kind_of(name) is None:
        accepted = ", ".join(sorted({*probe.EXTENSIONS, *probe.SIDECARS}))
        return _("not an accepted evidence file type (accepted: %(types)s)") % {"types": accepted}
    return ""


def do_ingest(
    source: BinaryIO,
    *,
    name: str,
    organization: Any,
    actor: Any = None,
    source_type: str = SourceType.UPLOAD,
    device_serial: str = "",
    officer: Any = None,
    case: Case | None = None,
    category: Category | None = None,
    via: str = "",
) -> IngestResult:
    """Store one evidence file and return what happened to it.

    Never raises for bad input: a refused file comes back as status "rejected"
    with a reason in the user's language, and leaves nothing behind.
    """
    reason = check_name(name)
    if reason:
        return IngestResult("rejected", reason=reason)
    try:
        staged = storage.stage(source, max_bytes=max_bytes())
    except storage.TooLarge:
        return IngestResult("rejected", reason=_too_large())
    return ingest_staged(
        staged,
        name=name,
        organization=organization,
        actor=actor,
        source_type=source_type,
        device_serial=device_serial,
        officer=officer,
        case=case,
        category=category,
        via=via,
    )


def _too_large() -> str:
    return _("larger than the limit of %(gib).1f GiB") % {"gib": max_bytes() / 1024**3}


def do_ingest_completed_upload(
    path: Path,
    *,
    name: str,
    organization: Any,
    actor: Any = None,
    **options: Any,
) -> IngestResult:
    """Store a file that a resumable upload finished writing into the staging folder.

    The file is read once to hash it and then linked into place (no copy).
    It is consumed: removed from staging whatever the outcome.
    """
    reason = check_name(name)
    if reason:
        path.unlink(missing_ok=True)
        return IngestResult("rejected", reason=reason)
    if path.stat().st_size > max_bytes():
        path.unlink(missing_ok=True)
        return IngestResult("rejected", reason=_too_large())
    staged = storage.adopt(path)
    return ingest_staged(staged, name=name, organization=organization, actor=actor, **options)


def do_ingest_stored_upload(
    key: str,
    *,
    sha256: str,
    size: int,
    name: str,
    organization: Any,
    actor: Any = None,
    **options: Any,
) -> IngestResult:
    """Store a file that a resumable upload joined on the object store under `key`.

    Its SHA-256 was computed as its chunks arrived (on whichever nodes), so
    it is not read again: it is copied into place inside the store, and only
    the few ranges the decoder needs are read to describe it. The object is
    consumed: removed from the store whatever the outcome.
    """
    staged = storage.staged_object(key, sha256=sha256, size=size)
    reason = check_name(name) or (_too_large() if size > max_bytes() else "")
    if reason:
        staged.close()
        return IngestResult("rejected", reason=reason)
    return ingest_staged(staged, name=name, organization=organization, actor=actor, **options)


def ingest_staged(
    staged: storage.Staged,
    *,
    name: str,
    organization: Any,
    actor: Any = None,
    source_type: str = SourceType.UPLOAD,
    device_serial: str = "",
    officer: Any = None,
    case: Case | None = None,
    category: Category | None = None,
    via: str = "",
) -> IngestResult:
    """Record staged bytes as an evidence item (or a duplicate); consume the staging file."""
    kind, content_type = probe.kind_of(name)  # type: ignore[misc]
    if staged.size == 0:
        staged.close()
        return IngestResult("rejected", reason=_("the file is empty (0 bytes)"))

    existing = EvidenceItem.objects.filter(organization=organization, sha256=staged.sha256).first()
    if existing is not None:
        staged.close()
        return _duplicate(existing, name=name, actor=actor, via=via)

    if staged.key:
        with storage.open_stored(staged.key) as handle:
            meta, problem = probe.probe(handle, kind)
    else:
        meta, problem = probe.probe(staged.path if staged.path is not None else staged.fd, kind)
    if meta.get("content_kind") == MediaKind.VIDEO and kind != MediaKind.VIDEO:
        kind, content_type = MediaKind.VIDEO, probe.video_type(meta)
    recorded = probe.recorded_at(meta)
    if officer is None and device_serial:
        # Whoever had that camera checked out when it recorded (or now, when
        # the file does not say) is the officer the footage belongs to.
        officer = who_held(device_serial, recorded or timezone.now(), organization=organization)
    key = storage.original_key(staged.sha256)
    size, sha256 = staged.size, staged.sha256
    # Bytes go into place before any row points at them. A row insert that then
    # fails leaves the (content-addressed) file for the ingest that won the race.
    storage.commit(staged, key)
    try:
        with transaction.atomic():
            blob, _created = Blob.objects.get_or_create(
                sha256=sha256, defaults={"size": size, "storage_key": key}
            )
            item = EvidenceItem.objects.create(
                organization=organization,
                blob=blob,
                sha256=sha256,
                size=size,
                original_name=name,
                media_kind=kind,
                content_type=content_type,
                source_type=source_type,
                device_serial=device_serial,
                officer=officer,
                recorded_at=recorded,
                ingested_by=actor if getattr(actor, "is_authenticated", False) else None,
                category=category,
                status=ItemStatus.UNREADABLE if problem else ItemStatus.AVAILABLE,
                unreadable_reason=problem,
                metadata=meta,
            )
            apply_retention(item)
            item.save(update_fields=["retain_until", "review_at"])
            if case is not None:
                case.items.add(item)
            audit.record(
                "vault.ingested",
                obj=item,
                actor=actor,
                details={
                    "sha256": sha256,
                    "size": size,
                    "name": name,
                    "source_type": source_type,
                    "device_serial": device_serial,
                    "case": case.reference if case else "",
                    "unreadable": problem,
                    "via": via,
                },
            )
            transaction.on_commit(lambda: item_ingested.send(EvidenceItem, item_id=item.pk))
    except IntegrityError:
        # Another ingest of the same content in this organization won the race.
        winner = EvidenceItem.objects.get(organization=organization, sha256=sha256)
        return _duplicate(winner, name=name, actor=actor, via=via)
    return IngestResult("new", item=item, sha256=sha256)


def _duplicate(item: EvidenceItem, *, name: str, actor: Any, via: str) -> IngestResult:
    audit.record(
        "vault.duplicate_ingest",
        obj=item,
        actor=actor,
        details={"name": name, "sha256": item.sha256, "via": via},
    )
    return IngestResult("duplicate", item=item, sha256=item.sha256)
