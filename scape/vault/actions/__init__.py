"""Every write to the vault: custody decisions, cases, retention and links here;
ingest (``actions.ingest``), resumable uploads (``actions.uploads``), sidecar
telemetry (``actions.telemetry``) and redacted copies (``actions.redaction``)
in modules of their own."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scape.core import audit
from scape.core.access import access_object, actor_of
from scape.core.actions import do_share_record
from scape.core.choices import Action, Role
from scape.core.models import Grant
from scape.vault import storage
from scape.vault.choices import CaseStatus, DeletionStatus, Integrity, ItemStatus
from scape.vault.disclosure import NotRedactedError, files_for
from scape.vault.models import (
    Case,
    Category,
    DeletionList,
    Derivative,
    EvidenceItem,
    ExternalLink,
)
from scape.vault.queries import due_for_deletion
from scape.vault.retention import apply_retention

# ---------------------------------------------------------------- item custody


@transaction.atomic
def do_set_category(item: EvidenceItem, category: Category | None, *, actor: Any) -> None:
    """Change an item's category and recompute its retention dates."""
    access_object(EvidenceItem, actor, item.pk, Action.CHANGE)
    if category is not None and category.organization_id != item.organization_id:
        raise ValidationError({"category": _("Choose a category of the item's organization.")})
    before = str(item.category) if item.category else ""
    item.category = category
    apply_retention(item)
    item.save(update_fields=["category", "retain_until", "review_at"])
    audit.record(
        "vault.category_changed",
        obj=item,
        actor=actor,
        details={"from": before, "to": str(category) if category else ""},
    )


def _need_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Give a reason of at least five characters.")})
    return reason


@transaction.atomic
def do_set_item_hold(item: EvidenceItem, hold: bool, *, reason: str, actor: Any) -> None:
    """Put an item on legal hold (nothing deletes it) or release it."""
    access_object(EvidenceItem, actor, item.pk, Action.CHANGE)
    reason = _need_reason(reason)
    item.legal_hold = hold
    item.hold_reason = reason if hold else ""
    item.save(update_fields=["legal_hold", "hold_reason"])
    audit.record(
        "vault.hold_set" if hold else "vault.hold_released", obj=item, actor=actor, reason=reason
    )


# ---------------------------------------------------------------- cases


@transaction.atomic
def do_create_case(
    *, organization: Any, reference: str, title: str, description: str = "", actor: Any
) -> Case:
    """Open a case in the actor's organization."""
    reference = reference.strip()
    if not reference or not title.strip():
        raise ValidationError(_("A case needs a reference and a title."))
    if Case.objects.filter(organization=organization, reference__iexact=reference).exists():
        raise ValidationError({"reference": _("A case with this reference already exists.")})
    case = Case.objects.create(
        organization=organization,
        reference=reference,
        title=title.strip(),
        description=description,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record("vault.case_opened", obj=case, actor=actor)
    return case


@transaction.atomic
def do_add_to_case(case: Case, item: EvidenceItem, *, actor: Any) -> None:
    """Add an item of the case's organization to the case."""
    access_object(Case, actor, case.pk, Action.CHANGE)
    access_object(EvidenceItem, actor, item.pk, Action.VIEW)
    if item.organization_id != case.organization_id:
        raise ValidationError(_("Only the organization's own evidence can be added to its case."))
    case.items.add(item)
    audit.record("vault.added_to_case", obj=item, actor=actor, details={"case": case.reference})


@transaction.atomic
def do_set_case_status(case: Case, status: str, *, actor: Any) -> None:
    """Close or reopen a case; items of a closed case fall back to their own retention."""
    access_object(Case, actor, case.pk, Action.CHANGE)
    case.status = CaseStatus(status)
    case.closed_at = timezone.now() if status == CaseStatus.CLOSED else None
    case.save(update_fields=["status", "closed_at"])
    audit.record(f"vault.case_{status}", obj=case, actor=actor)


@transaction.atomic
def do_set_case_hold(case: Case, hold: bool, *, reason: str, actor: Any) -> None:
    """Put a whole case on legal hold or release it."""
    access_object(Case, actor, case.pk, Action.CHANGE)
    reason = _need_reason(reason)
    case.legal_hold = hold
    case.hold_reason = reason if hold else ""
    case.save(update_fields=["legal_hold", "hold_reason"])
    audit.record(
        "vault.case_hold_set" if hold else "vault.case_hold_released",
        obj=case,
        actor=actor,
        reason=reason,
    )


# ---------------------------------------------------------------- sharing


@transaction.atomic
def do_share_evidence(target: EvidenceItem | Case, *, actor: Any, **grant: Any) -> Grant:
    """Share an item or a case with a partner; each item of a case records it in its custody.

    `grant` takes do_share_record's arguments (grantee, purpose, expires_at,
    allow_download, redacted_only).
    """
    created = do_share_record(target, actor=actor, **grant)
    if isinstance(target, Case):
        audit.record_many(
            (
                "vault.shared_with_case",
                {
                    "obj": item,
                    "actor": actor,
                    "reason": created.purpose,
                    "recipient": created.grantee.code,
                    "details": {"case": target.reference, "grant": created.pk},
                },
            )
            for item in target.items.select_related("organization")
        )
    return created


# ---------------------------------------------------------------- integrity


def verify_item(item: EvidenceItem) -> str:
    """Re-hash the stored original; record and return the integrity outcome."""
    if item.blob is None or item.status == ItemStatus.DESTROYED:
        return item.integrity
    try:
        digest, size = storage.hash_stored(item.blob.storage_key)
        outcome = Integrity.OK if (digest, size) == (item.sha256, item.size) else Integrity.MISMATCH
    except FileNotFoundError:
        outcome = Integrity.MISSING
    previous = item.integrity
    EvidenceItem.objects.filter(pk=item.pk).update(integrity=outcome, verified_at=timezone.now())
    item.integrity = outcome
    if outcome != Integrity.OK or previous not in (Integrity.OK, Integrity.UNCHECKED):
        audit.record(
            "vault.integrity_checked",
            obj=item,
            outcome="success" if outcome == Integrity.OK else "failure",
            details={"result": outcome, "previous": previous},
        )
    return outcome


# ---------------------------------------------------------------- retention


@transaction.atomic
def do_propose_deletion(organization: Any, *, actor: Any = None) -> DeletionList | None:
    """Put the items whose time has come on a list for a custodian to confirm.

    Items already waiting on an unconfirmed list are not listed again.
    """
    items = list(
        due_for_deletion(organization).exclude(deletion_lists__status=DeletionStatus.PROPOSED)
    )
    if not items:
        return None
    proposal = DeletionList.objects.create(
        organization_id=getattr(organization, "pk", organization)
    )
    proposal.items.set(items)
    audit.record(
        "vault.deletion_proposed",
        object_type="vault.deletionlist",
        object_id=proposal.pk,
        actor=actor,
        details={"items": [i.pk for i in items]},
    )
    return proposal


@transaction.atomic
def do_confirm_deletion(proposal: DeletionList, *, actor: Any) -> list[EvidenceItem]:
    """Move the listed items to the recovery bin (a custodian confirms the list).

    Each item is checked again now: one put on hold or into an open case since
    the list was made is kept, and said so in the audit log.
    """
    who = actor_of(actor)
    if Role.CUSTODIAN not in who.roles or who.organization_id != proposal.organization_id:
        raise ValidationError(_("Only an evidence custodian of the organization can confirm."))
    if proposal.status != DeletionStatus.PROPOSED:
        raise ValidationError(_("This list was already handled."))
    days = settings.SCAPE_RECOVERY_DAYS
    binned = []
    now = timezone.now()
    for item in proposal.items.select_for_update():
        if item.protected or item.status not in (ItemStatus.AVAILABLE, ItemStatus.UNREADABLE):
            audit.record(
                "vault.deletion_skipped", obj=item, actor=actor, details={"why": "protected"}
            )
            continue
        item.status = ItemStatus.IN_BIN
        item.binned_at = now
        item.destroy_after = now + timedelta(days=days)
        item.save(update_fields=["status", "binned_at", "destroy_after"])
        audit.record(
            "vault.binned",
            obj=item,
            actor=actor,
            details={"destroy_after": item.destroy_after.isoformat()},
        )
        binned.append(item)
    proposal.status = DeletionStatus.CONFIRMED
    proposal.confirmed_by = actor
    proposal.confirmed_at = now
    proposal.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    return binned


@transaction.atomic
def do_restore_item(item: EvidenceItem, *, reason: str, actor: Any) -> None:
    """Take an item back out of the recovery bin, keeping it for another period."""
    access_object(EvidenceItem, actor, item.pk, Action.DELETE)
    reason = _need_reason(reason)
    if item.status != ItemStatus.IN_BIN:
        raise ValidationError(_("Only an item in the recovery bin can be restored."))
    item.status = ItemStatus.UNREADABLE if item.unreadable_reason else ItemStatus.AVAILABLE
    item.binned_at = item.destroy_after = None
    apply_retention(item)
    if item.retain_until and item.retain_until < timezone.now():
        item.retain_until = timezone.now() + timedelta(days=30)
    item.save(update_fields=["status", "binned_at", "destroy_after", "retain_until", "review_at"])
    audit.record("vault.restored", obj=item, actor=actor, reason=reason)


def destroy_expired(*, dry_run: bool = False) -> list[EvidenceItem]:
    """Destroy the bytes of binned items past their recovery period; log metadata only."""
    due = EvidenceItem.objects.filter(
        status=ItemStatus.IN_BIN, destroy_after__lte=timezone.now()
    ).select_related("blob")
    destroyed = []
    for item in due:
        if item.protected:
            continue
        if not dry_run:
            _destroy(item)
        destroyed.append(item)
    return destroyed


@transaction.atomic
def _destroy(item: EvidenceItem) -> None:
    store = storage.evidence_storage()
    blob = item.blob
    metadata = {
        "sha256": item.sha256,
        "size": item.size,
        "source_type": item.source_type,
        "category": item.category.code if item.category else "",
        "ingested_at": item.ingested_at.isoformat(),
        "retain_until": item.retain_until.isoformat() if item.retain_until else "",
    }
    for derivative in item.derivatives.all():
        shared_key = (
            Derivative.objects.filter(storage_key=derivative.storage_key)
            .exclude(pk=derivative.pk)
            .exists()
        )
        if not shared_key:
            store.delete(derivative.storage_key)
        derivative.delete()
    item.status = ItemStatus.DESTROYED
    item.blob = None
    item.original_name = "—"
    item.metadata = {}
    item.gps_track = []
    item.save(update_fields=["status", "blob", "original_name", "metadata", "gps_track"])
    if blob is not None and not blob.items.exists():
        store.delete(blob.storage_key)
        blob.delete()
    audit.record("vault.destroyed", obj=item, object_repr=f"#{item.pk}", details=metadata)


# ---------------------------------------------------------------- external links


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def do_create_external_link(
    target: EvidenceItem | Case,
    *,
    recipient: str,
    purpose: str,
    expires_at: datetime,
    max_downloads: int = 5,
    use_redacted: bool = False,
    actor: Any,
) -> tuple[ExternalLink, str]:
    """Create a link for a prosecutor or court; return it and its secret token (shown once)."""
    access_object(type(target), actor, target.pk, Action.SHARE)
    errors = {}
    if not recipient.strip():
        errors["recipient"] = _("Name the recipient.")
    if not purpose.strip():
        errors["purpose"] = _("Say why the record is shared.")
    if expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry must be in the future.")
    if expires_at > timezone.now() + timedelta(days=90):
        errors["expires_at"] = _("A link may last at most 90 days.")
    if not 1 <= max_downloads <= 100:
        errors["max_downloads"] = _("Allow between 1 and 100 downloads.")
    if use_redacted:
        items = (
            [target]
            if isinstance(target, EvidenceItem)
            else list(target.items.exclude(status=ItemStatus.DESTROYED))
        )
        try:
            files_for(items, redacted=True)
        except NotRedactedError as exc:
            errors["use_redacted"] = str(exc)
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(32)
    link = ExternalLink.objects.create(
        organization_id=target.organization_id,
        item=target if isinstance(target, EvidenceItem) else None,
        case=target if isinstance(target, Case) else None,
        token_hash=_token_hash(token),
        recipient=recipient.strip(),
        purpose=purpose.strip(),
        expires_at=expires_at,
        max_downloads=max_downloads,
        use_redacted=use_redacted,
        created_by=actor,
    )
    audit.record(
        "vault.link_created",
        obj=target,
        actor=actor,
        reason=link.purpose,
        recipient=link.recipient,
        details={"link": link.pk, "expires_at": expires_at.isoformat(), "max": max_downloads},
    )
    return link, token


def find_link(token: str) -> ExternalLink | None:
    """Return the link for a token, whatever its state (None if unknown)."""
    return (
        ExternalLink.objects.select_related("item", "case", "organization")
        .filter(token_hash=_token_hash(token))
        .first()
    )


@transaction.atomic
def do_revoke_link(link: ExternalLink, *, actor: Any) -> None:
    """Revoke an external link at once."""
    target = link.item or link.case
    assert target is not None
    access_object(type(target), actor, target.pk, Action.SHARE)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit.record("vault.link_revoked", obj=target, actor=actor, recipient=link.recipient)


@transaction.atomic
def do_count_link_download(link: ExternalLink, item: EvidenceItem, *, ip: str | None) -> bool:
    """Count one download through the link; False when it is no longer usable."""
    locked = ExternalLink.objects.select_for_update().get(pk=link.pk)
    if not locked.usable:
        return False
    locked.downloads += 1
    locked.save(update_fields=["downloads"])
    audit.record(
        "vault.link_downloaded",
        obj=item,
        reason=locked.purpose,
        recipient=locked.recipient,
        ip=ip,
        details={"link": locked.pk, "download": locked.downloads},
    )
    return True
