"""Evidence on an S3-compatible object store (AWS S3, MinIO, Ceph RGW, ...).

``scape.settings`` calls :func:`evidence_storage_config` to build the
``STORAGES["evidence"]`` entry from environment variables, so this module
imports nothing that needs Django's apps loaded, and boto3 only when S3 is
switched on. :class:`ObjectReader` streams a stored object back without
first copying it to memory or a temporary file.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

MIB = 1024 * 1024
# S3 refuses parts under 5 MiB (except the last) and over 5 GiB.
MIN_PART_MB = 5
MAX_PART_MB = 5 * 1024
DEFAULT_PART_MB = 16
DEFAULT_CONCURRENCY = 4
S3_BACKEND = "storages.backends.s3.S3Storage"


def _whole_number(environ: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ImproperlyConfigured(
            f"{name} must be a whole number from {low} to {high}, not {raw!r}"
        )
    return value


def evidence_storage_config(
    local_location: Path, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the ``STORAGES["evidence"]`` entry: S3 when SCAPE_S3_BUCKET is set, else a local folder.

    Variables: SCAPE_S3_BUCKET, SCAPE_S3_ENDPOINT_URL (MinIO and other
    non-AWS stores), SCAPE_S3_REGION, SCAPE_S3_ACCESS_KEY_ID,
    SCAPE_S3_SECRET_ACCESS_KEY (without them boto3's usual chain applies:
    AWS_* variables, instance role, ...), SCAPE_S3_PREFIX (a folder inside
    the bucket), SCAPE_S3_MULTIPART_MB (part size and the size from which
    uploads go in parts, 5-5120, default 16) and SCAPE_S3_CONCURRENCY (parts
    sent at once per upload, default 4).
    """
    env = os.environ if environ is None else environ
    bucket = env.get("SCAPE_S3_BUCKET", "").strip()
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": local_location},
        }
    part_mb = _whole_number(env, "SCAPE_S3_MULTIPART_MB", DEFAULT_PART_MB, MIN_PART_MB, MAX_PART_MB)
    concurrency = _whole_number(env, "SCAPE_S3_CONCURRENCY", DEFAULT_CONCURRENCY, 1, 64)
    from boto3.s3.transfer import TransferConfig

    transfer = TransferConfig(
        multipart_threshold=part_mb * MIB,
        multipart_chunksize=part_mb * MIB,
        max_concurrency=concurrency,
        # The CRT client ignores these limits; keep the one that honours them.
        preferred_transfer_client="classic",
    )
    # An upload from an open file (not a path) queues parts in memory: bound them.
    transfer.max_in_memory_upload_chunks = concurrency
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": env.get("SCAPE_S3_PREFIX", "").strip().strip("/"),
        # Content-addressed keys: an existing key already holds these bytes,
        # and storage.commit never asks to write it again.
        "file_overwrite": False,
        # Evidence is never public: the bucket's policy decides, not an object ACL.
        "default_acl": None,
        "querystring_auth": True,
        "transfer_config": transfer,
        # storage.open() on S3 downloads the whole object first; let big ones
        # spill to a temporary file instead of memory (open_stored streams).
        "max_memory_size": part_mb * MIB,
    }
    endpoint = env.get("SCAPE_S3_ENDPOINT_URL", "").strip()
    if endpoint:
        options["endpoint_url"] = endpoint
        # MinIO and most self-hosted stores serve buckets as paths, not subdomains.
        options["addressing_style"] = "path"
    for variable, option in (
        ("SCAPE_S3_REGION", "region_name"),
        ("SCAPE_S3_ACCESS_KEY_ID", "access_key"),
        ("SCAPE_S3_SECRET_ACCESS_KEY", "secret_key"),
    ):
        value = env.get(variable, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def is_s3(storage: object) -> bool:
    """Return whether `storage` is django-storages' S3 backend (without importing boto3 needlessly)."""
    module = type(storage).__module__
    if not module.startswith("storages.backends.s3"):
        return False
    from storages.backends.s3 import S3Storage

    return isinstance(storage, S3Storage)


def object_name(storage: Any, key: str) -> str:
    """Return the object's name in the bucket: the storage's prefix joined to `key`."""
    from storages.utils import clean_name, safe_join

    return str(safe_join(storage.location, clean_name(key)))


def upload_file(storage: Any, key: str, path: str | os.PathLike[str]) -> None:
    """Upload the file at `path` under `key`, in parts above the multipart threshold.

    Given a path rather than an open file, boto3 reads each part from disk
    as it sends it instead of queueing parts in memory: an upload then
    costs a few buffers, not parts in flight x part size.
    """
    name = object_name(storage, key)
    storage.bucket.Object(name).upload_file(
        os.fspath(path),
        ExtraArgs=storage._get_write_parameters(name),
        Config=storage.transfer_config,
    )


class ObjectReader(io.RawIOBase):
    """Read one S3 object as a seekable file, streaming, with memory bounded by the caller's reads.

    Sequential reads share one ranged GET; a seek drops it and the next read
    starts another at the new offset. Every GET asks for the ETag seen when
    the reader opened, so the bytes read all come from one and the same
    object even if someone replaces it meanwhile (the read then fails).
    """

    def __init__(self, storage: Any, key: str) -> None:
        from botocore.exceptions import ClientError

        super().__init__()
        self._client = storage.connection.meta.client
        self._bucket = storage.bucket_name
        self.name = object_name(storage, key)
        try:
            head = self._client.head_object(Bucket=self._bucket, Key=self.name)
        except ClientError as err:
            if _status(err) == 404:
                raise FileNotFoundError(
                    f"No stored object {self.name!r} in bucket {self._bucket!r}"
                ) from err
            raise
        self.size: int = head["ContentLength"]
        self.etag: str = head["ETag"]
        self._pos = 0
        self._body: Any = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        target = base + offset
        if target < 0:
            raise ValueError(f"negative seek position {target}")
        if target != self._pos:
            self._drop_body()
            self._pos = target
        return self._pos

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._pos >= self.size or not len(view):
            return 0
        if self._body is None:
            self._body = self._get()
        data = self._body.read(min(len(view), self.size - self._pos))
        if not data:
            raise OSError(f"{self.name!r} ended at byte {self._pos} of {self.size}")
        n = len(data)
        view[:n] = data
        self._pos += n
        return n

    def close(self) -> None:
        self._drop_body()
        super().close()

    def _get(self) -> Any:
        from botocore.exceptions import ClientError

        try:
            response = self._client.get_object(
                Bucket=self._bucket, Key=self.name, Range=f"bytes={self._pos}-", IfMatch=self.etag
            )
        except ClientError as err:
            if _status(err) == 404:
                raise FileNotFoundError(f"{self.name!r} disappeared while being read") from err
            if _status(err) == 412:
                raise OSError(f"{self.name!r} was replaced while being read") from err
            raise
        return response["Body"]

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None


def open_object(storage: Any, key: str, buffer_size: int) -> io.BufferedReader:
    """Open a stored object for streaming reads (raises FileNotFoundError)."""
    return io.BufferedReader(ObjectReader(storage, key), buffer_size=buffer_size)


def _status(err: Any) -> int:
    return int(err.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
