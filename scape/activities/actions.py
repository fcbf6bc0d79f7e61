"""Every write to activities: atomic, validated, audited, and notifying.

Each action checks its input first and raises ValidationError with a
translated message; a refused action changes nothing. Notifications are rows
written in the same transaction; their e-mails go out on commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scape.activities.choices import (
    ACTIVE_REGISTRATION,
    ActivityKind,
    ActivityStatus,
    Audience,
    RegistrationStatus,
)
from scape.activities.models import (
    RATING_FIELDS,
    Activity,
    Attendance,
    CalendarFeed,
    Certificate,
    ContactCard,
    Feedback,
    PersonCompetency,
    Registration,
    Session,
)
from scape.activities.queries import (
    completes,
    hours_by_person,
    is_organizer,
    is_persons_coordinator,
    may_mark_attendance,
    organizer_people,
    planned_hours,
)
from scape.core import audit
from scape.core.access import actor_of
from scape.core.choices import Role
from scape.directory.models import Organization, Person
from scape.directory.notify import notify_people

_AUDIENCE_ROLES = frozenset(Audience.values)
_LINKS = ("partners", "trainers", "competencies", "equipment")
_EDITABLE = frozenset(
    {
        "kind", "status", "title_lt", "title_lv", "title_en", "description_lt",
        "description_lv", "description_en", "starts_at", "ends_at", "city", "country",
        "address", "latitude", "longitude", "topics", "capacity", "audience",
    }
)  # fmt: skip


def _person_of(user: Any) -> Person | None:
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


def _require_organizer(user: Any, activity: Activity) -> None:
    if not is_organizer(user, activity):
        raise PermissionDenied(_("Only the organizers' coordinators may do this."))


@transaction.atomic
def do_create_activity(
    organization: Organization,
    *,
    title_en: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    actor: Any,
    partners: Iterable[Organization] = (),
    trainers: Iterable[Person] = (),
    competencies: Iterable[Any] = (),
    equipment: Iterable[Any] = (),
    **fields: Any,
) -> Activity:
    """Create an activity owned by `organization`, with its co-organizers and links."""
    actor_info = actor_of(actor)
    if Role.SYS_ADMIN not in actor_info.roles and not (
        actor_info.organization_id == organization.pk
        and actor_info.has_any({Role.COORDINATOR, Role.ORG_ADMIN})
    ):
        raise PermissionDenied(_("Only coordinators of the organizing organization may do this."))
    errors: dict[str, str] = {}
    if not (title_en or "").strip():
        errors["title_en"] = _("Give the activity an English title.")
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    kind = fields.get("kind", ActivityKind.TRAINING)
    if kind not in ActivityKind.values:
        errors["kind"] = _("Choose a kind of activity.")
    audience = list(fields.pop("audience", []) or [])
    if any(a not in _AUDIENCE_ROLES for a in audience):
        errors["audience"] = _("Choose the audience from the list.")
    if errors:
        raise ValidationError(errors)
    activity = Activity.objects.create(
        organization=organization,
        title_en=title_en.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        audience=audience,
        **fields,
    )
    activity.partners.set([p for p in partners if p.pk != organization.pk])
    activity.trainers.set(list(trainers))
    activity.competencies.set(list(competencies))
    activity.equipment.set(list(equipment))
    audit.record("activities.activity_created", obj=activity, actor=actor, details={"kind": kind})
    return activity


@transaction.atomic
def do_update_activity(activity: Activity, *, actor: Any, **fields: Any) -> Activity:
    """Change an activity's fields and links; organizers only.

    Raising the number of places moves people up from the waiting list.
    """
    _require_organizer(actor, activity)
    activity = _locked(activity)
    links = {name: fields.pop(name) for name in _LINKS if name in fields}
    unknown = set(fields) - _EDITABLE
    if unknown:
        raise ValidationError(_("These fields cannot be changed here."))
    errors: dict[str, str] = {}
    if "status" in fields and fields["status"] not in ActivityStatus.values:
        errors["status"] = _("Choose a status.")
    if "kind" in fields and fields["kind"] not in ActivityKind.values:
        errors["kind"] = _("Choose a kind of activity.")
    if "title_en" in fields and not (fields["title_en"] or "").strip():
        errors["title_en"] = _("Give the activity an English title.")
    if any(a not in _AUDIENCE_ROLES for a in fields.get("audience") or []):
        errors["audience"] = _("Choose the audience from the list.")
    starts = fields.get("starts_at", activity.starts_at)
    ends = fields.get("ends_at", activity.ends_at)
    if starts and ends and ends <= starts:
        errors["ends_at"] = _("The end must be after the start.")
    if errors:
        raise ValidationError(errors)
    if "audience" in fields:
        fields["audience"] = list(fields["audience"] or [])
    for name, value in fields.items():
        setattr(activity, name, value)
    if fields:
        activity.save(update_fields=list(fields))
    if "partners" in links:
        links["partners"] = [p for p in links["partners"] if p.pk != activity.organization_id]
    for name, values in links.items():
        getattr(activity, name).set(list(values))
    audit.record(
        "activities.activity_changed",
        obj=activity,
        actor=actor,
        details={k: str(v) for k, v in fields.items()} | {k: len(v) for k, v in links.items()},
    )
    if "capacity" in fields:
        _move_up(activity, actor)
        _compact_waitlist(activity)
    return activity


# The longest one sitting of an activity may last.
MAX_SESSION = datetime.timedelta(days=7)


@transaction.atomic
def do_add_session(
    activity: Activity,
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    actor: Any,
) -> Session:
    """Add a sitting of the activity; its length counts as hours for those present."""
    _require_organizer(actor, activity)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if ends_at - starts_at > MAX_SESSION:
        # Its hours count for each person present: a year-long sitting is a typo.
        raise ValidationError(
            {"ends_at": _("A sitting lasts at most 7 days: add one for each day or part.")}
        )
    session = Session.objects.create(
        activity=activity, starts_at=starts_at, ends_at=ends_at, place=place
    )
    audit.record(
        "activities.session_added", obj=activity, actor=actor, details={"session": session.pk}
    )
    return session


def _locked(activity: Activity) -> Activity:
    # Lock the activity row: two approvals at once must not both take the last place.
    return Activity.objects.select_for_update().get(pk=activity.pk)


def fits_audience(activity: Activity, person: Person) -> bool:
    """Return whether the activity's audience (officers, volunteers, …) takes this person."""
    roles = set(person.role_codes()) & _AUDIENCE_ROLES
    return not (activity.audience and roles and not roles & set(activity.audience))


@transaction.atomic
def do_register(activity: Activity, person: Person, *, actor: Any) -> Registration:
    """Register a person for an activity: themselves, or nominated by their coordinator.

    The registration waits for the organizers' approval; the organizers are told.
    """
    activity = _locked(activity)
    me = _person_of(actor)
    nominated_by: Person | None = None
    if me is None or me.pk != person.pk:
        if not is_persons_coordinator(actor, person):
            raise PermissionDenied(_("Only the person or their coordinator may register them."))
        nominated_by = me
    if activity.status != ActivityStatus.OPEN:
        raise ValidationError(_("This activity is not open for registration."))
    if not person.is_active:
        raise ValidationError(_("This person's account is not active."))
    if not fits_audience(activity, person):
        raise ValidationError(
            _("This activity is for: %(audience)s.")
            % {"audience": ", ".join(activity.audience_labels())}
        )
    registration = Registration.objects.filter(activity=activity, person=person).first()
    if registration is not None and registration.status in ACTIVE_REGISTRATION:
        raise ValidationError(_("%(person)s is already registered.") % {"person": person})
    if registration is None:
        registration = Registration(activity=activity, person=person)
    registration.status = RegistrationStatus.REQUESTED
    registration.nominated_by = nominated_by
    registration.position = None
    registration.decided_at = None
    registration.created_at = timezone.now()
    registration.save()
    audit.record(
        "activities.registered",
        obj=registration,
        actor=actor,
        details={"activity": activity.pk, "nominated": nominated_by is not None},
    )
    notify_people(
        organizer_people(activity),
        kind="activity-registration",
        title=gettext_lazy("New registration for %(activity)s: %(person)s"),
        params={"activity": activity, "person": person.full_name},
        url=activity.get_absolute_url(),
    )
    if nominated_by is not None:
        notify_people(
            [person],
            kind="activity-nominated",
            title=gettext_lazy("%(coordinator)s nominated you for %(activity)s"),
            params={"coordinator": nominated_by.full_name, "activity": activity},
            url=activity.get_absolute_url(),
        )
    return registration


def _next_position(activity: Activity) -> int:
    top = Registration.objects.filter(
        activity=activity, status=RegistrationStatus.WAITLISTED
    ).aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


def _approved_count(activity: Activity) -> int:
    return Registration.objects.filter(
        activity=activity, status=RegistrationStatus.APPROVED
    ).count()


@transaction.atomic
def do_approve_registration(registration: Registration, *, actor: Any) -> Registration:
    """Approve a registration; when the activity is full, put it on the waiting list."""
    activity = _locked(registration.activity)
    _require_organizer(actor, activity)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in (RegistrationStatus.REQUESTED, RegistrationStatus.REJECTED):
        raise ValidationError(_("Only a requested registration can be approved."))
    full = activity.capacity is not None and _approved_count(activity) >= activity.capacity
    registration.decided_at = timezone.now()
    if full:
        registration.status = RegistrationStatus.WAITLISTED
        registration.position = _next_position(activity)
    else:
        registration.status = RegistrationStatus.APPROVED
        registration.position = None
    registration.save(update_fields=["status", "position", "decided_at", "updated_at"])
    audit.record(
        "activities.registration_" + registration.status,
        obj=registration,
        actor=actor,
        details={"activity": activity.pk, "position": registration.position},
    )
    if full:
        notify_people(
            [registration.person],
            kind="activity-waitlisted",
            title=gettext_lazy(
                "%(activity)s is full: you are number %(position)s on the waiting list"
            ),
            params={"activity": activity, "position": registration.position},
            url=activity.get_absolute_url(),
        )
    else:
        notify_people(
            [registration.person],
            kind="activity-approved",
            title=gettext_lazy("Your place in %(activity)s is confirmed"),
            params={"activity": activity},
            url=activity.get_absolute_url(),
        )
    return registration


@transaction.atomic
def do_reject_registration(
    registration: Registration, *, actor: Any, reason: str = ""
) -> Registration:
    """Turn a registration down; the person is told why."""
    activity = _locked(registration.activity)
    _require_organizer(actor, activity)
    if registration.status not in (RegistrationStatus.REQUESTED, RegistrationStatus.WAITLISTED):
        raise ValidationError(_("Only a requested or waiting registration can be turned down."))
    registration.status = RegistrationStatus.REJECTED
    registration.position = None
    registration.decided_at = timezone.now()
    registration.save(update_fields=["status", "position", "decided_at", "updated_at"])
    audit.record("activities.registration_rejected", obj=registration, actor=actor, reason=reason)
    _compact_waitlist(activity)
    notify_people(
        [registration.person],
        kind="activity-rejected",
        title=gettext_lazy("Your registration for %(activity)s was not accepted"),
        params={"activity": activity},
        body=reason,
        url=activity.get_absolute_url(),
    )
    return registration


def _compact_waitlist(activity: Activity) -> None:
    waiting = Registration.objects.filter(
        activity=activity, status=RegistrationStatus.WAITLISTED
    ).order_by("position", "pk")
    for number, registration in enumerate(waiting, start=1):
        if registration.position != number:
            registration.position = number
            registration.save(update_fields=["position", "updated_at"])


@transaction.atomic
def do_cancel_registration(registration: Registration, *, actor: Any) -> Registration:
    """Cancel a registration; a freed place goes to the first on the waiting list, who is told."""
    activity = _locked(registration.activity)
    me = _person_of(actor)
    if not (
        (me is not None and me.pk == registration.person_id)
        or is_persons_coordinator(actor, registration.person)
        or is_organizer(actor, activity)
    ):
        raise PermissionDenied(_("You may not cancel this registration."))
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in ACTIVE_REGISTRATION:
        raise ValidationError(_("This registration is not active."))
    freed = registration.status == RegistrationStatus.APPROVED
    registration.status = RegistrationStatus.CANCELLED
    registration.position = None
    registration.save(update_fields=["status", "position", "updated_at"])
    audit.record("activities.registration_cancelled", obj=registration, actor=actor)
    if freed:
        _move_up(activity, actor)
    _compact_waitlist(activity)
    return registration


def _move_up(activity: Activity, actor: Any) -> None:
    while activity.capacity is None or _approved_count(activity) < activity.capacity:
        nxt = (
            Registration.objects.select_for_update()
            .filter(activity=activity, status=RegistrationStatus.WAITLISTED)
            .order_by("position", "pk")
            .first()
        )
        if nxt is None:
            return
        nxt.status = RegistrationStatus.APPROVED
        nxt.position = None
        nxt.decided_at = timezone.now()
        nxt.save(update_fields=["status", "position", "decided_at", "updated_at"])
        audit.record("activities.registration_moved_up", obj=nxt, actor=actor)
        notify_people(
            [nxt.person],
            kind="activity-moved-up",
            title=gettext_lazy("A place opened up: you are now in %(activity)s"),
            params={"activity": activity},
            url=activity.get_absolute_url(),
        )


@transaction.atomic
def do_mark_attendance(session: Session, marks: dict[int, bool], *, actor: Any) -> list[Attendance]:
    """Record who was present at a session: {person id: present}; approved participants only."""
    activity = session.activity
    if not may_mark_attendance(actor, activity):
        raise PermissionDenied(_("Only the organizers and trainers mark attendance."))
    allowed = set(
        Registration.objects.filter(
            activity=activity, status=RegistrationStatus.APPROVED
        ).values_list("person_id", flat=True)
    )
    unknown = set(marks) - allowed
    if unknown:
        raise ValidationError(_("Only approved participants can be marked present."))
    now = timezone.now()
    if session.starts_at > now:
        raise ValidationError(_("Attendance can be marked once the session has started."))
    saved: list[Attendance] = []
    user = actor if getattr(actor, "is_authenticated", False) else None
    for person_id, present in marks.items():
        row, _created = Attendance.objects.update_or_create(
            session=session,
            person_id=person_id,
            defaults={"present": bool(present), "marked_at": now, "marked_by": user},
        )
        saved.append(row)
    audit.record(
        "activities.attendance_marked",
        obj=activity,
        actor=actor,
        details={
            "session": session.pk,
            "present": sorted(p for p, v in marks.items() if v),
            "absent": sorted(p for p, v in marks.items() if not v),
        },
    )
    return saved


def certificate_expiry(activity: Activity, issued: datetime.date) -> datetime.date | None:
    """Return when a certificate issued on `issued` expires: its shortest competency validity."""
    days = [c.validity_days for c in activity.competencies.all() if c.validity_days]
    return issued + datetime.timedelta(days=min(days)) if days else None


def _language_for(person: Person) -> str:
    if person.ui_language:
        return person.ui_language
    return {"LT": "lt", "LV": "lv"}.get(person.organization.country, "en")


@transaction.atomic
def do_issue_certificates(activity: Activity, *, actor: Any) -> list[Certificate]:
    """Issue a certificate to every approved participant who completed the activity.

    Each certificate grants the activity's competencies (PersonCompetency rows
    whose source is the certificate's code). Already certified people are
    skipped, so running it twice issues nothing new. The activity becomes completed.
    """
    activity = _locked(activity)
    _require_organizer(actor, activity)
    if not activity.sessions.exists():
        raise ValidationError(
            _("Add the sessions and mark attendance before issuing certificates.")
        )
    issued: list[Certificate] = []
    now = timezone.now()
    # A certificate unlocks equipment (a drone, an e-bike): not before the training is over.
    if activity.sessions.filter(ends_at__gt=now).exists():
        raise ValidationError(_("Certificates can be issued once the last session has ended."))
    today = timezone.localdate(now)
    expires = certificate_expiry(activity, today)
    done = set(Certificate.objects.filter(activity=activity).values_list("person_id", flat=True))
    planned = planned_hours(activity)
    hours = hours_by_person(activity)
    competencies = list(activity.competencies.all())
    for registration in Registration.objects.filter(
        activity=activity, status=RegistrationStatus.APPROVED
    ).select_related("person__organization", "person__user"):
        person = registration.person
        attended = hours.get(person.pk, Decimal("0"))
        if person.pk in done or not completes(attended, planned):
            continue
        certificate = Certificate.objects.create(
            activity=activity,
            person=person,
            issued_at=now,
            expires_at=expires,
            language=_language_for(person),
            hours=attended,
        )
        for competency in competencies:
            valid_until = (
                today + datetime.timedelta(days=competency.validity_days)
                if competency.validity_days
                else None
            )
            PersonCompetency.objects.create(
                person=person,
                competency=competency,
                valid_from=today,
                valid_until=valid_until,
                source=certificate.code,
            )
        audit.record("activities.certificate_issued", obj=certificate, actor=actor)
        notify_people(
            [person],
            kind="activity-certificate",
            title=gettext_lazy("Your certificate for %(activity)s is ready"),
            params={"activity": activity},
            url=activity.get_absolute_url(),
        )
        issued.append(certificate)
    if activity.status != ActivityStatus.COMPLETED:
        activity.status = ActivityStatus.COMPLETED
        activity.save(update_fields=["status"])
    return issued


@transaction.atomic
def do_revoke_certificate(certificate: Certificate, *, reason: str, actor: Any) -> Certificate:
    """Revoke a certificate and the competencies it granted; the reason is required."""
    _require_organizer(actor, certificate.activity)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking.")})
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate is already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:300]
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    PersonCompetency.objects.filter(person=certificate.person, source=certificate.code).update(
        revoked=True
    )
    audit.record("activities.certificate_revoked", obj=certificate, actor=actor, reason=reason)
    return certificate


@transaction.atomic
def do_give_feedback(
    activity: Activity, *, ratings: dict[str, int], comment: str = "", actor: Any
) -> Feedback:
    """Record the actor's survey answers for an activity they took part in, once."""
    person = _person_of(actor)
    if (
        person is None
        or not Registration.objects.filter(
            activity=activity, person=person, status=RegistrationStatus.APPROVED
        ).exists()
    ):
        raise PermissionDenied(_("Only participants give feedback."))
    if activity.ends_at > timezone.now() and activity.status != ActivityStatus.COMPLETED:
        raise ValidationError(_("Feedback opens when the activity is over."))
    if Feedback.objects.filter(activity=activity, person=person).exists():
        raise ValidationError(_("You have already given feedback for this activity."))
    values: dict[str, int] = {}
    for name in RATING_FIELDS:
        try:
            value = int(ratings.get(name))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise ValidationError({name: _("Give a rating from 1 to 5.")})
        values[name] = value
    feedback = Feedback.objects.create(
        activity=activity, person=person, comment=comment.strip(), **values
    )
    audit.record("activities.feedback_given", obj=activity, actor=actor)
    return feedback


@transaction.atomic
def do_get_calendar_feed(person: Person, *, actor: Any, renew: bool = False) -> CalendarFeed:
    """Return the person's calendar feed secret, creating it (or a new one) when asked."""
    feed, created = CalendarFeed.objects.get_or_create(person=person)
    if renew and not created:
        feed.delete()
        feed = CalendarFeed.objects.create(person=person)
    if created or renew:
        audit.record("activities.calendar_feed_issued", obj=feed, actor=actor)
    return feed


@transaction.atomic
def do_save_contact_card(person: Person, *, actor: Any, **fields: Any) -> ContactCard:
    """Create or change a person's contact card; the person or their coordinator."""
    me = _person_of(actor)
    if not ((me is not None and me.pk == person.pk) or is_persons_coordinator(actor, person)):
        raise PermissionDenied(_("You may not change this contact card."))
    allowed = {"role", "topics", "talk_group", "visible"}
    card, _created = ContactCard.objects.update_or_create(
        person=person, defaults={k: v for k, v in fields.items() if k in allowed}
    )
    audit.record("activities.contact_card_saved", obj=card, actor=actor)
    return card
