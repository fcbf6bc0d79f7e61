"""A real HTTP connection that breaks mid-chunk: the server keeps what arrived."""

from __future__ import annotations

import hashlib
import http.client
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from rest_framework.authtoken.models import Token

from scape.core.testing import IMMEDIATE_TASKS
from scape.vault.models import EvidenceItem
from tests.vault.test_upload import metadata
from tests.vault.test_upload_api import ENDPOINT

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.vault.test_upload_api"),
]


@pytest.fixture(autouse=True)
def _tasks_inline(settings: Any) -> None:
    settings.TASKS = IMMEDIATE_TASKS


def _request(
    base: str, method: str, path: str, token: str, body: bytes = b"", **headers: str
) -> Any:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = {"Authorization": f"Token {token}", "Tus-Resumable": "1.0.0", **headers}
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_it_keeps_the_bytes_of_a_broken_connection_and_resumes(live_server, custodian, clip):
    token = Token.objects.create(user=custodian.user).key
    data = clip.read_bytes()
    created = _request(
        live_server.url,
        "POST",
        ENDPOINT,
        token,
        **{"Upload-Length": str(len(data)), "Upload-Metadata": metadata(filename=clip.name)},
    )
    assert created.status == 201
    path = urlsplit(created.getheader("Location")).path

    # Announce the whole file, send 60% of it, and drop the connection.
    sent = len(data) * 6 // 10
    parts = urlsplit(live_server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        head = (
            f"PATCH {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Authorization: Token {token}\r\nTus-Resumable: 1.0.0\r\n"
            f"Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        )
        sock.sendall(head.encode() + data[:sent])
        time.sleep(0.2)
    deadline = time.monotonic() + 10
    while True:
        offset = int(_request(live_server.url, "HEAD", path, token).getheader("Upload-Offset"))
        if offset == sent or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert offset == sent

    rest = _request(
        live_server.url,
        "PATCH",
        path,
        token,
        body=data[offset:],
        **{"Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset)},
    )
    assert rest.status == 204 and rest.getheader("Upload-Result") == "new"
    item = EvidenceItem.objects.get(original_name=clip.name)
    assert item.sha256 == hashlib.sha256(data).hexdigest()
