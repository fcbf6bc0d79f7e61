"""Activities pages: the programme, an activity with its registrations, attendance
ticking and sign-in sheet, certificates, feedback, the calendar and its feeds,
the competency matrix and the cross-border contacts."""

from __future__ import annotations

import calendar as calendar_module
import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scape.activities import feeds
from scape.activities.actions import (
    do_add_session,
    do_approve_registration,
    do_cancel_registration,
    do_create_activity,
    do_get_calendar_feed,
    do_give_feedback,
    do_issue_certificates,
    do_mark_attendance,
    do_register,
    do_reject_registration,
    do_revoke_certificate,
    do_save_contact_card,
    do_update_activity,
)
from scape.activities.choices import ACTIVE_REGISTRATION, ActivityStatus, RegistrationStatus
from scape.activities.filtersets import ActivityFilter
from scape.activities.forms import (
    ActivityForm,
    ContactCardForm,
    FeedbackForm,
    MatrixForm,
    NominateForm,
    RejectForm,
    RevokeForm,
    SessionForm,
    StatusForm,
)
from scape.activities.models import (
    Activity,
    Attendance,
    CalendarFeed,
    Certificate,
    Competency,
    ContactCard,
    Feedback,
    Registration,
)
from scape.activities.pdfs import certificate_pdf, sign_in_sheet, verify_url
from scape.activities.queries import (
    ORGANIZER_ROLES,
    access_activity,
    access_certificate,
    access_registration,
    access_session,
    attended_hours,
    competency_matrix,
    completes,
    feedback_summary,
    get_activities,
    hours_by_person,
    is_organizer,
    matrix_organizations,
    matrix_people,
    organization_calendar,
    planned_hours,
    verification_facts,
)
from scape.core import audit
from scape.core.access import actor_of
from scape.core.choices import Action, Role
from scape.core.forms import add_validation_errors
from scape.core.generic import filtered, reported
from scape.directory.models import Organization, Person


def _me(request: HttpRequest) -> Person | None:
    return getattr(request.user, "person", None)


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
    mine = Registration.objects.filter(activity=activity, person=me).first() if me else None
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
        and (mine is None or mine.status not in ACTIVE_REGISTRATION),
        "approved_count": activity.registrations.filter(status=RegistrationStatus.APPROVED).count(),
    }
    if me is not None:
        context["my_certificate"] = Certificate.objects.filter(activity=activity, person=me).first()
        context["my_hours"] = attended_hours(activity, me)
        if (
            mine is not None
            and mine.status == RegistrationStatus.APPROVED
            and (activity.ends_at <= timezone.now() or activity.status == ActivityStatus.COMPLETED)
            and not Feedback.objects.filter(activity=activity, person=me).exists()
        ):
            context["feedback_form"] = FeedbackForm()
    actor = actor_of(request.user)
    if me is not None and actor.has_any(ORGANIZER_ROLES) and activity.status == ActivityStatus.OPEN:
        context["nominate_form"] = NominateForm(organization_id=me.organization_id)
    # Registrations this user may see: all when organizing, else their organization's.
    context["registrations"] = (
        Registration.objects.restrict(request.user, Action.VIEW)
        .filter(activity=activity)
        .select_related("person__user", "person__organization", "nominated_by__user")
        .order_by("status", "position", "created_at")
    )
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


def _may_mark(request: HttpRequest, activity: Activity) -> bool:
    me = _me(request)
    return is_organizer(request.user, activity) or (
        me is not None and activity.trainers.filter(pk=me.pk).exists()
    )


def _approved(activity: Activity) -> QuerySet[Registration]:
    """Return the approved registrations of the activity, by the people's names."""
    return (
        Registration.objects.filter(activity=activity, status=RegistrationStatus.APPROVED)
        .select_related("person__user", "person__organization")
        .order_by("person__user__last_name", "person__user__first_name")
    )


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick who is present at a session, on a phone; approved participants only."""
    session = access_session(request.user, pk)
    activity = session.activity
    if not _may_mark(request, activity):
        raise PermissionDenied
    registrations = list(_approved(activity))
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
    present_ids = set(
        Attendance.objects.filter(session=session, present=True).values_list("person_id", flat=True)
    )
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
    if not _may_mark(request, session.activity):
        raise PermissionDenied
    people = [r.person for r in _approved(session.activity)]
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
        feed = CalendarFeed.objects.filter(person=me).first()
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


def _feed_person(token: str) -> Person:
    feed = CalendarFeed.objects.select_related("person__organization").filter(token=token).first()
    if feed is None or not feed.person.is_active:
        raise Http404
    return feed.person


def _ics(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def feed_person(request: HttpRequest, token: str) -> HttpResponse:
    """iCalendar of the activities the token's person is registered for or trains (no login)."""
    person = _feed_person(token)
    activities = (
        Activity.objects.filter(
            Q(
                pk__in=Registration.objects.filter(
                    person=person,
                    status__in=ACTIVE_REGISTRATION,
                ).values("activity_id")
            )
            | Q(pk__in=Activity.objects.filter(trainers=person).values("pk"))
        )
        .exclude(status=ActivityStatus.DRAFT)
        .order_by("starts_at")
    )
    with translation.override(person.ui_language or settings.LANGUAGE_CODE):
        return _ics(feeds.calendar(activities, name=person.full_name))


@require_GET
def feed_organization(request: HttpRequest, token: str) -> HttpResponse:
    """iCalendar of the activities the token person's organization organizes (no login)."""
    person = _feed_person(token)
    org = person.organization
    activities = organization_calendar(org)
    with translation.override(person.ui_language or settings.LANGUAGE_CODE):
        return _ics(feeds.calendar(activities, name=org.name))


# --- competency matrix ----------------------------------------------------------


@require_GET
@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    """Show people by competencies for an organization; soon-expiring ones highlighted."""
    actor = actor_of(request.user).require()
    # Only organizations whose people the user may see: a matrix of nobody helps no one.
    form = MatrixForm(request.GET or None, organizations=matrix_organizations(request.user))
    org_id = actor.organization_id
    if form.is_valid() and form.cleaned_data.get("organization"):
        org_id = form.cleaned_data["organization"].pk
    people = matrix_people(request.user, org_id)
    competencies = list(Competency.objects.all())
    return render(
        request,
        "activities/matrix.html",
        {
            "form": form,
            "competencies": competencies,
            "rows": competency_matrix(people, competencies),
            "organization": Organization.objects.filter(pk=org_id or 0).first(),
        },
    )


# --- contacts -----------------------------------------------------------------


def _cards(request: HttpRequest) -> Any:
    cards = ContactCard.objects.filter(
        visible=True, person__is_active=True, person__organization__is_active=True
    ).select_related("person__user", "person__organization")
    q = (request.GET.get("q") or "").strip()
    if q:
        cards = cards.filter(
            Q(person__user__first_name__icontains=q)
            | Q(person__user__last_name__icontains=q)
            | Q(topics__icontains=q)
            | Q(role__icontains=q)
            | Q(person__organization__code__icontains=q)
        )
    return cards.order_by(
        "person__organization__country", "person__organization__code", "person__user__last_name"
    )


@login_required
def contacts(request: HttpRequest) -> HttpResponse:
    """The cross-border contact directory: whom to call for what; one's own card to edit."""
    actor_of(request.user).require()
    me = _me(request)
    card = ContactCard.objects.filter(person=me).first() if me else None
    form = ContactCardForm(
        request.POST or None,
        initial={
            "role": card.role if card else (me.position if me else ""),
            "topics": card.topics if card else "",
            "talk_group": card.talk_group if card else "",
            "visible": card.visible if card else True,
        },
    )
    if request.method == "POST":
        if me is None:
            raise PermissionDenied
        if form.is_valid():
            do_save_contact_card(me, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Your contact card is saved."))
            return redirect("activities:contacts")
    return render(
        request,
        "activities/contacts.html",
        {"cards": _cards(request), "form": form, "q": request.GET.get("q", "")},
    )


@require_GET
@login_required
def contacts_vcf(request: HttpRequest) -> HttpResponse:
    """Export the contact directory as vCards (.vcf)."""
    actor_of(request.user).require()
    cards = list(_cards(request))
    audit.record("activities.contacts_exported", actor=request.user, details={"count": len(cards)})
    response = HttpResponse(feeds.vcards(cards), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="scape-contacts.vcf"'
    return response


# --- public verification --------------------------------------------------------


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public page (no login) that tells whether a certificate is valid, expired or revoked."""
    certificate = (
        Certificate.objects.select_related("activity__organization", "person__user")
        .filter(code=code)
        .first()
    )
    if certificate is None:
        return render(request, "activities/verify_unknown.html", {"code": code[:60]}, status=404)
    response = render(
        request,
        "activities/verify.html",
        {"facts": verification_facts(certificate), "url": verify_url(certificate.code)},
    )
    # A holder's name is for whoever holds the code, not for search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
