"""The person's notifications: a live badge in the top bar and a list page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from scape.core.generic import paginate
from scape.directory.actions import do_dismiss_notification, do_mark_notifications_read
from scape.directory.models import Person
from scape.directory.queries import (
    access_notification,
    get_notifications,
    toast_notifications,
    unread_notifications,
)

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


def _live(request: HttpRequest) -> HttpResponse:
    unread = unread_notifications(request.user)
    latest = list(toast_notifications(request.user)[:_TOAST_LIMIT])
    response = render(
        request, "directory/notifications_live.html", {"count": unread.count(), "latest": latest}
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def notifications_live(request: HttpRequest) -> HttpResponse:
    """Return the badge and the newest unread pop-ups not closed; the top bar polls this."""
    return _live(request)


@require_POST
@login_required
def notification_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """Close one notification's pop-up (it stays unread); answer the top bar without it."""
    person = _person(request)
    notification = access_notification(request.user, pk)
    do_dismiss_notification(person, notification.pk)
    if request.headers.get("HX-Request"):
        return _live(request)
    return redirect("directory:notifications")


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
