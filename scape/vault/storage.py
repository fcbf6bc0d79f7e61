"""Where evidence bytes live: write-once, content-addressed, staged atomically.

Originals are stored under a key derived from their SHA-256 and never
rewritten. Bytes are first written to an anonymous staging file (O_TMPFILE
where the kernel offers it), hashed in the same pass, and only linked into
place once complete — a process killed mid-file leaves no file behind.

The evidence storage is a local folder (the embedded default) or an
S3-compatible object store (``scape.vault.s3``); on an object store the
staged file is uploaded under its key instead of linked.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages

from scape.vault import s3

CHUNK = 4 * 1024 * 1024
# Buffers in flight: one being read, one being hashed, one being written.
RING = 3
# Staged bytes on a local disk are pushed towards it every this many bytes.
FLUSH_BEHIND = 32 * 1024 * 1024


class TooLarge(Exception):
    """The source is bigger than the configured limit."""


def evidence_storage() -> Storage:
    """Return the storage that holds evidence originals and derivatives."""
    return storages["evidence"]


def original_key(sha256: str) -> str:
    return f"originals/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def derived_key(sha256: str, suffix: str = "") -> str:
    return f"derived/{sha256[:2]}/{sha256[2:4]}/{sha256}{suffix}"


def _local_root(storage: Storage) -> Path | None:
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


def staging_dir(storage: Storage | None = None) -> Path:
    """Return the folder where bytes wait until they are committed.

    For a local storage it sits beside the stored files, so that linking a
    staged file into place is atomic. For an object store it is
    SCAPE_STAGING_DIR when set, else a folder in MEDIA_ROOT — never the
    system temporary folder, often a RAM disk too small for a long video.
    """
    storage = storage or evidence_storage()
    root = _local_root(storage)
    if root is not None:
        path = root / ".staging"
    else:
        configured = getattr(settings, "SCAPE_STAGING_DIR", "")
        path = Path(configured) if configured else Path(settings.MEDIA_ROOT) / ".staging"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Staged:
    """Bytes written to an unnamed (or private) staging file, with their hash."""

    fd: int
    sha256: str
    size: int
    path: Path | None  # set only when O_TMPFILE is not available
    # Set instead of fd/path when the bytes already sit on the object store
    # under this key (a resumable upload joined there); fd is then -1.
    key: str = ""

    def close(self) -> None:
        if self.key:
            # The staged object is gone once committed or refused.
            _remove_object(self.key)
            return
        with contextlib.suppress(OSError):
            os.close(self.fd)
        if self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()


def staged_object(key: str, *, sha256: str, size: int) -> Staged:
    """Take over an object already on the store, hashed as it arrived, as staged bytes."""
    return Staged(fd=-1, sha256=sha256, size=size, path=None, key=key)


def _remove_object(key: str) -> None:
    store = evidence_storage()
    with contextlib.suppress(FileNotFoundError):
        store.delete(key)


_tmpfile_ok: dict[tuple[Path, bool], bool] = {}


def _tmpfile_usable(directory: Path, *, link: bool) -> bool:
    """Return whether an O_TMPFILE file in `directory` can be linked (or reopened) here.

    Linking it into place needs kernel and filesystem support and a /proc
    that resolves the magic link (some sandboxes refuse with EXDEV); an
    upload only needs to reopen it through /proc. Probed once per folder.
    """
    if (directory, link) not in _tmpfile_ok:
        ok = False
        flag = getattr(os, "O_TMPFILE", 0)
        if flag:
            probe = directory / f".probe-{os.getpid()}-{threading.get_ident()}"
            try:
                fd = os.open(directory, flag | os.O_WRONLY, 0o600)
                try:
                    if link:
                        os.link(f"/proc/self/fd/{fd}", probe, follow_symlinks=True)
                        probe.unlink()
                    else:
                        os.close(os.open(f"/proc/self/fd/{fd}", os.O_RDONLY))
                    ok = True
                finally:
                    os.close(fd)
            except OSError:
                ok = False
        _tmpfile_ok[(directory, link)] = ok
    return _tmpfile_ok[(directory, link)]


def _open_staging(directory: Path, *, link: bool = True) -> tuple[int, Path | None]:
    if _tmpfile_usable(directory, link=link):
        # An unnamed file: if this process dies, the kernel frees it; nothing to clean.
        return os.open(directory, os.O_TMPFILE | os.O_WRONLY, 0o640), None
    fd, name = tempfile.mkstemp(dir=directory, prefix=f".part-{os.getpid()}-")
    return fd, Path(name)


def sweep_stale_parts(directory: Path) -> int:
    """Remove named staging files of processes that no longer run (fallback path only)."""
    removed = 0
    for part in directory.glob(".part-*"):
        try:
            pid = int(part.name.split("-")[1])
        except (IndexError, ValueError):
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            with contextlib.suppress(FileNotFoundError):
                part.unlink()
                removed += 1
        except PermissionError:
            continue
    return removed


def _write_all(fd: int, data: memoryview) -> None:
    while data:
        written = os.write(fd, data)
        data = data[written:]


class _Sink:
    """Write the staged chunks in order; optionally push them to the disk as it goes.

    Without the push, the kernel holds gigabytes of dirty pages until the
    final fsync writes them all at once, while the copy sits waiting, and
    the page cache fills with bytes nobody reads again soon. POSIX_FADV_DONTNEED
    on Linux starts writeback of a dirty range without waiting and drops the
    pages already clean, so each call kicks the newest window and drops the
    one before it.
    """

    def __init__(self, fd: int, *, flush_behind: bool) -> None:
        self.fd = fd
        self.flush_behind = flush_behind and hasattr(os, "posix_fadvise")
        self.written = 0
        self.kicked = 0
        self.dropped = 0

    def write(self, data: memoryview) -> None:
        _write_all(self.fd, data)
        self.written += len(data)
        if self.flush_behind and self.written - self.kicked >= FLUSH_BEHIND:
            with contextlib.suppress(OSError):
                os.posix_fadvise(
                    self.fd, self.dropped, self.written - self.dropped, os.POSIX_FADV_DONTNEED
                )
            self.dropped, self.kicked = self.kicked, self.written


def stage(source: BinaryIO, *, max_bytes: int, storage: Storage | None = None) -> Staged:
    """Copy `source` into a staging file and hash it in the same pass.

    Hashing and writing run on their own threads over a ring of buffers (both
    release the GIL), so the copy costs about what the hash alone costs.
    Memory stays at RING x CHUNK whatever the size.
    """
    storage = storage or evidence_storage()
    local = _local_root(storage) is not None
    directory = staging_dir(storage)
    sweep_stale_parts(directory)
    fd, path = _open_staging(directory, link=local)
    # An upload to an object store reads the staged file right back: keep it cached.
    sink = _Sink(fd, flush_behind=local)
    digest = hashlib.sha256()
    size = 0
    buffers = [bytearray(CHUNK) for _ in range(RING)]
    pending: list[list[Future[None]]] = [[] for _ in range(RING)]
    try:
        with (
            ThreadPoolExecutor(1, thread_name_prefix="hash") as hasher,
            ThreadPoolExecutor(1, thread_name_prefix="write") as writer,
        ):
            i = 0
            while True:
                for future in pending[i]:
                    future.result()
                view = memoryview(buffers[i])
                n = source.readinto(view)  # type: ignore[attr-defined]
                if not n:
                    break
                size += n
                if size > max_bytes:
                    raise TooLarge(size)
                chunk = view[:n]
                pending[i] = [
                    hasher.submit(digest.update, chunk),
                    writer.submit(sink.write, chunk),
                ]
                i = (i + 1) % RING
            for futures in pending:
                for future in futures:
                    future.result()
        if local:
            # The staged file becomes the stored original by a link: make its
            # bytes durable first. An upload to an object store reads it back
            # instead, and a crash before that leaves nothing committed.
            os.fsync(fd)
    except BaseException:
        Staged(fd, "", 0, path).close()
        raise
    return Staged(fd=fd, sha256=digest.hexdigest(), size=size, path=path)


def adopt(path: Path) -> Staged:
    """Hash a complete file already in the staging folder and take it over as staged."""
    digest = hashlib.sha256()
    size = 0
    fd = os.open(path, os.O_RDONLY)
    try:
        buffer = bytearray(CHUNK)
        view = memoryview(buffer)
        while n := os.readv(fd, [view]):
            digest.update(view[:n])
            size += n
    except BaseException:
        os.close(fd)
        raise
    return Staged(fd=fd, sha256=digest.hexdigest(), size=size, path=path)


def commit(staged: Staged, key: str, storage: Storage | None = None) -> bool:
    """Put the staged bytes in place under `key`; return False if they were already there.

    Never overwrites: content-addressed keys mean an existing file holds the
    same bytes (a concurrent ingest of the same file, say).
    """
    storage = storage or evidence_storage()
    root = _local_root(storage)
    if staged.key:
        # A failed copy keeps the staged object, for the task's next attempt.
        stored = _copy_object(staged, key, storage)
        staged.close()
        return stored
    try:
        if root is None:
            return _upload(staged, key, storage)
        final = root / key
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            if staged.path is None:
                os.link(f"/proc/self/fd/{staged.fd}", final, follow_symlinks=True)
            else:
                os.link(staged.path, final)
        except FileExistsError:
            return False
        with contextlib.suppress(OSError):
            os.chmod(final, 0o440)  # written once: read-only from now on
        _fsync_dir(final.parent)
        return True
    finally:
        staged.close()


def _upload(staged: Staged, key: str, storage: Storage) -> bool:
    """Upload the staged file under `key` to a remote storage unless the key exists."""
    if storage.exists(key):
        return False
    # Not storage.save(): when a concurrent ingest of the same bytes stored
    # the key meanwhile, save() would invent another name and leave a stray
    # copy. Writing the same bytes under their own hash again is harmless (on
    # a versioned bucket, one more version). A path, not the staging
    # descriptor: readers open their own and leave its offset alone.
    source = staged.path if staged.path is not None else Path(f"/proc/self/fd/{staged.fd}")
    if s3.is_s3(storage):
        s3.upload_file(storage, key, source)
    else:
        with source.open("rb") as handle:
            storage._save(key, File(handle, name=key))  # type: ignore[attr-defined]
    stored = storage.size(key)
    if stored != staged.size:
        # A short object under a content key would pass every later exists()
        # check: remove it so that the next ingest of these bytes tries again.
        storage.delete(key)
        raise OSError(f"upload of {key!r} stored {stored} bytes of {staged.size}")
    return True


def _copy_object(staged: Staged, key: str, storage: Storage) -> bool:
    """Copy an object on the store to `key` inside the store (no bytes through this machine)."""
    if storage.exists(key):
        return False
    s3.copy_object(storage, staged.key, key)
    stored = storage.size(key)
    if stored != staged.size:
        storage.delete(key)
        raise OSError(f"copy of {staged.key!r} to {key!r} stored {stored} bytes of {staged.size}")
    return True


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def hash_stored(key: str, storage: Storage | None = None) -> tuple[str, int]:
    """Re-read a stored file and return its SHA-256 and size (raises FileNotFoundError)."""
    digest = hashlib.sha256()
    size = 0
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    with open_stored(key, storage) as handle:
        while n := handle.readinto(view):  # type: ignore[attr-defined]
            digest.update(view[:n])
            size += n
    return digest.hexdigest(), size


def open_stream(key: str, storage: Storage | None = None) -> BinaryIO:
    """Open a stored file for reading; the caller closes it (raises FileNotFoundError).

    On an object store the bytes stream over HTTP as they are read, with a
    seekable handle, instead of being downloaded (or spooled) whole before the
    first read, so a download or a seek in the player starts at once.
    """
    storage = storage or evidence_storage()
    if s3.is_s3(storage):
        return s3.open_object(storage, key, buffer_size=CHUNK)
    return storage.open(key, "rb")  # type: ignore[return-value]


@contextlib.contextmanager
def open_stored(key: str, storage: Storage | None = None) -> Iterator[BinaryIO]:
    """Open a stored file for reading in a `with` block (see `open_stream`)."""
    with open_stream(key, storage) as handle:
        yield handle


@contextlib.contextmanager
def local_path(key: str, storage: Storage | None = None) -> Iterator[str]:
    """Yield a local file path holding the stored bytes (raises FileNotFoundError).

    On local storage that is the stored file itself (read it, never write); on
    an object store the bytes are copied into the staging folder first and the
    copy is removed afterwards. Decoders that need a real file use this.
    """
    storage = storage or evidence_storage()
    root = _local_root(storage)
    if root is not None:
        path = root / key
        if not path.is_file():
            raise FileNotFoundError(key)
        yield str(path)
        return
    with tempfile.TemporaryDirectory(dir=staging_dir(storage)) as tmp:
        copy = Path(tmp) / "original"
        with open_stored(key, storage) as src, copy.open("wb") as dst:
            while chunk := src.read(CHUNK):
                dst.write(chunk)
        yield str(copy)
