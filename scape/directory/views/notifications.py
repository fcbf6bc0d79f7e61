"""The person's notifications: a live badge in the top bar and a list page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from scape.core.generic import paginate
from scape.directory.actions import do_mark_notifications_read
from scape.directory.models import Person
from scape.directory.queries import access_notification, get_notifications, unread_notifications

_TOAST_LIMIT = 3


def _person(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404
    return person


@require_GET
@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """List the person's notifications, newest first."""
    _person(request)  # a user with no person has no notifications page
    page = paginate(request, get_notifications(request.user), 30)
    return render(request, "directory/notifications.html", {"page": page})


@require_GET
@login_required
def notifications_live(request: HttpRequest) -> HttpResponse:
    """Return the badge and the newest unread notifications; the top bar polls this."""
    unread = unread_notifications(request.user)
    response = render(
        request,
        "directory/notifications_live.html",
        {"count": unread.count(), "latest": list(unread[:_TOAST_LIMIT])},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to what it is about."""
    person = _person(request)
    notification = access_notification(request.user, pk)
    do_mark_notifications_read(person, [notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("directory:notifications")


@require_POST
@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark all of the person's notifications read."""
    do_mark_notifications_read(_person(request))
    return redirect("directory:notifications")
