"""Writes of core records: share grants, user preferences, API tokens and second factors."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from scape.core import audit
from scape.core.access import access_object, actor_of
from scape.core.choices import Action, Outcome, TokenScope
from scape.core.models import ApiTokenScope, Grant, SecondFactorPermit


@transaction.atomic
def do_share_record(
    obj: models.Model,
    *,
    grantee: Any,
    purpose: str,
    expires_at: datetime,
    allow_download: bool = False,
    redacted_only: bool = False,
    actor: Any,
) -> Grant:
    """Share `obj` with the grantee organization until `expires_at`, for a purpose."""
    access_object(type(obj), actor, obj.pk, Action.SHARE)
    owner_id = obj.organization_id  # type: ignore[attr-defined]
    purpose = (purpose or "").strip()
    errors: dict[str, str] = {}
    if grantee is None or grantee.pk == owner_id:
        errors["grantee"] = _("Choose a partner organization other than the owner.")
    if not purpose:
        errors["purpose"] = _("Say why the record is shared.")
    if expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry must be in the future.")
    if errors:
        raise ValidationError(errors)
    grant = Grant.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        owner_id=owner_id,
        grantee=grantee,
        purpose=purpose,
        allow_download=allow_download,
        redacted_only=redacted_only,
        expires_at=expires_at,
        granted_by=actor,
    )
    audit.record(
        "core.shared",
        obj=obj,
        actor=actor,
        reason=purpose,
        recipient=grantee.code,
        details={
            "grant": grant.pk,
            "expires_at": expires_at.isoformat(),
            "allow_download": allow_download,
            "redacted_only": redacted_only,
        },
    )
    return grant


@transaction.atomic
def do_revoke_grant(grant: Grant, *, actor: Any) -> Grant:
    """Revoke a share grant at once."""
    obj = grant.content_type.get_object_for_this_type(pk=grant.object_id)
    access_object(type(obj), actor, obj.pk, Action.SHARE)
    if grant.revoked_at is not None:
        return grant
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor
    grant.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        "core.share_revoked",
        obj=obj,
        actor=actor,
        recipient=grant.grantee.code,
        details={"grant": grant.pk},
    )
    return grant


def do_set_language(user: Any, language: str) -> None:
    """Remember the interface language the user chose."""
    if language not in dict(settings.LANGUAGES) or not actor_of(user).roles:
        return
    person = user.person
    if person.ui_language != language:
        person.ui_language = language
        person.save(update_fields=["ui_language", "updated_at"])


def do_permit_second_factor(user: Any, *, actor: Any, days: int | None = None) -> Any:
    """Let `user` enrol a (new) authenticator for a few days; their old devices stop working."""
    days = days or int(getattr(settings, "SCAPE_ENROL_DAYS", 7))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        permit, _created = SecondFactorPermit.objects.update_or_create(
            user=user,
            defaults={
                "expires_at": timezone.now() + timedelta(days=days),
                "granted_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        audit.record("auth.2fa_setup_permitted", obj=user, actor=actor, details={"days": days})
    return permit


def do_issue_api_token(user: Any, *, scope: str, days: int) -> tuple[Any, ApiTokenScope]:
    """Replace the user's API token with a new one of this scope, valid for `days`.

    The old token stops working at once. The lifetime is 1 to
    ``SCAPE_API_TOKEN_DAYS`` days; anything else is refused.
    """
    from rest_framework.authtoken.models import Token

    if scope not in TokenScope.values or not 1 <= days <= settings.SCAPE_API_TOKEN_DAYS:
        raise ValidationError(
            _("Choose what the token may do and a lifetime of 1 to %(days)s days.")
            % {"days": settings.SCAPE_API_TOKEN_DAYS}
        )
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        policy = ApiTokenScope.objects.create(
            token=token, scope=scope, expires_at=timezone.now() + timedelta(days=days)
        )
        audit.record(
            "auth.api_token_created", obj=user, actor=user, details={"scope": scope, "days": days}
        )
    return token, policy


def enrolment_permit(user: Any) -> SecondFactorPermit | None:
    """Return the user's unexpired leave to enrol an authenticator, recording a refusal."""
    permit = SecondFactorPermit.objects.filter(user=user, expires_at__gt=timezone.now()).first()
    if permit is None:
        # A password alone must not be enough to register an authenticator.
        audit.record("auth.2fa_setup_refused", obj=user, actor=user, outcome=Outcome.DENIED)
    return permit


def do_prepare_enrolment(user: Any) -> TOTPDevice:
    """Return the authenticator being enrolled (unconfirmed), making it on the first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def do_confirm_enrolment(user: Any, device: TOTPDevice, permit: SecondFactorPermit) -> None:
    """Confirm the enrolled authenticator and use up the leave that allowed it."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    permit.delete()  # used up: a second enrolment needs a new leave
    # Recorded as auth.2fa_enabled by the device's signal (scape/core/signals.py).
