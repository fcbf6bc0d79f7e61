"""Vault fixtures: real small clips made with PyAV, organizations with evidence roles."""

from __future__ import annotations

import uuid
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import boto3
import numpy as np
import pytest

from scape.core.choices import Role


def make_clip(
    path: Path, *, seconds: float = 1.0, size=(160, 120), fps: int = 10, audio: bool = True
) -> Path:
    """Write a small H.264 MP4 with a moving square (and a tone) to `path`."""
    width, height = size
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"preset": "ultrafast"}
        sound = container.add_stream("aac", rate=16000) if audio else None
        frames = int(seconds * fps)
        for i in range(frames):
            image = np.zeros((height, width, 3), dtype=np.uint8)
            x = (i * 7) % max(1, width - 20)
            image[20:40, x : x + 20] = (255, 200, 0)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        if sound is not None:
            samples = int(16000 * seconds)
            t = np.arange(samples) / 16000
            tone = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32).reshape(1, -1)
            chunk = 1024
            for start in range(0, samples, chunk):
                frame = av.AudioFrame.from_ndarray(
                    tone[:, start : start + chunk], format="fltp", layout="mono"
                )
                frame.sample_rate = 16000
                frame.pts = start
                frame.time_base = Fraction(1, 16000)
                for packet in sound.encode(frame):
                    container.mux(packet)
            for packet in sound.encode():
                container.mux(packet)
    return path


def add_redacted(item, data: bytes = b"redacted-copy-bytes" * 100, name: str = "redacted.mp4"):
    """Store `data` as a redacted copy of `item` (a stand-in for a rendered redaction)."""
    import hashlib

    from django.core.files.base import ContentFile

    from scape.vault import storage
    from scape.vault.choices import DerivativeKind
    from scape.vault.models import Derivative

    sha = hashlib.sha256(data).hexdigest()
    key = storage.derived_key(sha, ".mp4")
    if not storage.evidence_storage().exists(key):
        storage.evidence_storage().save(key, ContentFile(data))
    return Derivative.objects.create(
        item=item, kind=DerivativeKind.REDACTED, sha256=sha, size=len(data),
        storage_key=key, content_type="video/mp4", name=name,
    )  # fmt: skip


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return make_clip(tmp_path / "bodycam-0001.mp4")


@pytest.fixture
def custodian(lt_org, persona):
    return persona(lt_org, Role.CUSTODIAN, username="vytautas")


@pytest.fixture
def officer(lt_org, persona):
    return persona(lt_org, Role.OFFICER, username="andrius")


# Moto's S3 server on loopback, spoken to over real HTTP (test_s3.py, test_upload_shared.py).
PREFIX = "scape-test/evidence"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def moto_endpoint() -> Any:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_client(moto_endpoint: str) -> Any:
    return boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1", **CREDENTIALS)


@pytest.fixture
def bucket(s3_client: Any) -> str:
    name = f"evidence-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=name)
    s3_client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name
