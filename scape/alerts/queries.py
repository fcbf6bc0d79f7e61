"""Reads of public notices and the access helpers."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from scape.alerts.choices import MsgType, Scope, State, Status
from scape.alerts.models import Notice, SavedArea
from scape.core.access import access_object, actor_of
from scape.core.choices import Action

# What the public sees: real notices and exercises, not tests or system messages.
PUBLIC_STATUSES = (Status.ACTUAL, Status.EXERCISE)
# Messages that tell the public something (acknowledgements and errors are for systems).
PUBLIC_TYPES = (MsgType.ALERT, MsgType.UPDATE, MsgType.CANCEL)
# States a notice can be read in once it was published.
SENT_STATES = (State.PUBLISHED, State.SUPERSEDED, State.CANCELLED)


def _with_parts(notices: QuerySet[Notice]) -> QuerySet[Notice]:
    return notices.select_related("organization").prefetch_related("infos", "areas")


def get_notices(user: Any) -> QuerySet[Notice]:
    """Return the notices of the user's organization (every state), newest first."""
    return _with_parts(Notice.objects.restrict(user, Action.VIEW)).order_by("-created_at")


def access_notice(user: Any, pk: Any, action: str = Action.VIEW) -> Notice:
    """Return one notice for `action` by the staff pages (404 / 403 as the door decides)."""
    return access_object(Notice, user, pk, action)


def current_notices(user: Any = None) -> QuerySet[Notice]:
    """Return the published notices in force now: public ones, and partner-only ones for
    members of a partner organization."""
    now = timezone.now()
    notices = Notice.objects.filter(
        state=State.PUBLISHED, status__in=PUBLIC_STATUSES, msg_type__in=PUBLIC_TYPES
    ).filter(Q(expires__isnull=True) | Q(expires__gt=now))
    if not actor_of(user).roles:
        notices = notices.filter(scope=Scope.PUBLIC)
    return _with_parts(notices).order_by("-sent")


def sent_notice(user: Any, identifier: str) -> Notice:
    """Return a notice that was published, as the public may read it, or raise Http404.

    Partner-only notices are read by members of partner organizations only.
    """
    notices = Notice.objects.filter(identifier=identifier, state__in=SENT_STATES)
    if not actor_of(user).roles:
        notices = notices.filter(scope=Scope.PUBLIC)
    notice = _with_parts(notices).first()
    if notice is None:
        raise Http404
    return notice


def readable_notices(user: Any = None) -> QuerySet[Notice]:
    """Return the notices the user may read through the API, newest sent first.

    Anyone reads the sent public ones; a member of a partner organization also
    reads every sent one and the unpublished ones the policy lets them read
    (their organization's, not for volunteers).
    """
    visible = Q(state__in=SENT_STATES, scope=Scope.PUBLIC)
    if actor_of(user).roles:
        visible |= Q(state__in=SENT_STATES)
        visible |= Q(pk__in=Notice.objects.restrict(user, Action.VIEW).values("pk"))
    return _with_parts(Notice.objects.filter(visible)).order_by("-sent", "-created_at")


def saved_areas(organization_id: int | None) -> QuerySet[SavedArea]:
    """Return the areas shared by all and those of the organization."""
    return SavedArea.objects.filter(
        Q(organization__isnull=True) | Q(organization_id=organization_id)
    ).order_by("name")


# What the reports count (scape.reports.indicators reads alerts only here).


def notices_sent_between(start: Any, end: Any) -> QuerySet[Notice]:
    """Return the actual public notices (not exercises or tests) sent in [start, end)."""
    return (
        Notice.objects.filter(
            sent__gte=start,
            sent__lt=end,
            status=Status.ACTUAL,
            state__in=[State.PUBLISHED, State.SUPERSEDED, State.CANCELLED],
        )
        .select_related("organization")
        .prefetch_related("infos")
    )
