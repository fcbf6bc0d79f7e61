"""Where files are stored: the ``STORAGES`` entries, built from environment variables.

``scape.settings`` calls :func:`evidence_storage_config`; this module imports
nothing that needs Django's apps loaded, and boto3 only when S3 is switched on.
The run-time side of object storage (streaming reads, uploads) is
``scape.vault.s3``.
"""

from __future__ import annotations

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


def media_storage_config(
    local_location: Path, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the ``STORAGES["default"]`` entry: every other file beside the evidence.

    Plate crops, equipment photos, maintenance attachments: with a bucket
    configured they go to it too, under ``<SCAPE_S3_PREFIX>/media``, so that
    any web node serves a file another node stored. Without one they stay in
    the local folder (MEDIA_ROOT).
    """
    env = os.environ if environ is None else environ
    config = evidence_storage_config(local_location, env)
    if config["BACKEND"] == S3_BACKEND:
        prefix = config["OPTIONS"]["location"]
        config["OPTIONS"]["location"] = f"{prefix}/media" if prefix else "media"
    return config
