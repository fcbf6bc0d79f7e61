"""How SCAPE signs what it posts to an organization's webhook (read by receivers too)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any


def sign(secret: str, body: bytes, *, timestamp: str, delivery: str) -> str:
    """Return the X-Scape-Signature value for a webhook body.

    The HMAC covers the X-Scape-Timestamp and X-Scape-Delivery values as well
    as the body (``f"{timestamp}.{delivery}.".encode() + body``), so that a
    receiver that refuses old timestamps and delivery ids it has seen cannot be
    fed a recorded message again.
    """
    message = f"{timestamp}.{delivery}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def webhook_body(payload: Mapping[str, Any]) -> bytes:
    """Return the exact bytes posted (and signed) for a payload."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()
