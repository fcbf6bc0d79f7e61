"""A resumable upload's bytes on the object store, so that any web node can take the next chunk.

The received bytes of upload ``<id>`` are the parts of one S3 multipart upload
of the object ``uploads/<id>``, plus at most one *tail* object
``uploads/<id>.tail-<offset>``: the last bytes received, fewer than a part
(S3 refuses parts under 5 MiB except the last). The next chunk, on whichever
node it arrives, reads the tail back (never more than one part), adds its own
bytes and sends whole parts; the last chunk sends what is left as the last
part and completes the object. The part list, the tail's name and the running
SHA-256 state live in the upload's row (``scape.vault.actions.uploads``); a
tail's name carries the offset it ends at, so a chunk that dies before its row
is written leaves the previous tail intact.
"""

from __future__ import annotations

import contextlib
from typing import Any

from scape.storages import DEFAULT_PART_MB, MIN_PART_MB
from scape.vault import s3


def object_key(upload_id: Any) -> str:
    return f"uploads/{upload_id}"


def tail_key(upload_id: Any, offset: int) -> str:
    return f"uploads/{upload_id}.tail-{offset}"


def part_size(storage: Any) -> int:
    """Return the size of each part but the last: the store's multipart part size."""
    config = getattr(storage, "transfer_config", None)
    size = int(getattr(config, "multipart_chunksize", DEFAULT_PART_MB * 1024 * 1024))
    return max(size, MIN_PART_MB * 1024 * 1024)


def _client(storage: Any) -> Any:
    return storage.connection.meta.client


def start(storage: Any, upload_id: Any) -> str:
    """Start the multipart upload of ``uploads/<id>``; return its S3 upload id."""
    name = s3.object_name(storage, object_key(upload_id))
    response = _client(storage).create_multipart_upload(
        Bucket=storage.bucket_name, Key=name, **storage._get_write_parameters(name)
    )
    return str(response["UploadId"])


def send_part(storage: Any, upload_id: Any, multipart_id: str, number: int, data: Any) -> dict:
    """Upload one part; return its entry for the row's part list."""
    response = _client(storage).upload_part(
        Bucket=storage.bucket_name,
        Key=s3.object_name(storage, object_key(upload_id)),
        UploadId=multipart_id,
        PartNumber=number,
        Body=bytes(data),
    )
    return {"n": number, "etag": response["ETag"], "size": len(data)}


def complete(storage: Any, upload_id: Any, multipart_id: str, parts: list[dict]) -> int:
    """Join the parts into the object ``uploads/<id>``; return its size as stored."""
    client, name = _client(storage), s3.object_name(storage, object_key(upload_id))
    client.complete_multipart_upload(
        Bucket=storage.bucket_name,
        Key=name,
        UploadId=multipart_id,
        MultipartUpload={"Parts": [{"PartNumber": p["n"], "ETag": p["etag"]} for p in parts]},
    )
    return int(client.head_object(Bucket=storage.bucket_name, Key=name)["ContentLength"])


def abort(storage: Any, upload_id: Any, multipart_id: str) -> None:
    """Abort the multipart upload (its parts are freed); an unknown one is no error."""
    from botocore.exceptions import ClientError

    with contextlib.suppress(ClientError):
        _client(storage).abort_multipart_upload(
            Bucket=storage.bucket_name,
            Key=s3.object_name(storage, object_key(upload_id)),
            UploadId=multipart_id,
        )


def put_tail(storage: Any, key: str, data: Any) -> None:
    name = s3.object_name(storage, key)
    _client(storage).put_object(
        Bucket=storage.bucket_name,
        Key=name,
        Body=bytes(data),
        **storage._get_write_parameters(name),
    )


def read_tail(storage: Any, key: str) -> bytes:
    """Return the tail's bytes (raises FileNotFoundError when it is gone)."""
    with s3.open_object(storage, key, buffer_size=1024 * 1024) as handle:
        return handle.read()


def delete(storage: Any, key: str) -> None:
    """Delete an object of an upload; one already gone is no error."""
    if key:
        _client(storage).delete_object(Bucket=storage.bucket_name, Key=s3.object_name(storage, key))
