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
    "vault.export_downloaded": _("Court export downloaded"),
    "core.download_taken": _("Prepared export downloaded"),
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
    "activities.activity_changed": _("Activity changed"),
    "activities.activity_created": _("Activity created"),
    "activities.attendance_marked": _("Attendance marked"),
    "activities.calendar_feed_issued": _("Calendar link made"),
    "activities.certificate_downloaded": _("Certificate downloaded"),
    "activities.certificate_issued": _("Certificate issued"),
    "activities.certificate_revoked": _("Certificate revoked"),
    "activities.contact_card_saved": _("Contact card saved"),
    "activities.contacts_exported": _("Contacts exported"),
    "activities.feedback_given": _("Feedback given"),
    "activities.registered": _("Registered for an activity"),
    "activities.registration_cancelled": _("Registration cancelled"),
    "activities.registration_moved_up": _("Moved up from the waiting list"),
    "activities.registration_rejected": _("Registration turned down"),
    "activities.session_added": _("Session added"),
    "activities.sign_in_sheet_printed": _("Sign-in sheet printed"),
    "alerts.area_saved": _("Area saved"),
    "alerts.notice_approved": _("Notice approved"),
    "alerts.notice_changed": _("Notice changed"),
    "alerts.notice_created": _("Notice drafted"),
    "alerts.notice_published": _("Notice published"),
    "alerts.notice_returned": _("Notice returned for changes"),
    "alerts.notice_submitted": _("Notice submitted for approval"),
    "auth.2fa_enabled": _("Second factor set up"),
    "auth.2fa_failed": _("Wrong second-factor code"),
    "auth.2fa_removed": _("Second factor removed"),
    "auth.2fa_setup_permitted": _("Second-factor set-up opened"),
    "auth.2fa_setup_refused": _("Second-factor set-up refused"),
    "auth.2fa_verified": _("Second factor passed"),
    "auth.api_token_created": _("API token made"),
    "auth.api_token_revoked": _("API token withdrawn"),
    "auth.locked_out": _("Locked out after failed logins"),
    "auth.password_changed": _("Password changed"),
    "auth.permissions_changed": _("Permissions changed"),
    "auth.user_created": _("User created"),
    "auth.user_password_set": _("Password set by an administrator"),
    "core.audit_checkpoint": _("Audit chain signed"),
    "core.task_requeued": _("Work given to another worker"),
    "directory.organization_changed": _("Organization changed"),
    "directory.organization_created": _("Organization created"),
    "directory.person_changed": _("Person changed"),
    "directory.person_created": _("Person added"),
    "directory.person_deactivated": _("Person deactivated"),
    "directory.person_viewed": _("Person's details viewed"),
    "directory.role_granted": _("Role granted"),
    "directory.role_revoked": _("Role withdrawn"),
    "equipment.asset_changed": _("Equipment changed"),
    "equipment.asset_checked_in": _("Equipment returned"),
    "equipment.asset_checked_out": _("Equipment handed out"),
    "equipment.asset_created": _("Equipment added"),
    "equipment.flight_recorded": _("Drone flight recorded"),
    "equipment.inventory_imported": _("Inventory imported"),
    "equipment.maintenance_recorded": _("Maintenance recorded"),
    "equipment.maintenance_reminder_sent": _("Maintenance reminder sent"),
    "equipment.meter_read": _("Meter reading recorded"),
    "equipment.photo_added": _("Photo added"),
    "equipment.schedule_created": _("Maintenance schedule set"),
    "equipment.schedule_deleted": _("Maintenance schedule removed"),
    "equipment.trip_recorded": _("Trip recorded"),
    "operations.incident_assigned": _("Incident assigned"),
    "operations.incident_created": _("Incident reported"),
    "operations.incident_status": _("Incident status changed"),
    "operations.log_added": _("Incident log entry added"),
    "operations.patrol_planned": _("Patrol planned"),
    "operations.patrol_reported": _("Patrol report written"),
    "operations.patrol_started": _("Patrol started"),
    "operations.people_viewed": _("People of an incident viewed"),
    "operations.person_added": _("Person added to an incident"),
    "traffic.camera_active": _("Camera switched on or off"),
    "traffic.camera_created": _("Camera added"),
    "traffic.camera_token_rotated": _("Camera token renewed"),
    "traffic.camera_updated": _("Camera changed"),
    "traffic.crop_viewed": _("Plate image viewed"),
    "traffic.entry_created": _("Hot-list entry added"),
    "traffic.entry_withdrawn": _("Hot-list entry withdrawn"),
    "traffic.hit": _("Hot-list hit"),
    "traffic.hit_acknowledged": _("Hit acknowledged"),
    "traffic.hit_decided": _("Hit checked: confirmed or misread"),
    "traffic.hit_viewed": _("Hit viewed"),
    "traffic.reads_browsed": _("Plate reads looked through"),
    "traffic.reads_expired": _("Old plate reads deleted"),
    "traffic.reads_searched": _("Plate searched"),
    "traffic.section_created": _("Speed section added"),
    "reports.refresh_requested": _("Report figures recount asked for"),
}


def action_label(code: str) -> str:
    """Return the label of an action code in the active language, or the code itself."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def object_label(object_type: str) -> str:
    """Return the name of a kind of record ("traffic.hit") in the active language, or the code."""
    from django.apps import apps

    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name)
