"""Reads of the directory through the access door."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from scape.core.access import access_object, actor_of
from scape.core.choices import Action
from scape.core.models import Grant
from scape.directory.models import Notification, Organization, Person


def access_person(user: Any, pk: Any, action: str = Action.VIEW) -> Person:
    """Return the person for `action`, or raise Http404/PermissionDenied."""
    return access_object(Person, user, pk, action)


def access_organization(user: Any, pk: Any, action: str = Action.VIEW) -> Organization:
    """Return the organization for `action`, or raise Http404/PermissionDenied."""
    return access_object(Organization, user, pk, action)


def get_people(user: Any) -> QuerySet[Person]:
    """Return the people `user` may see, ready for a list page."""
    return (
        Person.objects.restrict(user, Action.VIEW)
        .select_related("user", "organization", "unit")
        .prefetch_related("role_assignments")
    )


def person_grants(person: Person) -> QuerySet[Grant]:
    """Return every share grant of a person's record, active or not, with who granted it.

    For those who may share the record (the view checks `Action.SHARE`).
    """
    return Grant.objects.for_record(person).select_related("granted_by")


def get_organizations(user: Any) -> QuerySet[Organization]:
    """Return the organizations `user` may see, active or not."""
    return Organization.objects.restrict(user, Action.VIEW)


def get_partner_organizations(user: Any) -> QuerySet[Organization]:
    """Return the active organizations `user` may see."""
    return get_organizations(user).filter(is_active=True)


def partners_of(organization: Organization | int | None) -> QuerySet[Organization]:
    """Return the organizations a record of ``organization`` may be shared with.

    Every other active organization of the programme: sharing is how a
    partner who cannot see a record comes to see it, so this is not narrowed
    by who may see whom.
    """
    pk = organization.pk if isinstance(organization, Organization) else organization
    return Organization.objects.filter(is_active=True).exclude(pk=pk or 0)


def own_organization(user: Any, roles: Any = None, message: Any = None) -> Organization:
    """Return the user's organization if they may act for it (with one of ``roles``); else 403."""
    actor = actor_of(user).require(roles, message)
    if actor.organization_id is None:
        raise PermissionDenied(message or "")
    return Organization.objects.get(pk=actor.organization_id)


def active_organizations() -> QuerySet[Organization]:
    """Return the organizations taking part, by country and code."""
    return Organization.objects.filter(is_active=True).order_by("country", "code")


def organizations_with(pks: Any) -> QuerySet[Organization]:
    """Return the organizations with these ids."""
    return Organization.objects.filter(pk__in=pks)


def organization_codes() -> dict[int, str]:
    """Return {organization id: code} for every organization."""
    return dict(Organization.objects.values_list("pk", "code"))


def organization_labels() -> dict[str, str]:
    """Return {code: short name, else name in the active language} for every organization."""
    return {org.code: org.short_name or org.name for org in Organization.objects.all()}


def organization_by_code(code: str) -> Organization | None:
    """Return the organization with this code, or None."""
    return Organization.objects.filter(code=code).first()


def get_notifications(user: Any) -> QuerySet[Notification]:
    """Return the user's own notifications, newest first (none without a person)."""
    person = getattr(user, "person", None)
    if person is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=person)


def unread_notifications(user: Any) -> QuerySet[Notification]:
    """Return the user's unread notifications, newest first (none without a person)."""
    return get_notifications(user).filter(read_at__isnull=True)


def toast_notifications(user: Any) -> QuerySet[Notification]:
    """Return the user's unread notifications still shown as pop-ups (not closed), newest first."""
    return unread_notifications(user).filter(dismissed_at__isnull=True)


def access_notification(user: Any, pk: Any) -> Notification:
    """Return one of the user's own notifications, or raise Http404 (anyone else's too)."""
    notification = get_notifications(user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification
