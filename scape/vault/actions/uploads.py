"""Resumable evidence upload: the uploads, their staging files and their actions.

The tus 1.0 protocol that drives them over HTTP is ``scape.vault.tus``; the
upload page is ``scape.vault.views.upload``. Received bytes go into a staging file ``tus-<uuid>`` on the
filesystem of the stored originals, so completion links the file into place
instead of copying it. One request writes to an upload at a time (an exclusive
lock on its staging file), and the offset in the row only moves forward after
the bytes are on disk. A finished upload goes through the one ingest action,
which hashes, dedupes, links into place and audits.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from rehashes import PySha256

from scape.core import audit
from scape.core.access import actor_of
from scape.core.choices import Action, Role
from scape.vault import multipart, s3, storage
from scape.vault.actions.ingest import (
    check_name,
    do_ingest_completed_upload,
    do_ingest_stored_upload,
    max_bytes,
)
from scape.vault.choices import CaseStatus, SourceType
from scape.vault.models import Case, Category, Upload

logger = logging.getLogger(__name__)
RunningHash = PySha256

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination,expiration,checksum"
CHECKSUM_ALGORITHMS = "sha256"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
# Bytes read from the request per step: memory stays at this whatever the chunk size.
READ_CHUNK = 1024 * 1024
# What the browser page sends per request; the server takes any chunk size.
BROWSER_CHUNK = 8 * 1024 * 1024
MAX_METADATA_PAIRS = 20
MAX_METADATA_VALUE = 1000
UPLOADER_ROLES = frozenset({Role.OFFICER, Role.COORDINATOR, Role.CUSTODIAN, Role.ORG_ADMIN})
# Unfinished uploads one person may have at a time: each may hold disk space.
MAX_ACTIVE_PER_USER = 100
# Orphaned staging files younger than this may belong to a creation in flight.
STRAY_GRACE = timedelta(hours=1)


class UploadError(Exception):
    """A request the protocol refuses: an HTTP status and a message for a person."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


# Reads and checks -----------------------------------------------------------


def may_upload(user: Any) -> bool:
    """Return whether the user may add evidence for their organization."""
    return actor_of(user).holds(UPLOADER_ROLES)


def _organization_id(user: Any) -> int:
    organization_id = actor_of(user).organization_id
    if organization_id is None:  # may_upload() said no already
        raise PermissionDenied
    return organization_id


def upload_expiry() -> timedelta:
    """Return how long an upload may sit without a new chunk before it is removed."""
    return timedelta(hours=float(getattr(settings, "SCAPE_UPLOAD_EXPIRY_HOURS", 24)))


def staging_path(upload: Upload) -> Path:
    return storage.staging_dir() / upload.staging_name


def shared_store() -> Any:
    """Return the evidence object store when there is one (chunks may reach any node), else None."""
    store = storage.evidence_storage()
    return store if s3.is_s3(store) else None


def access_upload(user: Any, upload_id: Any) -> Upload:
    """Return the user's own upload, or raise UploadError 404 (also for anyone else's)."""
    if not may_upload(user):
        raise UploadError(403, _("Your role may not add evidence."))
    try:
        return Upload.objects.select_related("organization").get(pk=upload_id, created_by=user)
    except (Upload.DoesNotExist, ValueError, TypeError) as exc:
        raise UploadError(404, _("No such upload.")) from exc


def parse_metadata(header: str) -> dict[str, str]:
    """Decode a tus Upload-Metadata header: comma-separated `key base64(value)` pairs."""
    metadata: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _sep, encoded = pair.partition(" ")
        try:
            value = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise UploadError(400, _("Upload-Metadata is not valid base64-encoded UTF-8.")) from exc
        if not key or key in metadata or len(value) > MAX_METADATA_VALUE:
            raise UploadError(400, _("Upload-Metadata has an empty, repeated or too long entry."))
        metadata[key] = value
    if len(metadata) > MAX_METADATA_PAIRS:
        raise UploadError(400, _("Upload-Metadata has too many entries."))
    return metadata


def whole_number(value: str | None, header: str) -> int:
    if not value or not (value.isascii() and value.isdigit()):
        raise UploadError(
            400, _("%(header)s must be a whole number of bytes.") % {"header": header}
        )
    return int(value)


def parse_checksum(header: str) -> bytes | None:
    """Return the expected SHA-256 digest from an Upload-Checksum header, if one was sent."""
    if not header:
        return None
    algorithm, _sep, encoded = header.strip().partition(" ")
    if algorithm.lower() != "sha256":
        raise UploadError(400, _("Unsupported checksum algorithm: use sha256."))
    try:
        digest = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        digest = b""
    if len(digest) != hashlib.sha256().digest_size:
        raise UploadError(400, _("Upload-Checksum must be `sha256 <base64 digest>`."))
    return digest


def _too_large_message(length: int) -> str:
    return _("This file (%(size)s) is larger than the limit of %(limit)s.") % {
        "size": filesizeformat(length),
        "limit": filesizeformat(max_bytes()),
    }


# Actions ----------------------------------------------------------------------


def check_create_upload(user: Any, *, length: int, metadata: dict[str, str], via: str) -> Upload:
    """Validate a new upload (role, size, name, case, category) and create it.

    Everything that can be refused is refused here, before a byte is sent.
    """
    if not may_upload(user):
        raise UploadError(403, _("Your role may not add evidence."))
    if length > max_bytes():
        raise UploadError(413, _too_large_message(length))
    if length == 0:
        raise UploadError(400, _("The file is empty (0 bytes)."))
    name = metadata.get("filename") or metadata.get("name") or ""
    reason = check_name(name)
    if reason:
        raise UploadError(400, _("%(name)s: %(reason)s") % {"name": name or "-", "reason": reason})
    case = None
    if metadata.get("case"):
        case = (
            Case.objects.restrict(user, Action.VIEW)
            .filter(organization_id=_organization_id(user), reference=metadata["case"])
            .first()
        )
        if case is None or case.status != CaseStatus.OPEN:
            raise UploadError(
                400,
                _("No open case with reference %(ref)s in your organization.")
                % {"ref": metadata["case"]},
            )
    category = None
    if metadata.get("category"):
        category = (
            Category.objects.restrict(user, Action.VIEW)
            .filter(organization_id=_organization_id(user), code=metadata["category"])
            .first()
        )
        if category is None:
            raise UploadError(
                400, _("No evidence category %(code)s.") % {"code": metadata["category"]}
            )
    source_type = metadata.get("source_type") or SourceType.UPLOAD
    if source_type not in SourceType.values:
        raise UploadError(400, _("Unknown source type %(type)s.") % {"type": source_type})
    device_serial = metadata.get("device_serial", "")
    if len(device_serial) > 80:
        raise UploadError(400, _("The device serial is longer than 80 characters."))
    active = Upload.objects.filter(created_by=user, status=Upload.Status.ACTIVE).count()
    if active >= MAX_ACTIVE_PER_USER:
        raise UploadError(
            429, _("Too many unfinished uploads: finish or cancel some before starting more.")
        )
    if shared_store() is None and shutil.disk_usage(storage.staging_dir()).free < length:
        raise UploadError(507, _("Not enough free space for this file on the server."))
    return do_create_upload(
        user,
        name=name,
        length=length,
        metadata=metadata,
        case=case,
        category=category,
        source_type=source_type,
        device_serial=device_serial,
        via=via,
    )


def do_create_upload(
    user: Any,
    *,
    name: str,
    length: int,
    metadata: dict[str, str],
    case: Case | None = None,
    category: Category | None = None,
    source_type: str = SourceType.UPLOAD,
    device_serial: str = "",
    via: str = "",
) -> Upload:
    """Create an upload and its empty staging file (or multipart upload); audit it."""
    upload_id = uuid.uuid4()
    store = shared_store()
    multipart_id = ""
    path: Path | None = None
    if store is not None:
        multipart_id = multipart.start(store, upload_id)
    else:
        path = storage.staging_dir() / f"tus-{upload_id}"
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        with transaction.atomic():
            upload = Upload.objects.create(
                id=upload_id,
                organization_id=_organization_id(user),
                created_by=user,
                filename=name,
                length=length,
                staging_name=path.name if path is not None else "",
                multipart_id=multipart_id,
                hash_state=RunningHash().serialize() if multipart_id else b"",
                metadata={"client": metadata, "via": via},
                case=case,
                category=category,
                source_type=source_type,
                device_serial=device_serial,
                expires_at=timezone.now() + upload_expiry(),
            )
            audit.record(
                "vault.upload_started",
                obj=upload,
                actor=user,
                details={"name": name, "length": length, "via": via},
            )
    except BaseException:
        if path is not None:
            path.unlink(missing_ok=True)
        if multipart_id:
            multipart.abort(store, upload_id, multipart_id)
        raise
    return upload


@contextlib.contextmanager
def _writer_lock(path: Path) -> Iterator[int]:
    """Open the staging file and hold the one writer's lock on it, or raise 423."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError as exc:
        raise UploadError(410, _("This upload has expired or was removed.")) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise UploadError(
                423, _("Another request is writing to this upload; try again in a moment.")
            ) from exc
        yield fd
    finally:
        os.close(fd)


def _check_writable(upload: Upload, now: datetime) -> None:
    if upload.status == Upload.Status.EXPIRED or (
        upload.status == Upload.Status.ACTIVE and upload.expires_at <= now
    ):
        raise UploadError(410, _("This upload has expired or was removed."))
    if upload.status != Upload.Status.ACTIVE or upload.offset >= upload.length:
        raise UploadError(
            409,
            _("This upload is already complete."),
            {"Upload-Offset": str(upload.offset)},
        )


def _pwrite_all(fd: int, data: bytes, position: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, position)
        view = view[written:]
        position += written


def do_append_chunk(
    upload: Upload,
    body: Any,
    *,
    offset: int,
    content_length: int,
    checksum: bytes | None = None,
) -> Upload:
    """Write a chunk of the request body at `offset` and move the upload's offset on.

    The body is read in small steps (constant memory), written at the offset and
    fsynced before the row says the bytes are there. A client that goes away
    mid-chunk keeps what arrived, so it resumes from the last received byte;
    a chunk sent with a checksum is kept whole and verified, or not at all.
    """
    if upload.multipart_id:
        locked = _append_shared(
            upload, body, offset=offset, content_length=content_length, checksum=checksum
        )
        if locked.offset == locked.length:
            finish_upload_task.enqueue(str(locked.pk))
        return locked
    path = staging_path(upload)
    with _writer_lock(path) as fd:
        # The lock makes this request the only writer: the row read now stays true.
        current = Upload.objects.get(pk=upload.pk)
        _check_chunk(current, offset, content_length)
        digest = hashlib.sha256() if checksum is not None else None
        position, end = offset, offset + content_length
        try:
            while position < end:
                try:
                    data = body.read(min(READ_CHUNK, end - position))
                except OSError:
                    # The client went away; each WSGI server says so in its own way.
                    data = b""
                if not data:
                    break
                _pwrite_all(fd, data, position)
                if digest is not None:
                    digest.update(data)
                position += len(data)
            if digest is not None and (position < end or digest.digest() != checksum):
                os.ftruncate(fd, offset)
                if position < end:
                    raise UploadError(
                        400, _("The chunk ended early, so its checksum cannot be checked.")
                    )
                raise UploadError(
                    460,
                    _("The chunk does not match its checksum: nothing was kept; send it again."),
                )
            if os.fstat(fd).st_size > position:
                # Left over from an attempt that died before it could clean up.
                os.ftruncate(fd, position)
            os.fsync(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, offset)
            if exc.errno == errno.ENOSPC:
                raise UploadError(507, _("The server ran out of space; try again later.")) from exc
            raise
        with transaction.atomic():
            locked = Upload.objects.select_for_update().get(pk=upload.pk)
            if locked.offset != offset or locked.status != Upload.Status.ACTIVE:
                raise UploadError(409, _("The upload changed while this chunk was sent."))
            locked.offset = position
            locked.expires_at = timezone.now() + upload_expiry()
            locked.save(update_fields=["offset", "expires_at", "updated_at"])
    if locked.offset == locked.length:
        # Hashing a big file is long work: a task. Enqueued after the commit above.
        finish_upload_task.enqueue(str(locked.pk))
    return locked


def _check_chunk(current: Upload, offset: int, content_length: int) -> None:
    _check_writable(current, timezone.now())
    if offset != current.offset:
        raise UploadError(
            409,
            _(
                "The upload is at byte %(offset)d, not %(sent)d: "
                "ask for the offset (HEAD) and send from there."
            )
            % {"offset": current.offset, "sent": offset},
            {"Upload-Offset": str(current.offset)},
        )
    if content_length > current.length - offset:
        raise UploadError(400, _("The chunk goes past the declared size of the file."))


def _lock_shared(upload: Upload) -> Upload:
    """Lock the upload's row for this chunk, or raise 423 when another chunk holds it."""
    try:
        return Upload.objects.select_for_update(nowait=True).get(pk=upload.pk)
    except DatabaseError as exc:
        raise UploadError(
            423, _("Another request is writing to this upload; try again in a moment.")
        ) from exc


def _append_shared(
    upload: Upload, body: Any, *, offset: int, content_length: int, checksum: bytes | None
) -> Upload:
    """Append a chunk to an upload kept on the object store (see scape.vault.multipart).

    The row is locked for the whole chunk, so one request writes to an upload
    at a time whichever node it reaches. Whole parts go to the store as the
    bytes arrive (memory: one part); what is left becomes the new tail. The
    row (offset, parts, tail, hash state) is written last, in the same
    transaction: a node that dies mid-chunk leaves the row as it was, and
    the next chunk overwrites any part it sent.
    """
    store = shared_store()
    if store is None:
        raise UploadError(503, _("The evidence store of this upload is not configured here."))
    size = multipart.part_size(store)
    with transaction.atomic():
        current = _lock_shared(upload)
        _check_chunk(current, offset, content_length)
        hasher = RunningHash.deserialize(bytes(current.hash_state))
        digest = hashlib.sha256() if checksum is not None else None
        parts = list(current.parts)
        try:
            buffer = bytearray(
                multipart.read_tail(store, current.tail_key) if current.tail_key else b""
            )
        except FileNotFoundError as exc:
            raise UploadError(410, _("This upload has expired or was removed.")) from exc
        position, end = offset, offset + content_length
        while position < end:
            try:
                data = body.read(min(READ_CHUNK, end - position))
            except OSError:
                data = b""  # the client went away: keep what arrived
            if not data:
                break
            buffer += data
            hasher.update(data)
            if digest is not None:
                digest.update(data)
            position += len(data)
            while len(buffer) >= size and position < current.length:
                parts.append(
                    multipart.send_part(store, upload.pk, current.multipart_id, len(parts) + 1,
                                        memoryview(buffer)[:size])
                )  # fmt: skip
                del buffer[:size]
        if digest is not None and (position < end or digest.digest() != checksum):
            if position < end:
                raise UploadError(
                    400, _("The chunk ended early, so its checksum cannot be checked.")
                )
            raise UploadError(
                460, _("The chunk does not match its checksum: nothing was kept; send it again.")
            )
        old_tail, new_tail = current.tail_key, ""
        if position == current.length:
            parts.append(
                multipart.send_part(store, upload.pk, current.multipart_id, len(parts) + 1, buffer)
            )
            stored = multipart.complete(store, upload.pk, current.multipart_id, parts)
            if stored != current.length:
                raise UploadError(500, _("The file could not be stored; send it again."))
            current.sha256 = hasher.finalize()
        elif buffer and position > offset:
            new_tail = multipart.tail_key(upload.pk, position)
            multipart.put_tail(store, new_tail, buffer)
        elif position == offset:
            new_tail = old_tail  # nothing arrived: nothing changes
        current.offset = position
        current.parts = parts
        current.tail_key = new_tail
        current.hash_state = hasher.serialize()
        current.expires_at = timezone.now() + upload_expiry()
        current.save(
            update_fields=["offset", "parts", "tail_key", "hash_state", "sha256", "expires_at",
                           "updated_at"]
        )  # fmt: skip
    if old_tail and old_tail != new_tail:
        with contextlib.suppress(Exception):
            multipart.delete(store, old_tail)  # the row no longer names it
    return current


@task()
def finish_upload_task(upload_id: str) -> str:
    """Ingest a fully received upload (runs on a worker)."""
    return do_finish_upload(upload_id).result


def do_finish_upload(upload_id: Any) -> Upload:
    """Hand a fully received upload to the ingest action and record its result.

    Idempotent: an upload already finished (or not yet fully received) is left as it is.
    """
    upload = Upload.objects.select_related("organization", "created_by", "case", "category").get(
        pk=upload_id
    )
    if upload.status != Upload.Status.ACTIVE or upload.offset != upload.length:
        return upload
    path = staging_path(upload)
    if upload.multipart_id:
        # Joined on the object store as its chunks came; hashed as they came.
        def ingest(**options: Any) -> Any:
            return do_ingest_stored_upload(
                multipart.object_key(upload.pk), sha256=upload.sha256, size=upload.length,
                **options,
            )  # fmt: skip
    else:
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            size = -1
        if size != upload.length:
            path.unlink(missing_ok=True)
            return _record_result(
                upload, "rejected", _("the received bytes are incomplete or gone")
            )

        def ingest(**options: Any) -> Any:
            return do_ingest_completed_upload(path, **options)

    via = str(upload.metadata.get("via", ""))
    try:
        result = ingest(
            name=upload.filename,
            organization=upload.organization,
            actor=upload.created_by,
            source_type=upload.source_type,
            device_serial=upload.device_serial,
            case=upload.case,
            category=upload.category,
            via=f"upload:{via}" if via else "upload",
        )
    except Exception as exc:
        if not isinstance(exc, FileNotFoundError):
            logger.exception("finishing upload %s failed", upload.pk)
        upload.refresh_from_db()
        if upload.status != Upload.Status.ACTIVE:
            return upload  # a concurrent run of the same task finished it
        if isinstance(exc, FileNotFoundError):
            return _record_result(
                upload, "rejected", _("the received bytes are incomplete or gone")
            )
        if upload.multipart_id:
            with contextlib.suppress(Exception):
                storage.evidence_storage().delete(multipart.object_key(upload.pk))
        return _record_result(upload, "rejected", _("the file could not be stored; send it again"))
    return _record_result(upload, result.status, result.reason, item=result.item)


def _record_result(upload: Upload, status: str, reason: str = "", item: Any = None) -> Upload:
    with transaction.atomic():
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        if locked.status != Upload.Status.ACTIVE:
            return locked
        locked.status = Upload.Status.FAILED if status == "rejected" else Upload.Status.COMPLETE
        locked.result = status
        locked.item = item
        locked.metadata = {**locked.metadata, "reason": reason}
        locked.save(update_fields=["status", "result", "item", "metadata", "updated_at"])
    return locked


def do_terminate_upload(upload: Upload, *, actor: Any) -> None:
    """Stop an upload: delete what was received and forget it (tus termination)."""
    if upload.multipart_id:
        with transaction.atomic():
            current = _lock_shared(upload)
            if current.status == Upload.Status.ACTIVE and current.offset == current.length:
                raise UploadError(409, _("This upload is complete and being stored."))
            _delete_upload(current, actor=actor, path=None)
        _drop_shared(current)  # after the row is gone: no chunk can reach these parts now
        return
    path = staging_path(upload)
    if upload.status == Upload.Status.ACTIVE and path.exists():
        with _writer_lock(path):
            current = Upload.objects.get(pk=upload.pk)
            if current.status == Upload.Status.ACTIVE and current.offset == current.length:
                raise UploadError(409, _("This upload is complete and being stored."))
            _delete_upload(upload, actor=actor, path=path)
    else:
        _delete_upload(upload, actor=actor, path=None)


def _delete_upload(upload: Upload, *, actor: Any, path: Path | None) -> None:
    with transaction.atomic():
        audit.record(
            "vault.upload_terminated",
            obj=upload,
            actor=actor,
            details={"name": upload.filename, "received": upload.offset, "length": upload.length},
        )
        Upload.objects.filter(pk=upload.pk).delete()
    if path is not None:
        path.unlink(missing_ok=True)


def _drop_shared(upload: Upload) -> None:
    """Free what an upload holds on the object store: its parts and its tail."""
    store = shared_store()
    if store is None:
        return
    multipart.abort(store, upload.pk, upload.multipart_id)
    with contextlib.suppress(Exception):
        multipart.delete(store, upload.tail_key)


def expire_uploads(now: datetime | None = None) -> int:
    """Expire abandoned uploads, delete their staging files; return how many expired.

    Also removes staging files that no active upload owns (left by a crash).
    Meant to run periodically (say hourly).
    """
    now = now or timezone.now()
    expired = 0
    for upload in Upload.objects.filter(status=Upload.Status.ACTIVE, expires_at__lte=now):
        if upload.multipart_id:
            try:
                with transaction.atomic():
                    locked = _lock_shared(upload)
                    if locked.status != Upload.Status.ACTIVE or locked.expires_at > now:
                        continue
                    locked.status = Upload.Status.EXPIRED
                    locked.save(update_fields=["status", "updated_at"])
                    audit.record(
                        "vault.upload_expired",
                        obj=locked,
                        actor=None,
                        details={"received": locked.offset, "length": locked.length},
                    )
                _drop_shared(locked)
                expired += 1
            except UploadError:
                pass  # a chunk is arriving right now: not abandoned after all
            continue
        path = staging_path(upload)
        try:
            with contextlib.ExitStack() as stack:
                if path.exists():
                    stack.enter_context(_writer_lock(path))
                with transaction.atomic():
                    locked = Upload.objects.select_for_update().get(pk=upload.pk)
                    if locked.status != Upload.Status.ACTIVE or locked.expires_at > now:
                        continue
                    locked.status = Upload.Status.EXPIRED
                    locked.save(update_fields=["status", "updated_at"])
                    audit.record(
                        "vault.upload_expired",
                        obj=locked,
                        actor=None,
                        details={"received": locked.offset, "length": locked.length},
                    )
                path.unlink(missing_ok=True)
                expired += 1
        except UploadError:
            continue  # a chunk is arriving right now: not abandoned after all
    directory = storage.staging_dir()
    active = {
        str(name)
        for name in Upload.objects.filter(status=Upload.Status.ACTIVE).values_list(
            "staging_name", flat=True
        )
    }
    for stray in directory.glob("tus-*"):
        with contextlib.suppress(FileNotFoundError):
            age = now.timestamp() - stray.stat().st_mtime
            if stray.name not in active and age > STRAY_GRACE.total_seconds():
                stray.unlink()
    return expired
