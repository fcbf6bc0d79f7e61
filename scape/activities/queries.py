"""Reads of activities that other apps use (equipment's competency gate, reports' figures)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from scape.activities.choices import (
    ACTIVE_REGISTRATION,
    ActivityKind,
    ActivityStatus,
    RegistrationStatus,
)
from scape.activities.models import (
    RATING_FIELDS,
    Activity,
    Attendance,
    CalendarFeed,
    Certificate,
    Competency,
    ContactCard,
    Feedback,
    KindRequirement,
    PersonCompetency,
    Registration,
    Session,
)
from scape.core.access import access_object, actor_of
from scape.core.choices import Action, Role
from scape.directory.models import Organization, Person, RoleAssignment


def get_competency(code: str) -> Competency | None:
    """Return the competency with this code, or None."""
    return Competency.objects.filter(code=code).first()


def all_competencies() -> list[Competency]:
    """Return every competency, in their usual order (reference data, the same for everyone)."""
    return list(Competency.objects.all())


def holds_competency(
    person: Any, competency: Competency | str, on: datetime.date | None = None
) -> bool:
    """Return whether the person holds the competency, valid (not expired, not revoked) on a day."""
    if isinstance(competency, str):
        found = get_competency(competency)
        if found is None:
            return False
        competency = found
    on = on or timezone.localdate()
    for held in PersonCompetency.objects.select_related("competency").filter(
        person=person, competency=competency, revoked=False, valid_from__lte=on
    ):
        until = held.expires_on()
        if until is None or until >= on:
            return True
    return False


def required_competency(kind: str) -> Competency | None:
    """Return the competency that using equipment of this kind needs, if any."""
    requirement = KindRequirement.objects.select_related("competency").filter(kind=kind).first()
    return requirement.competency if requirement else None


# ---------------------------------------------------------------------------
# Activities: access, organizers, hours, completion
# ---------------------------------------------------------------------------

# A participant completes an activity by attending at least this share of
# its planned session hours (see docs/activities.md).
COMPLETION_SHARE = Decimal("0.8")
ORGANIZER_ROLES = frozenset({Role.COORDINATOR, Role.ORG_ADMIN})
# Competencies expiring within this many days are highlighted in the matrix.
EXPIRY_WARNING_DAYS = 30


def access_activity(user: Any, pk: Any, action: str = Action.VIEW) -> Activity:
    """Return the activity for `action`, or raise Http404/PermissionDenied."""
    return access_object(Activity, user, pk, action)


def access_registration(user: Any, pk: Any, action: str = Action.VIEW) -> Registration:
    """Return the registration for `action`, or raise Http404/PermissionDenied."""
    return access_object(Registration, user, pk, action)


def access_session(user: Any, pk: Any, action: str = Action.VIEW) -> Session:
    """Return the session for `action`, or raise Http404/PermissionDenied."""
    return access_object(Session, user, pk, action)


def access_certificate(user: Any, pk: Any, action: str = Action.VIEW) -> Certificate:
    """Return the certificate for `action`, or raise Http404/PermissionDenied."""
    return access_object(Certificate, user, pk, action)


def get_activities(user: Any) -> QuerySet[Activity]:
    """Return the activities the user may see (every partner sees the joint programme)."""
    return (
        Activity.objects.restrict(user, Action.VIEW)
        .select_related("organization")
        .prefetch_related("partners")
        .distinct()
    )


def is_organizer(user: Any, activity: Activity) -> bool:
    """Return whether the user coordinates the activity for one of its organizing organizations."""
    actor = actor_of(user)
    if Role.SYS_ADMIN in actor.roles:
        return True
    if actor.organization_id is None or not actor.has_any(ORGANIZER_ROLES):
        return False
    return (
        actor.organization_id == activity.organization_id
        or activity.partners.filter(pk=actor.organization_id).exists()
    )


def is_persons_coordinator(user: Any, person: Any) -> bool:
    """Return whether the user coordinates the person's organization."""
    actor = actor_of(user)
    if Role.SYS_ADMIN in actor.roles:
        return True
    return actor.organization_id == person.organization_id and actor.has_any(ORGANIZER_ROLES)


def is_trainer(user: Any, activity: Activity) -> bool:
    """Return whether the user's person is one of the activity's trainers."""
    person = getattr(user, "person", None)
    return person is not None and activity.trainers.filter(pk=person.pk).exists()


def may_mark_attendance(user: Any, activity: Activity) -> bool:
    """Return whether the user may mark attendance and print the sign-in sheet: the
    activity's organizers and trainers."""
    return is_organizer(user, activity) or is_trainer(user, activity)


def registration_of(activity: Activity, person: Any) -> Registration | None:
    """Return the person's registration for the activity, whatever its status, or None."""
    return Registration.objects.filter(activity=activity, person=person).first()


def certificate_of(activity: Activity, person: Any) -> Certificate | None:
    """Return the certificate the person holds for the activity, or None."""
    return Certificate.objects.filter(activity=activity, person=person).first()


def gave_feedback(activity: Activity, person: Any) -> bool:
    """Return whether the person has answered the activity's survey."""
    return Feedback.objects.filter(activity=activity, person=person).exists()


def get_registrations(user: Any, activity: Activity) -> QuerySet[Registration]:
    """Return the activity's registrations the user may see, by status and place.

    All of them for its organizers; otherwise the user's own and, for a
    coordinator, those of their organization's people.
    """
    return (
        Registration.objects.restrict(user, Action.VIEW)
        .filter(activity=activity)
        .select_related("person__user", "person__organization", "nominated_by__user")
        .order_by("status", "position", "created_at")
    )


def approved_registrations(activity: Activity) -> QuerySet[Registration]:
    """Return the approved registrations of the activity, by the people's names.

    The participants: counted on the activity's page, and ticked and printed
    on the sign-in sheet by those who mark attendance (see may_mark_attendance).
    """
    return (
        Registration.objects.filter(activity=activity, status=RegistrationStatus.APPROVED)
        .select_related("person__user", "person__organization")
        .order_by("person__user__last_name", "person__user__first_name")
    )


def present_at(session: Session) -> set[int]:
    """Return the ids of the people marked present at the session."""
    return set(
        Attendance.objects.filter(session=session, present=True).values_list("person_id", flat=True)
    )


def coordinators_of(organization_ids: Any) -> QuerySet[Person]:
    """Return the active coordinators of the organizations."""
    return (
        Person.objects.filter(
            organization_id__in=organization_ids,
            is_active=True,
            role_assignments__role=Role.COORDINATOR,
        )
        .select_related("user")
        .distinct()
    )


def organizer_people(activity: Activity) -> QuerySet[Person]:
    """Return the coordinators of the activity's organizing organizations."""
    ids = [activity.organization_id, *activity.partners.values_list("pk", flat=True)]
    return coordinators_of(ids)


def planned_hours(activity: Activity) -> Decimal:
    """Return the total length of the activity's sessions in hours."""
    return sum((s.hours for s in activity.sessions.all()), Decimal("0"))


def attended_hours(activity: Activity, person: Any) -> Decimal:
    """Return the hours the person was present at the activity's sessions."""
    rows = Attendance.objects.filter(
        session__activity=activity, person=person, present=True
    ).select_related("session")
    return sum((row.hours for row in rows), Decimal("0"))


def completes(attended: Decimal, planned: Decimal) -> bool:
    """Return whether `attended` hours complete an activity of `planned` session hours."""
    return planned > 0 and attended >= planned * COMPLETION_SHARE


def hours_by_person(activity: Activity) -> dict[int, Decimal]:
    """Return {person id: hours present} for the activity."""
    hours: dict[int, Decimal] = {}
    for row in Attendance.objects.filter(session__activity=activity, present=True).select_related(
        "session"
    ):
        hours[row.person_id] = hours.get(row.person_id, Decimal("0")) + row.hours
    return hours


def upcoming_for(person: Any, *, limit: int = 5) -> list[Registration]:
    """Return the person's active registrations for activities not yet over."""
    return list(
        Registration.objects.filter(
            person=person,
            status__in=ACTIVE_REGISTRATION,
            activity__ends_at__gte=timezone.now(),
        )
        .select_related("activity")
        .order_by("activity__starts_at")[:limit]
    )


def feedback_summary(activity: Activity) -> dict[str, Any]:
    """Return the survey's count, average per question and comments, for the organizers."""
    rows = list(Feedback.objects.filter(activity=activity))
    averages = {
        name: (round(sum(getattr(r, name) for r in rows) / len(rows), 1) if rows else None)
        for name in RATING_FIELDS
    }
    labels = {
        name: getattr(Feedback._meta.get_field(name), "verbose_name", name)
        for name in RATING_FIELDS
    }
    return {
        "count": len(rows),
        "averages": [(labels[name], averages[name]) for name in RATING_FIELDS],
        "comments": [r.comment for r in rows if r.comment],
    }


@dataclass
class MatrixCell:
    """One person-by-competency cell of the matrix."""

    held: bool = False
    until: datetime.date | None = None
    expiring: bool = False
    expired: bool = False


@dataclass
class MatrixRow:
    person: Any
    cells: list[MatrixCell] = field(default_factory=list)


def competency_matrix(
    people: Any, competencies: list[Competency], on: datetime.date | None = None
) -> list[MatrixRow]:
    """Return a row per person with a cell per competency: held, until when, expiring soon."""
    on = on or timezone.localdate()
    soon = on + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    people = list(people)
    held: dict[tuple[int, int], MatrixCell] = {}
    for holding in PersonCompetency.objects.filter(
        person__in=people, revoked=False, valid_from__lte=on
    ).select_related("competency"):
        until = holding.expires_on()
        key = (holding.person_id, holding.competency_id)
        cell = held.get(key)
        if until is not None and until < on:
            if cell is None:
                held[key] = MatrixCell(held=False, until=until, expired=True)
            continue
        if (
            cell is not None
            and cell.held
            and (cell.until is None or (until and until <= cell.until))
        ):
            continue
        held[key] = MatrixCell(held=True, until=until, expiring=until is not None and until <= soon)
    return [
        MatrixRow(person=p, cells=[held.get((p.pk, c.pk), MatrixCell()) for c in competencies])
        for p in people
    ]


def _present_rows(start: datetime.date, end: datetime.date, organization: Any) -> Any:
    activities = Activity.objects.filter(
        starts_at__date__gte=start, starts_at__date__lte=end
    ).exclude(status=ActivityStatus.DRAFT)
    if organization is not None:
        activities = activities.filter(
            Q(organization=organization)
            | Q(pk__in=Activity.objects.filter(partners=organization).values("pk"))
        )
    return activities


def activity_figures(
    start: datetime.date, end: datetime.date, organization: Any = None
) -> dict[str, Any]:
    """Return the programme's figures for activities starting between two days (inclusive).

    Drafts are left out. With `organization`, only the activities it organizes
    (as owner or co-organizer). A participant is a person marked present at
    one session at least. The dict::

        {
          "start": date, "end": date,
          "activities": int,                       # number of activities
          "by_kind": {kind code: int},             # every ActivityKind, zeros included
          "participants": int,                     # distinct people present
          "participants_by_organization": {org code: int},
          "participants_by_country": {"LT": int, "LV": int, ...},
          "participants_by_role": {role code: int},  # a person counts under each role held
          "participants_by_gender": {"female"|"male"|"unspecified": int},
          "participant_hours": Decimal,            # hours present, summed over people
          "activity_hours": Decimal,               # planned session hours, summed over activities
          "institutions": int,                     # distinct organizations organizing or attending
          "institution_codes": [org code, ...],    # sorted
          "certificates": int,                     # certificates issued for these activities
        }
    """
    activities = list(
        _present_rows(start, end, organization)
        .select_related("organization")
        .prefetch_related("partners", "sessions")
    )
    ids = [a.pk for a in activities]
    by_kind = dict.fromkeys(ActivityKind.values, 0)
    institutions: set[str] = set()
    activity_hours = Decimal("0")
    for activity in activities:
        by_kind[activity.kind] += 1
        institutions.add(activity.organization.code)
        institutions.update(p.code for p in activity.partners.all())
        activity_hours += planned_hours(activity)
    rows = list(
        Attendance.objects.filter(session__activity_id__in=ids, present=True).select_related(
            "session", "person__organization"
        )
    )
    people: dict[int, Person] = {}
    participant_hours = Decimal("0")
    for row in rows:
        people[row.person_id] = row.person
        participant_hours += row.hours
    by_org: Counter[str] = Counter()
    by_country: Counter[str] = Counter()
    by_gender: Counter[str] = Counter()
    by_role: Counter[str] = Counter()
    roles: dict[int, set[str]] = {}
    for person_id, role in RoleAssignment.objects.filter(person_id__in=list(people)).values_list(
        "person_id", "role"
    ):
        roles.setdefault(person_id, set()).add(role)
    for person in people.values():
        by_org[person.organization.code] += 1
        by_country[person.organization.country] += 1
        by_gender[person.gender] += 1
        for role in roles.get(person.pk, ()):
            by_role[role] += 1
        institutions.add(person.organization.code)
    return {
        "start": start,
        "end": end,
        "activities": len(activities),
        "by_kind": by_kind,
        "participants": len(people),
        "participants_by_organization": dict(by_org),
        "participants_by_country": dict(by_country),
        "participants_by_role": dict(by_role),
        "participants_by_gender": dict(by_gender),
        "participant_hours": participant_hours,
        "activity_hours": activity_hours,
        "institutions": len(institutions),
        "institution_codes": sorted(institutions),
        "certificates": Certificate.objects.filter(activity_id__in=ids).count(),
    }


def verification_facts(certificate: Certificate) -> dict[str, Any]:
    """Return what the public may know about a certificate, and nothing more personal."""
    activity = certificate.activity
    return {
        "code": certificate.code,
        "holder": certificate.person.full_name,
        "activity": activity.title,
        "kind": activity.get_kind_display(),
        "starts_on": timezone.localdate(activity.starts_at),
        "ends_on": timezone.localdate(activity.ends_at),
        "issued_on": timezone.localdate(certificate.issued_at),
        "issuers": [o.name for o in activity.organizers()],
        "expires_on": certificate.expires_at,
        "state": certificate.state(),
        "state_label": certificate.state_label(),
        "revoked_on": timezone.localdate(certificate.revoked_at)
        if certificate.revoked_at
        else None,
    }


def organization_calendar(organization: Any) -> QuerySet[Activity]:
    """Return what an organization organizes or partners in, drafts left out, soonest first.

    For its calendar feed, which a token opens without a login: the token's
    person's organization decides, as it would for that person signed in.
    """
    return (
        Activity.objects.filter(
            Q(organization=organization)
            | Q(pk__in=Activity.objects.filter(partners=organization).values("pk"))
        )
        .exclude(status=ActivityStatus.DRAFT)
        .order_by("starts_at")
    )


def certificate_by_code(code: str) -> Certificate | None:
    """Return the certificate with this verification code, or None.

    For the public check (no login): show it only through verification_facts.
    """
    return (
        Certificate.objects.select_related("activity__organization", "person__user")
        .filter(code=code)
        .first()
    )


def calendar_feed_of(person: Any) -> CalendarFeed | None:
    """Return the person's calendar feed (the secret of their feed links), or None."""
    return CalendarFeed.objects.filter(person=person).first()


def feed_owner(token: str) -> Person:
    """Return the active person whose calendar feed has this secret token, or raise Http404.

    The token is the feeds' only key: they open without a login.
    """
    feed = CalendarFeed.objects.select_related("person__organization").filter(token=token).first()
    if feed is None or not feed.person.is_active:
        raise Http404
    return feed.person


def person_calendar(person: Any) -> QuerySet[Activity]:
    """Return what a person is registered for (actively) or trains, drafts left out,
    soonest first.

    For their calendar feed, which a token opens without a login.
    """
    registered = Registration.objects.filter(person=person, status__in=ACTIVE_REGISTRATION)
    return (
        Activity.objects.filter(
            Q(pk__in=registered.values("activity_id"))
            | Q(pk__in=Activity.objects.filter(trainers=person).values("pk"))
        )
        .exclude(status=ActivityStatus.DRAFT)
        .order_by("starts_at")
    )


def contact_card_of(person: Any) -> ContactCard | None:
    """Return the person's contact card, or None (also for no person)."""
    if person is None:
        return None
    return ContactCard.objects.filter(person=person).first()


def contact_cards(user: Any, q: str = "") -> QuerySet[ContactCard]:
    """Return the contact directory the user may read, by country, organization and name.

    Every member of a partner organization reads the cards shown to the
    partners, of active people of active organizations; a user with no role
    reads none. `q` narrows by name, topic, role or organization code.
    """
    if not actor_of(user).roles:
        return ContactCard.objects.none()
    cards = ContactCard.objects.filter(
        visible=True, person__is_active=True, person__organization__is_active=True
    ).select_related("person__user", "person__organization")
    q = q.strip()
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


def matrix_people(user: Any, organization_id: int | None) -> QuerySet[Person]:
    """Return the active people of one organization that the user may see, by name."""
    return (
        Person.objects.restrict(user, Action.VIEW)
        .filter(organization_id=organization_id or 0, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def matrix_organizations(user: Any) -> QuerySet[Organization]:
    """Return the organizations whose people the user may see (the matrix's choice)."""
    visible = Person.objects.restrict(user, Action.VIEW)
    return Organization.objects.filter(pk__in=visible.values("organization_id"))


def matrix_organization(user: Any, organization_id: int | None) -> Organization | None:
    """Return the organization whose matrix is shown, if the user may see it, else None."""
    return Organization.objects.restrict(user, Action.VIEW).filter(pk=organization_id or 0).first()


# What the reports count (scape.reports.indicators reads activities only here).


def activities_between(
    first: datetime.date, last: datetime.date, organization: Any = None
) -> QuerySet[Activity]:
    """Return the activities activity_figures counts: not drafts, starting between two days
    (inclusive); with `organization`, those it organizes or co-organizes."""
    return (
        _present_rows(first, last, organization)
        .select_related("organization")
        .order_by("starts_at", "pk")
    )


def people_present_at(activities: QuerySet[Activity]) -> QuerySet[Person]:
    """Return the people marked present at a session of one of `activities`."""
    present = Attendance.objects.filter(
        present=True, session__activity__in=activities.values("pk")
    ).values("person")
    return (
        Person.objects.filter(pk__in=present)
        .select_related("organization", "user")
        .order_by("organization__code", "user__last_name", "user__first_name")
    )


def certificates_for(activities: QuerySet[Activity]) -> QuerySet[Certificate]:
    """Return the certificates issued for `activities`."""
    return (
        Certificate.objects.filter(activity__in=activities.values("pk"))
        .select_related("person__organization", "person__user")
        .order_by("issued_at", "pk")
    )


def taking_part(activities: QuerySet[Activity]) -> dict[int, set[int]]:
    """Return {activity id: organizations taking part}: the organizer, the co-organizers
    and the organizations of the people present."""
    groups: dict[int, set[int]] = {}
    for activity in activities.prefetch_related("partners"):
        groups[activity.pk] = {activity.organization_id} | {p.pk for p in activity.partners.all()}
    present = Attendance.objects.filter(
        present=True, session__activity__in=list(groups)
    ).values_list("session__activity", "person__organization")
    for activity_id, organization_id in present:
        groups[activity_id].add(organization_id)
    return groups
