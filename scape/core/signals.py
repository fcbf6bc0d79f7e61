"""Audit receivers for events that happen outside project actions.

Logins, failed logins, lockouts, logouts, password changes, 2FA devices and
Django permission changes are recorded here, whichever code path causes them
(login form, admin, shell).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from scape.core import audit
from scape.core.choices import Outcome

User = get_user_model()


@receiver(user_logged_in)
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record("auth.login", obj=user, actor=user)


@receiver(user_logged_out)
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record("auth.logout", obj=user, actor=user)


@receiver(user_login_failed)
def _on_login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        "auth.login_failed",
        object_type="auth.user",
        object_repr=username,
        outcome=Outcome.FAILURE,
        details={"username": username},
    )


try:
    from axes.signals import user_locked_out
except ImportError:  # pragma: no cover - axes is a hard dependency
    user_locked_out = None

if user_locked_out is not None:

    @receiver(user_locked_out)
    def _on_locked_out(sender: Any, request: Any, username: Any, **kwargs: Any) -> None:
        audit.record(
            "auth.locked_out",
            object_type="auth.user",
            object_repr=str(username or "")[:150],
            outcome=Outcome.DENIED,
        )


_WATCHED = ("password", "is_superuser", "is_staff", "is_active")


@receiver(pre_save, sender=User)
def _remember_user_state(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.pk is None:
        instance._scape_before = None
        return
    instance._scape_before = sender.objects.filter(pk=instance.pk).values(*_WATCHED).first()


@receiver(post_save, sender=User)
def _on_user_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        audit.record(
            "auth.user_created",
            obj=instance,
            details={"is_superuser": instance.is_superuser, "is_staff": instance.is_staff},
        )
        return
    before = getattr(instance, "_scape_before", None) or {}
    password_changed = before.get("password") not in (None, instance.password)
    if password_changed:
        audit.record("auth.password_changed", obj=instance)
    if password_changed or (before.get("is_active") and not instance.is_active):
        # Whoever knew the old password may have made a token with it.
        from rest_framework.authtoken.models import Token

        if Token.objects.filter(user=instance).delete()[0]:
            audit.record("auth.api_token_revoked", obj=instance, details={"why": "password"})
    changed = {
        f: getattr(instance, f)
        for f in ("is_superuser", "is_staff", "is_active")
        if f in before and before[f] != getattr(instance, f)
    }
    if changed:
        audit.record("auth.permissions_changed", obj=instance, details=changed)


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def _on_user_permissions(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, User):
        audit.record(
            "auth.permissions_changed",
            obj=instance,
            details={"change": action, "ids": sorted(kwargs.get("pk_set") or [])},
        )


@receiver(pre_save, sender=TOTPDevice)
def _remember_totp_state(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
    # A device is saved on every token check (throttling, drift); only the
    # moment it becomes confirmed is worth an event.
    was = sender.objects.filter(pk=instance.pk).values_list("confirmed", flat=True).first()
    instance._scape_was_confirmed = bool(was)


@receiver(post_save, sender=TOTPDevice)
def _on_totp_saved(sender: Any, instance: TOTPDevice, created: bool, **kwargs: Any) -> None:
    if instance.confirmed and not getattr(instance, "_scape_was_confirmed", False):
        audit.record("auth.2fa_enabled", obj=instance.user, details={"device": instance.name})


@receiver(post_delete, sender=TOTPDevice)
def _on_totp_deleted(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
    audit.record("auth.2fa_removed", obj=instance.user, details={"device": instance.name})
