"""Evidence on an S3-compatible store: real HTTP to moto's server on loopback.

No network beyond 127.0.0.1: the server runs in a thread of the test process
and every call goes through boto3, django-storages and a real socket.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import storages

from scape.core.models import AuditEvent
from scape.storages import evidence_storage_config
from scape.vault import storage
from scape.vault.actions.ingest import do_ingest
from scape.vault.models import Blob, EvidenceItem
from tests.vault.conftest import CREDENTIALS, PREFIX

pytestmark = pytest.mark.django_db


@pytest.fixture
def use_s3(settings: Any, _media: Path, moto_endpoint: str, bucket: str) -> Any:
    """Point STORAGES["evidence"] at the bucket, as the SCAPE_S3_* variables would."""

    def configure(**extra: str) -> Any:
        environ = {
            "SCAPE_S3_BUCKET": bucket,
            "SCAPE_S3_ENDPOINT_URL": moto_endpoint,
            "SCAPE_S3_REGION": "us-east-1",
            "SCAPE_S3_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
            "SCAPE_S3_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
            "SCAPE_S3_PREFIX": f"/{PREFIX}/",
            **extra,
        }
        settings.STORAGES = {
            **settings.STORAGES,
            "evidence": evidence_storage_config(_media / "evidence", environ),
        }
        return storages["evidence"]

    configure()
    return configure


def _versions(client: Any, bucket: str) -> list[dict[str, Any]]:
    return client.list_object_versions(Bucket=bucket).get("Versions", [])


def test_it_ingests_a_clip_into_the_bucket_and_reads_it_back(
    clip, lt_org, custodian, use_s3, s3_client, bucket, _media
):
    result = do_ingest(clip.open("rb"), name=clip.name, organization=lt_org, actor=custodian.user)

    assert result.status == "new"
    data = clip.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    key = storage.original_key(digest)
    assert result.item.blob.storage_key == key and result.item.metadata["codec"] == "h264"
    stored = s3_client.get_object(Bucket=bucket, Key=f"{PREFIX}/{key}")["Body"].read()
    assert stored == data
    assert storage.hash_stored(key) == (digest, len(data))
    # Nothing on the local disk but the (empty) staging folder.
    assert not (_media / "evidence").exists()
    assert list((_media / ".staging").iterdir()) == []


def test_it_stores_nothing_new_when_the_same_bytes_come_again(
    clip, lt_org, lv_org, custodian, use_s3, s3_client, bucket
):
    first = do_ingest(clip.open("rb"), name=clip.name, organization=lt_org, actor=custodian.user)
    again = do_ingest(clip.open("rb"), name="copy.mp4", organization=lt_org, actor=custodian.user)
    # Another organization gets its own item, and the commit finds the object there.
    other = do_ingest(clip.open("rb"), name=clip.name, organization=lv_org)

    assert (first.status, again.status, other.status) == ("new", "duplicate", "new")
    assert EvidenceItem.objects.count() == 2 and Blob.objects.count() == 1
    assert AuditEvent.objects.filter(action="vault.duplicate_ingest").count() == 1
    # A versioned bucket would show a rewrite as a second version.
    assert len(_versions(s3_client, bucket)) == 1


def test_it_never_overwrites_an_existing_key(use_s3, s3_client, bucket, tmp_path):
    source = tmp_path / "a.bin"
    source.write_bytes(b"evidence bytes" * 1000)
    key = "originals/test/key"

    with source.open("rb") as handle:
        assert storage.commit(storage.stage(handle, max_bytes=10**9), key) is True
    with source.open("rb") as handle:
        assert storage.commit(storage.stage(handle, max_bytes=10**9), key) is False

    assert len(_versions(s3_client, bucket)) == 1


def test_it_uploads_a_file_larger_than_one_part_in_parts(
    lt_org, custodian, use_s3, s3_client, bucket, tmp_path
):
    use_s3(SCAPE_S3_MULTIPART_MB="5")
    big = tmp_path / "drone-0001.mp4"
    big.write_bytes(os.urandom(12 * 1024 * 1024 + 12345))
    digest = hashlib.sha256(big.read_bytes()).hexdigest()

    with big.open("rb") as source:
        result = do_ingest(source, name=big.name, organization=lt_org, actor=custodian.user)

    assert result.status == "new" and result.sha256 == digest
    key = storage.original_key(digest)
    head = s3_client.head_object(Bucket=bucket, Key=f"{PREFIX}/{key}")
    # A multipart object's ETag is the hash of its parts' hashes, then "-<parts>".
    assert head["ETag"].strip('"').endswith("-3")
    assert head["ContentLength"] == big.stat().st_size
    assert storage.hash_stored(key) == (digest, big.stat().st_size)


def test_it_sees_a_flipped_byte_in_a_stored_object(clip, lt_org, use_s3, s3_client, bucket):
    result = do_ingest(clip.open("rb"), name=clip.name, organization=lt_org)
    key = storage.original_key(result.sha256)
    data = bytearray(clip.read_bytes())
    data[len(data) // 2] ^= 0x01
    s3_client.put_object(Bucket=bucket, Key=f"{PREFIX}/{key}", Body=bytes(data))

    digest, size = storage.hash_stored(key)

    assert size == len(data)
    assert digest != result.sha256 and digest == hashlib.sha256(data).hexdigest()


def test_it_raises_file_not_found_for_a_missing_object(clip, lt_org, use_s3, s3_client, bucket):
    result = do_ingest(clip.open("rb"), name=clip.name, organization=lt_org)
    key = storage.original_key(result.sha256)
    s3_client.delete_object(Bucket=bucket, Key=f"{PREFIX}/{key}")

    with pytest.raises(FileNotFoundError):
        storage.hash_stored(key)
    with pytest.raises(FileNotFoundError), storage.open_stored(key):
        pass


def test_it_streams_with_seeks_and_refuses_an_object_replaced_midway(
    use_s3, s3_client, bucket, tmp_path
):
    data = os.urandom(3 * storage.CHUNK + 17)
    source = tmp_path / "a.bin"
    source.write_bytes(data)
    with source.open("rb") as handle:
        storage.commit(storage.stage(handle, max_bytes=10**9), "originals/seek")

    with storage.open_stored("originals/seek") as stream:
        stream.seek(storage.CHUNK + 5)
        assert stream.read(10) == data[storage.CHUNK + 5 : storage.CHUNK + 15]
        stream.seek(-7, os.SEEK_END)
        assert stream.read() == data[-7:]
        stream.seek(0)
        assert stream.read(100) == data[:100]
        s3_client.put_object(Bucket=bucket, Key=f"{PREFIX}/originals/seek", Body=b"other")
        stream.seek(2 * storage.CHUNK)
        with pytest.raises(OSError, match="replaced"):
            stream.read(10)


def test_it_serves_ranges_and_downloads_straight_from_the_bucket(
    clip, lt_org, custodian, use_s3, s3_client, bucket, logged_in
):
    from django.urls import reverse

    result = do_ingest(clip.open("rb"), name=clip.name, organization=lt_org, actor=custodian.user)
    item = result.item
    data = clip.read_bytes()
    client = logged_in(custodian)
    form = {"reason": "Court request 2026/51", "recipient": ""}

    download = client.post(reverse("vault:item_download", args=[item.pk]), form)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data

    client.post(reverse("vault:item_play", args=[item.pk]), form)
    ranged = client.get(
        reverse("vault:item_stream", args=[item.pk]), headers={"range": "bytes=100-1099"}
    )
    if ranged.status_code == 206:  # no playable copy needed for an MP4 original
        assert b"".join(ranged.streaming_content) == data[100:1100]
