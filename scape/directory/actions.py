"""Every write to the directory: people, roles, organizations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scape.core import audit
from scape.core.access import access_object, actor_of, forget_actor
from scape.core.actions import do_permit_second_factor
from scape.core.choices import Action, Role
from scape.directory.models import Organization, Person, RoleAssignment

User = get_user_model()

PERSON_FIELDS = (
    "unit",
    "position",
    "badge_number",
    "languages",
    "phone",
    "radio_call_sign",
    "gender",
)
USER_FIELDS = ("first_name", "last_name", "email")
MIN_WEBHOOK_SECRET = 16


@transaction.atomic
def do_create_person(
    *,
    organization: Organization,
    username: str,
    first_name: str,
    last_name: str,
    roles: Iterable[str],
    password: str | None = None,
    email: str = "",
    actor: Any = None,
    **profile: Any,
) -> Person:
    """Create a user account with its person profile and roles."""
    if actor is not None and rank(roles) > _rank_of_user(actor):
        raise ValidationError({"roles": _("You cannot give a role above your own.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    person = Person.objects.create(user=user, organization=organization, **profile)
    for role in set(roles):
        RoleAssignment.objects.create(person=person, role=Role(role), granted_by=actor)
    # The administrator who makes the account lets its owner enrol a second factor.
    do_permit_second_factor(user, actor=actor)
    audit.record(
        "directory.person_created", obj=person, actor=actor, details={"roles": sorted(roles)}
    )
    return person


# Who outranks whom: nobody changes, demotes or deactivates a person of a higher
# rank, nor gives a role above their own, so an organization administrator
# cannot disarm or re-address the system administrator who oversees them.
_RANK = {Role.SYS_ADMIN: 3, Role.ORG_ADMIN: 2}


def rank(roles: Iterable[str], *, superuser: bool = False) -> int:
    """Return the rank of a set of roles: 3 system admin, 2 organization admin, else 1."""
    return max([3 if superuser else 0, 1, *(_RANK.get(Role(r), 1) for r in roles)])


def _rank_of_user(user: Any) -> int:
    return rank(_roles_of(user), superuser=bool(getattr(user, "is_superuser", False)))


def check_may_manage(person: Person, actor: Any) -> None:
    """Raise PermissionDenied when ``actor`` is outranked by ``person``."""
    if _rank_of_user(actor) < rank(person.role_codes(), superuser=person.user.is_superuser):
        raise PermissionDenied(_("You cannot change a person whose role is above yours."))


def _other_system_admins(person: Person) -> bool:
    admins = Person.objects.filter(
        is_active=True, user__is_active=True, role_assignments__role=Role.SYS_ADMIN
    ).exclude(pk=person.pk)
    superusers = User.objects.filter(is_active=True, is_superuser=True).exclude(pk=person.user_id)
    return admins.exists() or superusers.exists()


def _check_not_last_system_admin(person: Person) -> None:
    if Role.SYS_ADMIN in person.role_codes() and not _other_system_admins(person):
        raise ValidationError(_("This is the last system administrator: make another one first."))


@transaction.atomic
def do_update_person(person: Person, *, actor: Any, **changes: Any) -> Person:
    """Change a person's profile and account details; record what changed."""
    access_object(Person, actor, person.pk, Action.CHANGE)
    check_may_manage(person, actor)
    changed: dict[str, Any] = {}
    for field in PERSON_FIELDS:
        if field in changes and getattr(person, field) != changes[field]:
            setattr(person, field, changes[field])
            changed[field] = str(changes[field])
    user_changed = []
    for field in USER_FIELDS:
        if field in changes and getattr(person.user, field) != changes[field]:
            setattr(person.user, field, changes[field])
            user_changed.append(field)
            changed[field] = str(changes[field])
    if not changed:
        return person
    person.save()
    if user_changed:
        person.user.save(update_fields=user_changed)
    audit.record("directory.person_changed", obj=person, actor=actor, details=changed)
    return person


@transaction.atomic
def do_set_roles(person: Person, roles: Iterable[str], *, actor: Any) -> None:
    """Give the person exactly these roles (each change is audited by a receiver)."""
    access_object(Person, actor, person.pk, Action.CHANGE)
    check_may_manage(person, actor)
    wanted = {Role(r) for r in roles}
    promotes = Role.SYS_ADMIN in wanted and Role.SYS_ADMIN not in person.role_codes()
    if promotes and _rank_of_user(actor) < 3:
        raise ValidationError(
            {"roles": _("Only a system administrator can make a system administrator.")}
        )
    if rank(wanted) > _rank_of_user(actor):
        raise ValidationError({"roles": _("You cannot give a role above your own.")})
    if Role.SYS_ADMIN not in wanted:
        _check_not_last_system_admin(person)
    current = {ra.role: ra for ra in person.role_assignments.all()}
    for role, assignment in current.items():
        if role not in wanted:
            assignment.delete()
    for role in wanted - set(current):
        RoleAssignment.objects.create(person=person, role=role, granted_by=actor)
    forget_actor(person.user)


def _roles_of(user: Any) -> list[str]:
    person = getattr(user, "person", None)
    return person.role_codes() if person else []


@transaction.atomic
def do_reset_second_factor(person: Person, *, actor: Any) -> None:
    """Remove the person's authenticator (a lost phone) and let them enrol a new one."""
    access_object(Person, actor, person.pk, Action.CHANGE)
    check_may_manage(person, actor)
    do_permit_second_factor(person.user, actor=actor)


@transaction.atomic
def do_deactivate_person(person: Person, *, actor: Any) -> Person:
    """Deactivate a person: they can no longer log in; their records stay."""
    access_object(Person, actor, person.pk, Action.DELETE)
    if person.user_id == getattr(actor, "pk", None):
        raise ValidationError(_("You cannot deactivate your own account."))
    check_may_manage(person, actor)
    _check_not_last_system_admin(person)
    person.is_active = False
    person.save(update_fields=["is_active", "updated_at"])
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])
    audit.record("directory.person_deactivated", obj=person, actor=actor)
    return person


@transaction.atomic
def do_create_organization(*, actor: Any, **fields: Any) -> Organization:
    """Add a partner organization; only a system administrator may."""
    if not actor_of(actor).has_any([Role.SYS_ADMIN]):
        raise PermissionDenied(_("Only a system administrator adds organizations."))
    org = Organization(**fields)
    check_webhook_secret(org)
    org.full_clean()
    org.save()
    audit.record(
        "directory.organization_created",
        obj=org,
        actor=actor,
        details={k: "(set)" if k == "webhook_secret" else str(v) for k, v in fields.items()},
    )
    return org


def check_webhook_secret(org: Organization) -> None:
    if org.webhook_url and len(org.webhook_secret or "") < MIN_WEBHOOK_SECRET:
        raise ValidationError(
            {
                "webhook_secret": _(
                    "A webhook needs a secret of at least %(count)s characters, so that "
                    "the receiver can tell SCAPE's messages from forged ones."
                )
                % {"count": MIN_WEBHOOK_SECRET}
            }
        )


@transaction.atomic
def do_update_organization(org: Organization, *, actor: Any, **changes: Any) -> Organization:
    """Change an organization's contact details and settings."""
    access_object(Organization, actor, org.pk, Action.CHANGE)
    changed = {}
    for field, value in changes.items():
        if getattr(org, field) != value:
            setattr(org, field, value)
            # The audit log says that the secret changed, never what it is.
            changed[field] = "(changed)" if field == "webhook_secret" else str(value)
    check_webhook_secret(org)
    if changed:
        org.save()
        audit.record("directory.organization_changed", obj=org, actor=actor, details=changed)
    return org


def do_dismiss_notification(person: Person, pk: int) -> int:
    """Close one of the person's notification pop-ups (it stays unread in the list)."""
    from scape.directory.models import Notification

    return Notification.objects.filter(recipient=person, pk=pk, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now()
    )


def do_mark_notifications_read(person: Person, ids: list[int] | None = None) -> int:
    """Mark the person's notifications (all, or those with these ids) as read."""
    from scape.directory.models import Notification

    unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
