"""Drone and camera telemetry sidecars (.SRT, .gpx) attached to their video."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from scape.core import audit
from scape.core.tracks import TrackError, read_track
from scape.vault import storage
from scape.vault.choices import DerivativeKind, MediaKind
from scape.vault.models import Derivative, EvidenceItem
from scape.vault.probe import SIDECARS


@transaction.atomic
def do_attach_sidecar(
    item: EvidenceItem, *, name: str, data: bytes, actor: Any = None
) -> Derivative:
    """Store a telemetry file beside its video and read its GPS track into the item.

    A malformed file raises TrackError and stores nothing.
    """
    if item.media_kind != MediaKind.VIDEO:
        raise TrackError("telemetry belongs to a video")
    points = read_track(name, data)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = item.derivatives.filter(kind=DerivativeKind.TELEMETRY, sha256=sha256).first()
    if existing is not None:
        return existing
    key = storage.derived_key(sha256, "." + name.rsplit(".", 1)[-1].lower())
    store = storage.evidence_storage()
    if not store.exists(key):
        store.save(key, ContentFile(data))
    derivative = Derivative.objects.create(
        item=item,
        kind=DerivativeKind.TELEMETRY,
        sha256=sha256,
        size=len(data),
        storage_key=key,
        content_type=SIDECARS.get(
            "." + name.rsplit(".", 1)[-1].lower(), "application/octet-stream"
        ),
        name=name,
        details={"points": len(points)},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    item.gps_track = points
    item.save(update_fields=["gps_track"])
    audit.record(
        "vault.telemetry_attached",
        obj=item,
        actor=actor,
        details={"name": name, "sha256": sha256, "points": len(points)},
    )
    return derivative


__all__ = ["TrackError", "do_attach_sidecar"]
