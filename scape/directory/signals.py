"""Role changes are permission changes: audit them whichever path makes them."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from scape.core import audit
from scape.core.access import forget_actor
from scape.directory.models import RoleAssignment


@receiver(post_save, sender=RoleAssignment)
def _on_role_granted(sender: Any, instance: RoleAssignment, created: bool, **kwargs: Any) -> None:
    if created:
        forget_actor(instance.person.user)
        audit.record(
            "directory.role_granted",
            obj=instance.person,
            details={"role": instance.role},
        )


@receiver(post_delete, sender=RoleAssignment)
def _on_role_revoked(sender: Any, instance: RoleAssignment, **kwargs: Any) -> None:
    forget_actor(instance.person.user)
    audit.record("directory.role_revoked", obj=instance.person, details={"role": instance.role})
