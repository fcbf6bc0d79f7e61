"""Test helpers of the core: logged-in clients, authenticators, bombs, the task queue.

Organizations and people are made by ``scape.directory.testing`` (core imports
no app above it).
"""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device(user: Any) -> TOTPDevice:
    """Return the user's confirmed authenticator device, creating one if needed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """Return the code an authenticator app would show for the device now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def login(client: Client, user: Any, *, verified: bool = True) -> Client:
    """Log the user in; with `verified`, as if they passed the second factor."""
    client.force_login(user)
    if verified:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
        session.save()
    return client


def token_client(user: Any) -> Any:
    """Return a REST client that sends `user`'s API token, as an integration would."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    api.credentials(HTTP_AUTHORIZATION="Token " + token.key)
    return api


def bomb_png(width: int, height: int) -> bytes:
    """Return a small valid PNG that declares ``width`` x ``height`` pixels.

    Its few rows of data compress a whole grey picture's worth of zero bytes
    only as far as a test needs: opening it reads the header, decoding it all
    would need width * height * 3 bytes.
    """
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + width * 3) * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def queued_calls(task: Any) -> list[list[Any]]:
    """Return the arguments of each queued run of `task` (database task backend), oldest first.

    What a worker would run, read from the queue itself rather than from a
    stand-in for the task.
    """
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path=task.module_path).order_by("enqueued_at")
    return [row.args_kwargs["args"] for row in rows]


#: settings.TASKS for a test that runs every task at once, in the test's process.
IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "vision"],
    }
}
