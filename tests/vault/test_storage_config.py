"""STORAGES["evidence"] from SCAPE_S3_* variables: a local folder unless a bucket is named."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from scape.storages import MIB, evidence_storage_config


def test_it_keeps_evidence_in_a_local_folder_without_a_bucket(tmp_path: Path):
    config = evidence_storage_config(tmp_path, {"SCAPE_S3_ENDPOINT_URL": "http://minio:9000"})

    assert config == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path},
    }


def test_it_points_evidence_at_a_bucket_when_one_is_named(tmp_path: Path):
    config = evidence_storage_config(
        tmp_path,
        {
            "SCAPE_S3_BUCKET": "evidence",
            "SCAPE_S3_ENDPOINT_URL": "http://minio:9000",
            "SCAPE_S3_REGION": "eu-north-1",
            "SCAPE_S3_ACCESS_KEY_ID": "key",
            "SCAPE_S3_SECRET_ACCESS_KEY": "secret",
            "SCAPE_S3_PREFIX": "/scape/",
            "SCAPE_S3_MULTIPART_MB": "32",
        },
    )

    options = config["OPTIONS"]
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["bucket_name"] == "evidence" and options["location"] == "scape"
    assert options["endpoint_url"] == "http://minio:9000" and options["addressing_style"] == "path"
    assert (options["region_name"], options["access_key"], options["secret_key"]) == (
        "eu-north-1",
        "key",
        "secret",
    )
    assert options["file_overwrite"] is False and options["default_acl"] is None
    transfer = options["transfer_config"]
    assert transfer.multipart_threshold == transfer.multipart_chunksize == 32 * MIB


def test_it_leaves_credentials_to_boto3_when_none_are_given(tmp_path: Path):
    options = evidence_storage_config(tmp_path, {"SCAPE_S3_BUCKET": "evidence"})["OPTIONS"]

    assert "access_key" not in options and "secret_key" not in options
    assert "endpoint_url" not in options and options["location"] == ""


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SCAPE_S3_MULTIPART_MB", "4"),
        ("SCAPE_S3_MULTIPART_MB", "lots"),
        ("SCAPE_S3_MULTIPART_MB", "6000"),
        ("SCAPE_S3_CONCURRENCY", "0"),
    ],
)
def test_it_refuses_a_part_size_or_concurrency_s3_would_not_take(tmp_path: Path, name, value):
    with pytest.raises(ImproperlyConfigured, match=name):
        evidence_storage_config(tmp_path, {"SCAPE_S3_BUCKET": "evidence", name: value})
