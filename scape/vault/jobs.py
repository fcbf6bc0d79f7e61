"""The vault's periodic jobs (registered with scape.core.schedule in apps.py)."""

from __future__ import annotations

from scape.directory.models import Organization
from scape.vault import storage
from scape.vault.actions import destroy_expired, do_propose_deletion, uploads, verify_item
from scape.vault.choices import Integrity, ItemStatus
from scape.vault.models import EvidenceItem


def verify_all() -> str:
    """Re-hash every stored original; failures are flagged on the item and audited."""
    failed = checked = 0
    for item in (
        EvidenceItem.objects.exclude(status=ItemStatus.DESTROYED).select_related("blob").iterator()
    ):
        checked += 1
        if verify_item(item) in (Integrity.MISMATCH, Integrity.MISSING):
            failed += 1
    return f"{checked} checked, {failed} failed"


def retention() -> str:
    """Destroy binned items past recovery; propose deletion lists for custodians."""
    destroyed = len(destroy_expired())
    proposed = sum(
        1 for org in Organization.objects.filter(is_active=True) if do_propose_deletion(org)
    )
    return f"{destroyed} destroyed, {proposed} lists proposed"


def expire_uploads() -> str:
    """Remove abandoned resumable uploads and their partial files."""
    return str(uploads.expire_uploads())


def expire_exports() -> str:
    """Delete court-export ZIPs past their keeping time."""
    from scape.vault.exports import expire_exports as expire

    return f"{expire()} exports removed"


def sweep_staging() -> dict[str, int]:
    """Remove what killed tasks left in the staging folder and the system temporary folder."""
    from scape.core.recovery import sweep_temp

    folder = storage.staging_dir()
    return {
        "parts": storage.sweep_stale_parts(folder),
        "folders": sweep_temp(folder, prefixes=("tmp",)) + sweep_temp(),
    }
