"""What an audit event's action code means, in the reader's language.

Codes (``vault.ingested``) stay in the log as stored: they are data, the same
in every language and in every export meant for machines. Pages and printed
documents show these labels instead, with the code beside them where a
specialist may need it; a code without a label is shown as it is.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "vault.ingested": _("Ingested (stored and hashed)"),
    "vault.duplicate_ingest": _("Same file ingested again"),
    "vault.upload_started": _("Upload started"),
    "vault.upload_expired": _("Unfinished upload expired"),
    "vault.upload_terminated": _("Upload cancelled"),
    "vault.item_viewed": _("Item opened"),
    "vault.item_streamed": _("Played"),
    "vault.item_downloaded": _("Downloaded"),
    "vault.thumbnail_viewed": _("Thumbnail viewed"),
    "vault.category_changed": _("Category changed"),
    "vault.added_to_case": _("Added to a case"),
    "vault.case_opened": _("Case opened"),
    "vault.shared_with_case": _("Shared with a partner (with its case)"),
    "vault.custody_exported": _("Custody history exported"),
    "vault.exported": _("Exported for court"),
    "vault.link_created": _("Download link made"),
    "vault.link_downloaded": _("Downloaded through a link"),
    "vault.link_revoked": _("Download link withdrawn"),
    "vault.integrity_checked": _("Integrity checked"),
    "vault.derivative_created": _("Playable copy or thumbnail made"),
    "vault.telemetry_attached": _("GPS track attached"),
    "vault.redaction_started": _("Redaction started"),
    "vault.redaction_detected": _("Faces and plates found for redaction"),
    "vault.redaction_reviewed": _("Redaction reviewed"),
    "vault.redaction_edited": _("Redaction boxes changed"),
    "vault.redaction_render_started": _("Redacted copy being made"),
    "vault.redacted_copy_made": _("Redacted copy made"),
    "vault.deletion_proposed": _("Proposed for deletion"),
    "vault.deletion_skipped": _("Kept: protected from deletion"),
    "vault.binned": _("Moved to the recovery bin"),
    "vault.restored": _("Restored from the recovery bin"),
    "vault.destroyed": _("Destroyed"),
    "core.shared": _("Shared with a partner"),
    "core.share_revoked": _("Sharing withdrawn"),
    "traffic.evidence_read_requested": _("Plate reading requested"),
    "traffic.read_recorded": _("Plate read stored"),
    "operations.linked": _("Linked to an incident"),
    "audit.read": _("Audit log consulted"),
    "audit.exported": _("Audit log exported"),
    "auth.login": _("Logged in"),
    "auth.logout": _("Logged out"),
    "auth.login_failed": _("Failed login"),
}


def action_label(code: str) -> str:
    """Return the label of an action code in the active language, or the code itself."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code
