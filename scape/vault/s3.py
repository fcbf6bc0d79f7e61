"""Evidence on an S3-compatible object store (AWS S3, MinIO, Ceph RGW, ...), at run time.

The ``STORAGES["evidence"]`` entry is built by ``scape.storages`` (settings
import nothing from the apps). :class:`ObjectReader` streams a stored object
back without first copying it to memory or a temporary file.
"""

from __future__ import annotations

import io
import os
from typing import Any


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


def copy_object(storage: Any, source: str, key: str) -> None:
    """Copy the object `source` to `key` within the bucket, in parts above the multipart size.

    The store copies the bytes itself (server-side, UploadPartCopy for big
    objects): nothing passes through this machine.
    """
    storage.bucket.Object(object_name(storage, key)).copy(
        {"Bucket": storage.bucket_name, "Key": object_name(storage, source)},
        ExtraArgs=storage._get_write_parameters(object_name(storage, key)),
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
