"""The one door to organization-owned data.

Every queryset of organization-owned records goes through
``Model.objects.restrict(user, action)`` and every single record through an
``access_<noun>(user, pk)`` helper built on ``access_object``. A record is visible
to its owning organization (by role), to organizations it was shared with through
an active Grant, and to nobody else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from scape.core.choices import Action, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    UserLike = AbstractBaseUser | AnonymousUser

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Actor:
    """What access decisions need to know about a user."""

    user_id: int | None
    organization_id: int | None
    organization_code: str
    roles: frozenset[str]

    def has_any(self, roles: Iterable[str]) -> bool:
        return not self.roles.isdisjoint(roles)

    def holds(self, roles: Iterable[str]) -> bool:
        """Return whether the user belongs to an organization and holds one of ``roles``.

        The gate of a button or form that makes a record of the user's own
        organization (add a camera, upload, publish a notice).
        """
        return self.organization_id is not None and self.has_any(roles)

    def require(self, roles: Iterable[str] | None = None, message: Any = None) -> Actor:
        """Return self if the user holds a role (one of ``roles``, when given); else 403.

        The one role gate of the pages: a user with no role in a partner
        organization (or none of ``roles``) gets PermissionDenied with ``message``.
        """
        if not self.roles or (roles is not None and not self.has_any(roles)):
            raise PermissionDenied(message or "")
        return self


NOBODY = Actor(user_id=None, organization_id=None, organization_code="", roles=frozenset())


def actor_of(user: Any) -> Actor:
    """Return the Actor for a user, cached on the user object for this request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    cached = getattr(user, "_scape_actor", None)
    if cached is not None:
        return cached
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    roles: set[str] = set()
    org_id = None
    org_code = ""
    if person is not None and person.is_active:
        org_id = person.organization_id
        org_code = person.organization.code
        roles = set(person.role_codes())
    if user.is_superuser:
        roles.add(Role.SYS_ADMIN)
    actor = Actor(
        user_id=user.pk, organization_id=org_id, organization_code=org_code, roles=frozenset(roles)
    )
    user._scape_actor = actor
    return actor


def forget_actor(user: Any) -> None:
    """Drop the cached Actor (after roles or organization changed)."""
    if hasattr(user, "_scape_actor"):
        del user._scape_actor


@dataclass(frozen=True)
class Policy:
    """Who may do what to one kind of organization-owned record.

    own: action -> roles that may do it to their own organization's records.
    everywhere: action -> roles that may do it to every organization's records.
    granted: actions an active share grant can confer (to users whose role may
      view such records in their own organization).
    assigned: for volunteers, a function user -> Q of the records assigned to them.
    """

    own: dict[str, frozenset[str]]
    everywhere: dict[str, frozenset[str]] = field(default_factory=dict)
    granted: frozenset[str] = frozenset({Action.VIEW})
    assigned: Callable[[Any], Q] | None = None
    assigned_actions: frozenset[str] = frozenset({Action.VIEW})
    org_field: str = "organization"
    # (lookup, model label): records also reachable through a shared parent,
    # e.g. ("cases", "vault.Case") for the items of a shared case.
    shared_through: tuple[tuple[str, str], ...] = ()

    def may_in_own(self, user: Any, action: str) -> bool:
        """Return whether `user` may do `action` to records of their own organization."""
        return actor_of(user).holds(self.own.get(action, ()))

    def q_for(self, model: type[models.Model], user: Any, action: str) -> Q | None:
        """Return the filter for what `user` may do `action` to; None means everything."""
        actor = actor_of(user)
        if not actor.roles:
            return Q(pk__in=[])
        if actor.has_any(self.everywhere.get(action, ())):
            return None
        q = Q(pk__in=[])
        if actor.has_any(self.own.get(action, ())):
            key = "pk" if self.org_field == "pk" else f"{self.org_field}_id"
            q |= Q(**{key: actor.organization_id})
        elif (
            self.assigned is not None
            and Role.VOLUNTEER in actor.roles
            and action in self.assigned_actions
        ):
            q |= _ids_where(model, self.assigned(user))
        if action in self.granted and actor.has_any(self.own.get(Action.VIEW, ())):
            q |= Q(pk__in=granted_ids(model, actor.organization_id, action))
            for lookup, label in self.shared_through:
                parent = apps.get_model(label)
                shared = Q(**{f"{lookup}__in": granted_ids(parent, actor.organization_id, action)})
                q |= _ids_where(model, shared)
        return q


def _ids_where(model: type[models.Model], q: Q) -> Q:
    """Return `q` as "pk in (a subquery)", so the outer query never joins.

    A condition across a many-to-many relation (an item in a shared case, a
    patrol a volunteer is on) joins one row per related record: an item in two
    cases came back twice, and every .get() of it failed with
    MultipleObjectsReturned (an HTTP 500). Inside a subquery the join cannot
    multiply the outer rows, and no DISTINCT is needed to undo it.
    """
    return Q(pk__in=model._default_manager.filter(q).values("pk"))


def granted_ids(model: type[models.Model], organization_id: int | None, action: str) -> Any:
    """Return a subquery of the ids of `model` records shared with the organization."""
    from scape.core.models import Grant

    grants = Grant.objects.active(timezone.now()).for_model(model).filter(grantee=organization_id)
    if action == Action.DOWNLOAD:
        grants = grants.filter(allow_download=True)
    return grants.values("object_id")


class RestrictedQuerySet(models.QuerySet[M]):
    """A queryset that knows how to restrict itself to what a user may see."""

    def restrict(self, user: Any, action: str = Action.VIEW) -> RestrictedQuerySet[M]:
        policy: Policy = self.model.access_policy  # type: ignore[attr-defined]
        q = policy.q_for(self.model, user, action)
        return self if q is None else self.filter(q)


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)


def can(user: Any, action: str, obj: models.Model) -> bool:
    """Return whether `user` may do `action` to `obj`."""
    model = type(obj)
    return model._default_manager.restrict(user, action).filter(pk=obj.pk).exists()  # type: ignore[attr-defined]


def access_object(model: type[M], user: Any, pk: Any, action: str = Action.VIEW) -> M:
    """Fetch one record for `action`, or raise.

    Raise Http404 when the user may not even see it (no existence leak) and
    PermissionDenied (403) when they may see it but not do `action` to it.
    """
    manager = model._default_manager
    try:
        obj = manager.restrict(user, Action.VIEW).get(pk=pk)  # type: ignore[attr-defined]
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if action != Action.VIEW and not can(user, action, obj):
        raise PermissionDenied(action)
    return obj
