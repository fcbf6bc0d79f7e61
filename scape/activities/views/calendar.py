"""The activities calendar and its iCalendar feeds (a person's and an organization's)."""

from __future__ import annotations

import calendar as calendar_module
import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scape.activities import feeds
from scape.activities.actions import do_get_calendar_feed
from scape.activities.models import Activity
from scape.activities.queries import (
    calendar_feed_of,
    feed_owner,
    get_activities,
    organization_calendar,
    person_calendar,
)
from scape.activities.views import me as _me
from scape.core.access import actor_of

# --- calendar -----------------------------------------------------------------


def _month(value: str | None) -> datetime.date:
    today = timezone.localdate()
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        # The page links the months either side: year 1 and 9999 have none.
        if not 1900 <= year <= 2999:
            raise ValueError(year)
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


@require_GET
@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    """Show a month of the programme, day by day, and the links to subscribe."""
    actor_of(request.user).require()
    first = _month(request.GET.get("month"))
    last_day = calendar_module.monthrange(first.year, first.month)[1]
    last = first.replace(day=last_day)
    activities = (
        get_activities(request.user)
        .filter(starts_at__date__lte=last, ends_at__date__gte=first)
        .order_by("starts_at")
    )
    days: dict[datetime.date, list[Activity]] = {}
    for activity in activities:
        days.setdefault(timezone.localdate(activity.starts_at), []).append(activity)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    context: dict[str, Any] = {
        "month": first,
        "days": sorted(days.items()),
        "previous": previous.strftime("%Y-%m"),
        "next": following.strftime("%Y-%m"),
    }
    me = _me(request)
    if me is not None:
        feed = calendar_feed_of(me)
        if feed is not None:
            context["my_feed"] = request.build_absolute_uri(
                reverse("activities:feed_person", args=[feed.token])
            )
            context["org_feed"] = request.build_absolute_uri(
                reverse("activities:feed_organization", args=[feed.token])
            )
    return render(request, "activities/calendar.html", context)


@require_POST
@login_required
def calendar_subscribe(request: HttpRequest) -> HttpResponse:
    """Create (or renew) the user's secret calendar feed links."""
    me = _me(request)
    if me is None:
        raise PermissionDenied
    do_get_calendar_feed(me, actor=request.user, renew=request.POST.get("renew") == "1")
    messages.success(request, _("Your calendar links are ready. Keep them to yourself."))
    return redirect("activities:calendar")


def _ics(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def feed_person(request: HttpRequest, token: str) -> HttpResponse:
    """iCalendar of the activities the token's person is registered for or trains (no login)."""
    person = feed_owner(token)
    activities = person_calendar(person)
    with translation.override(person.ui_language or settings.LANGUAGE_CODE):
        return _ics(feeds.calendar(activities, name=person.full_name))


@require_GET
def feed_organization(request: HttpRequest, token: str) -> HttpResponse:
    """iCalendar of the activities the token person's organization organizes (no login)."""
    person = feed_owner(token)
    org = person.organization
    activities = organization_calendar(org)
    with translation.override(person.ui_language or settings.LANGUAGE_CODE):
        return _ics(feeds.calendar(activities, name=org.name))
