"""The programme: activities, registrations, sessions, attendance, certificates, feedback."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scape.activities.actions import (
    do_add_session,
    do_approve_registration,
    do_cancel_registration,
    do_create_activity,
    do_give_feedback,
    do_issue_certificates,
    do_mark_attendance,
    do_register,
    do_reject_registration,
    do_revoke_certificate,
    do_update_activity,
    fits_audience,
)
from scape.activities.choices import ACTIVE_REGISTRATION, ActivityStatus, RegistrationStatus
from scape.activities.filtersets import ActivityFilter
from scape.activities.forms import (
    ActivityForm,
    FeedbackForm,
    NominateForm,
    RejectForm,
    RevokeForm,
    SessionForm,
    StatusForm,
)
from scape.activities.models import Activity
from scape.activities.pdfs import certificate_pdf, sign_in_sheet
from scape.activities.queries import (
    ORGANIZER_ROLES,
    access_activity,
    access_certificate,
    access_registration,
    access_session,
    approved_registrations,
    attended_hours,
    certificate_of,
    completes,
    feedback_summary,
    gave_feedback,
    get_activities,
    get_registrations,
    hours_by_person,
    is_organizer,
    may_mark_attendance,
    planned_hours,
    present_at,
    registration_of,
)
from scape.activities.views import me as _me
from scape.core import audit
from scape.core.access import actor_of
from scape.core.choices import Action, Role
from scape.core.forms import add_validation_errors
from scape.core.generic import filtered, reported


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """List the joint programme: upcoming activities first, filtered by kind."""
    actor_of(request.user).require()
    filterset, activities = filtered(request, get_activities(request.user), ActivityFilter)
    actor = actor_of(request.user)
    return render(
        request,
        "activities/index.html",
        {
            "activities": activities[:200],
            "form": filterset.form,
            "can_create": actor.has_any(ORGANIZER_ROLES) or Role.SYS_ADMIN in actor.roles,
            "map_layers": _map_layers(reverse("activities:geojson")),
        },
    )


@require_GET
@login_required
def activities_geojson(request: HttpRequest) -> HttpResponse:
    """GeoJSON of the activities with a map position: upcoming ones, or one with ?activity=."""
    actor_of(request.user).require()
    activities = get_activities(request.user).filter(
        latitude__isnull=False, longitude__isnull=False
    )
    if request.GET.get("activity", "").isdigit():
        activities = activities.filter(pk=int(request.GET["activity"]))
    else:
        activities = activities.filter(ends_at__gte=timezone.now())
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(a.longitude), float(a.latitude)]},  # type: ignore[arg-type]
            "properties": {
                "title": a.title,
                "subtitle": f"{timezone.localtime(a.starts_at):%Y-%m-%d %H:%M}, {a.city}",
                "url": a.get_absolute_url(),
                "radius": 150,
            },
        }
        for a in activities[:500]
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "features": features}, content_type="application/geo+json"
    )


def _map_layers(url: str) -> str:
    return json.dumps([{"name": _("Activities"), "url": url, "color": "#0b4f8a"}])


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    """Create an activity owned by the coordinator's organization."""
    actor = actor_of(request.user)
    me = _me(request)
    if me is None or not actor.has_any(ORGANIZER_ROLES):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, user=request.user)
    return _activity_form_page(
        request,
        form,
        lambda data: do_create_activity(me.organization, actor=request.user, **data),
        _("Activity created."),
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an activity (organizers): texts, dates, place, links, places, audience."""
    activity = access_activity(request.user, pk, Action.CHANGE)
    initial = {
        name: getattr(activity, name)
        for name in ActivityForm.base_fields
        if name not in ("partners", "trainers", "competencies", "equipment")
    }
    for name in ("partners", "trainers", "competencies", "equipment"):
        initial[name] = list(getattr(activity, name).all())
    form = ActivityForm(request.POST or None, user=request.user, initial=initial)
    return _activity_form_page(
        request,
        form,
        lambda data: do_update_activity(activity, actor=request.user, **data),
        _("Activity saved."),
        activity,
    )


def _activity_form_page(
    request: HttpRequest,
    form: ActivityForm,
    save: Callable[[dict[str, Any]], Activity],
    done: str,
    activity: Activity | None = None,
) -> HttpResponse:
    """Save a valid posted form with `save` and go to the activity; else show the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(saved)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


def _detail_context(request: HttpRequest, activity: Activity) -> dict[str, Any]:
    me = _me(request)
    organizer = is_organizer(request.user, activity)
    mine = registration_of(activity, me) if me else None
    context: dict[str, Any] = {
        "activity": activity,
        "organizer": organizer,
        "map_layers": _map_layers(f"{reverse('activities:geojson')}?activity={activity.pk}"),
        "sessions": list(activity.sessions.all()),
        "planned_hours": planned_hours(activity),
        "mine": mine,
        "mine_active": mine is not None and mine.status in ACTIVE_REGISTRATION,
        "can_register": activity.status == ActivityStatus.OPEN
        and me is not None
        and fits_audience(activity, me)
        and (mine is None or mine.status not in ACTIVE_REGISTRATION),
        "not_for_me": me is not None and not fits_audience(activity, me),
        "approved_count": approved_registrations(activity).count(),
    }
    if me is not None:
        context["my_certificate"] = certificate_of(activity, me)
        context["my_hours"] = attended_hours(activity, me)
        if (
            mine is not None
            and mine.status == RegistrationStatus.APPROVED
            and (activity.ends_at <= timezone.now() or activity.status == ActivityStatus.COMPLETED)
            and not gave_feedback(activity, me)
        ):
            context["feedback_form"] = FeedbackForm()
    actor = actor_of(request.user)
    if me is not None and actor.has_any(ORGANIZER_ROLES) and activity.status == ActivityStatus.OPEN:
        context["nominate_form"] = NominateForm(organization_id=me.organization_id)
    # Registrations this user may see: all when organizing, else their organization's.
    context["registrations"] = get_registrations(request.user, activity)
    if organizer:
        hours = hours_by_person(activity)
        context.update(
            {
                "session_form": SessionForm(),
                "status_form": StatusForm(initial={"status": activity.status}),
                "reject_form": RejectForm(),
                "revoke_form": RevokeForm(),
                "hours": hours,
                "certificates": activity.certificates.select_related("person__user"),
                "feedback": feedback_summary(activity),
                "completion": [
                    (
                        r.person,
                        hours.get(r.person_id, 0),
                        completes(hours.get(r.person_id, Decimal("0")), context["planned_hours"]),
                    )
                    for r in context["registrations"]
                    if r.status == RegistrationStatus.APPROVED
                ],
            }
        )
    return context


@require_GET
@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an activity: what, when, where; registration; for organizers everything else."""
    activity = access_activity(request.user, pk)
    return render(request, "activities/activity_detail.html", _detail_context(request, activity))


@require_POST
@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register the user for the activity (or the person their coordinator nominates)."""
    activity = access_activity(request.user, pk)
    me = _me(request)
    person = me
    if "person" in request.POST:
        form = NominateForm(request.POST, organization_id=me.organization_id if me else None)
        if not form.is_valid():
            messages.error(request, _("Choose a person of your organization."))
            return redirect(activity)
        person = form.cleaned_data["person"]
    if person is None:
        raise PermissionDenied
    with reported(request):
        registration = do_register(activity, person, actor=request.user)
        if registration.nominated_by_id:
            messages.success(
                request,
                _("%(person)s is nominated; the organizers will decide.") % {"person": person},
            )
        else:
            messages.success(
                request, _("You are registered; the organizers will confirm your place.")
            )
    return redirect(activity)


@require_POST
@login_required
def registration_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or turn down a registration (organizers)."""
    registration = access_registration(request.user, pk, Action.CHANGE)
    with reported(request):
        if request.POST.get("decision") == "reject":
            form = RejectForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            do_reject_registration(registration, actor=request.user, reason=reason)
            messages.success(request, _("Registration turned down."))
        else:
            registration = do_approve_registration(registration, actor=request.user)
            if registration.status == RegistrationStatus.WAITLISTED:
                messages.success(
                    request,
                    _(
                        "The activity is full: %(person)s is number %(position)s on the waiting list."
                    )
                    % {"person": registration.person, "position": registration.position},
                )
            else:
                messages.success(
                    request, _("%(person)s is approved.") % {"person": registration.person}
                )
    return redirect(registration.activity)


@require_POST
@login_required
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a registration: the person, their coordinator or the organizers."""
    registration = access_registration(request.user, pk)
    with reported(request):
        do_cancel_registration(registration, actor=request.user)
        messages.success(request, _("Registration cancelled."))
    return redirect(registration.activity)


@require_POST
@login_required
def add_session(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access_activity(request.user, pk, Action.CHANGE)
    form = SessionForm(request.POST)
    if form.is_valid():
        with reported(request):
            do_add_session(activity, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Session added."))
    else:
        messages.error(request, _("Give the session's start and end."))
    return redirect(activity)


@require_POST
@login_required
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access_activity(request.user, pk, Action.CHANGE)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect(activity)
    with reported(request):
        do_update_activity(activity, actor=request.user, status=form.cleaned_data["status"])
        messages.success(request, _("Status changed."))
    return redirect(activity)


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick who is present at a session, on a phone; approved participants only."""
    session = access_session(request.user, pk)
    activity = session.activity
    if not may_mark_attendance(request.user, activity):
        raise PermissionDenied
    registrations = list(approved_registrations(activity))
    if request.method == "POST":
        present = set(request.POST.getlist("present"))
        marks = {r.person_id: str(r.person_id) in present for r in registrations}
        with reported(request):
            do_mark_attendance(session, marks, actor=request.user)
            messages.success(
                request,
                _("Attendance saved: %(count)s present.") % {"count": sum(marks.values())},
            )
            return redirect("activities:attendance", pk=session.pk)
    present_ids = present_at(session)
    return render(
        request,
        "activities/attendance.html",
        {
            "session": session,
            "activity": activity,
            "rows": [(r.person, r.person_id in present_ids) for r in registrations],
        },
    )


@require_GET
@login_required
def sign_in_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Print the session's sign-in sheet (PDF) with the approved participants."""
    session = access_session(request.user, pk)
    if not may_mark_attendance(request.user, session.activity):
        raise PermissionDenied
    people = [r.person for r in approved_registrations(session.activity)]
    audit.record(
        "activities.sign_in_sheet_printed",
        obj=session.activity,
        actor=request.user,
        details={"session": session.pk},
    )
    response = HttpResponse(sign_in_sheet(session, people), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sign-in-{session.pk}.pdf"'
    return response


@require_POST
@login_required
def issue_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access_activity(request.user, pk, Action.CHANGE)
    with reported(request):
        issued = do_issue_certificates(activity, actor=request.user)
        messages.success(request, _("Certificates issued: %(count)s.") % {"count": len(issued)})
    return redirect(activity)


@require_GET
@login_required
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Download a certificate PDF: its holder, their coordinator or the organizers."""
    certificate = access_certificate(request.user, pk)
    audit.record("activities.certificate_downloaded", obj=certificate, actor=request.user)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.pk}.pdf"'
    return response


@require_POST
@login_required
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access_certificate(request.user, pk, Action.CHANGE)
    form = RevokeForm(request.POST)
    with reported(request):
        do_revoke_certificate(
            certificate,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
            actor=request.user,
        )
        messages.success(request, _("Certificate revoked."))
    return redirect(certificate.activity)


@require_POST
@login_required
def give_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access_activity(request.user, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give every rating from 1 to 5."))
        return redirect(activity)
    data = dict(form.cleaned_data)
    comment = data.pop("comment", "")
    with reported(request):
        do_give_feedback(activity, ratings=data, comment=comment, actor=request.user)
        messages.success(request, _("Thank you for your feedback."))
    return redirect(activity)
