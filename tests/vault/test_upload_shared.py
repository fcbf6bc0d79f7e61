"""Resumable uploads kept on the object store: parts, a tail and the hash state in the row.

Real HTTP to moto's S3 server on loopback (see test_s3.py). One process here;
tests/test_multinode.py runs the same through two web nodes and two workers.
"""

from __future__ import annotations

import hashlib
import os
import struct
from typing import Any

import pytest

from scape.core.testing import IMMEDIATE_TASKS
from scape.vault import storage
from scape.vault.models import EvidenceItem, Upload
from tests.vault.conftest import CREDENTIALS, PREFIX
from tests.vault.test_upload import Interrupted, checksum, create, head, patch

pytestmark = pytest.mark.django_db
MIB = 1024 * 1024


@pytest.fixture
def shared(settings: Any, _media: Any, moto_endpoint: str, bucket: str) -> Any:
    from scape.storages import evidence_storage_config

    settings.TASKS = IMMEDIATE_TASKS
    environ = {
        "SCAPE_S3_BUCKET": bucket,
        "SCAPE_S3_ENDPOINT_URL": moto_endpoint,
        "SCAPE_S3_REGION": "us-east-1",
        "SCAPE_S3_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "SCAPE_S3_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
        "SCAPE_S3_PREFIX": PREFIX,
        "SCAPE_S3_MULTIPART_MB": "5",
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": evidence_storage_config(_media / "evidence", environ),
    }


def padded_clip(clip: Any, size: int) -> bytes:
    """Return the clip followed by an MP4 `free` box: still a valid video, `size` bytes long."""
    data = clip.read_bytes()
    room = size - len(data)
    return data + struct.pack(">I", room) + b"free" + os.urandom(room - 8)


def _keys(client: Any, bucket: str) -> list[str]:
    listed = client.list_objects_v2(Bucket=bucket, Prefix=PREFIX).get("Contents", [])
    return sorted(o["Key"][len(PREFIX) + 1 :] for o in listed)


def test_chunks_of_any_size_become_parts_and_the_file_is_hashed_as_it_arrives(
    shared,
    clip,
    custodian,
    logged_in,
    s3_client,
    bucket,
    _media,
):
    uploader = logged_in(custodian)
    data = padded_clip(clip, 13 * MIB + 12345)
    url = create(uploader, len(data), name=clip.name)["Location"]
    upload = Upload.objects.get()
    assert upload.multipart_id and not upload.staging_name

    # Smaller than a part: kept as the tail object.
    assert patch(uploader, url, data[: 3 * MIB], 0).status_code == 204
    # Crosses a part: one 5 MiB part goes, 2 MiB stay in the tail.
    assert patch(uploader, url, data[3 * MIB : 7 * MIB], 3 * MIB).status_code == 204
    upload.refresh_from_db()
    assert [p["size"] for p in upload.parts] == [5 * MIB]
    assert upload.tail_key.endswith(f".tail-{7 * MIB}")
    assert _keys(s3_client, bucket) == [upload.tail_key]  # the older tail is gone

    # A chunk whose checksum fails keeps nothing.
    bad = patch(uploader, url, data[7 * MIB : 8 * MIB], 7 * MIB,
                HTTP_UPLOAD_CHECKSUM=checksum(b"something else"))  # fmt: skip
    assert bad.status_code == 460
    assert head(uploader, url)["Upload-Offset"] == str(7 * MIB)

    # The connection breaks after 1.5 MiB of a 4 MiB chunk: what arrived is kept.
    received = 7 * MIB + 3 * MIB // 2
    broken = Interrupted(data[7 * MIB : received])
    patch(uploader, url, data[7 * MIB : 11 * MIB], 7 * MIB, **{"wsgi.input": broken})
    assert head(uploader, url)["Upload-Offset"] == str(received)

    last = patch(uploader, url, data[received:], received)
    assert last.status_code == 204 and last["Upload-Result"] == "new"
    item = EvidenceItem.objects.get()
    digest = hashlib.sha256(data).hexdigest()
    assert item.sha256 == digest and item.size == len(data)
    assert item.metadata.get("codec") == "h264"  # described from ranged reads of the object
    key = storage.original_key(digest)
    assert storage.hash_stored(key) == (digest, len(data))
    # Nothing of the upload is left: no tail, no joined object, no open multipart upload.
    assert not [k for k in _keys(s3_client, bucket) if k.startswith("uploads/")]
    assert not s3_client.list_multipart_uploads(Bucket=bucket).get("Uploads")
    assert not any((_media / ".staging").glob("tus-*"))


def test_a_cancelled_upload_frees_its_parts(
    shared,
    clip,
    custodian,
    logged_in,
    s3_client,
    bucket,
):
    uploader = logged_in(custodian)
    data = padded_clip(clip, 6 * MIB)
    url = create(uploader, len(data), name=clip.name)["Location"]
    assert patch(uploader, url, data[: 5 * MIB + 10], 0).status_code == 204
    assert s3_client.list_multipart_uploads(Bucket=bucket).get("Uploads")
    response = uploader.delete(url, HTTP_TUS_RESUMABLE="1.0.0")
    assert response.status_code == 204
    assert not Upload.objects.exists()
    assert not s3_client.list_multipart_uploads(Bucket=bucket).get("Uploads")
    assert not _keys(s3_client, bucket)


def test_the_same_file_again_is_a_duplicate_and_leaves_nothing_behind(
    shared,
    clip,
    custodian,
    logged_in,
    s3_client,
    bucket,
):
    uploader = logged_in(custodian)
    data = clip.read_bytes()
    for expected in ("new", "duplicate"):
        url = create(uploader, len(data), name=clip.name)["Location"]
        assert patch(uploader, url, data, 0)["Upload-Result"] == expected
    assert EvidenceItem.objects.count() == 1
    assert not [k for k in _keys(s3_client, bucket) if k.startswith("uploads/")]
