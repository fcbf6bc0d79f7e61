"""Activity figures: trainings, exercises, demonstrations, joint events and their people.

Values come from scape.activities.queries.activity_figures; the records behind
them are the activities (and people, certificates) it counts. Until that app
has landed every figure here is "no data".
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from scape.core.choices import Role
from scape.directory.choices import Gender
from scape.reports.indicators import (
    Figure,
    NoData,
    Row,
    Source,
    by_organization,
    memoized,
    model,
    register,
)

if TYPE_CHECKING:
    from scape.directory.models import Organization
    from scape.reports.periods import Period


def _figures_fn() -> Callable[..., dict[str, Any]]:
    try:
        queries = importlib.import_module("scape.activities.queries")
    except ImportError as exc:
        raise NoData("activities") from exc
    fn = getattr(queries, "activity_figures", None)
    if fn is None:
        raise NoData("activities.activity_figures")
    return fn


def figures(period: Period, organization: Organization | None) -> dict[str, Any]:
    """Return activity_figures for the period's days (and partner)."""
    key = ("activity_figures", period, organization.pk if organization else None)
    return memoized(key, lambda: _figures_fn()(period.first, period.last, organization))


def _activities(period: Period, organization: Organization | None) -> QuerySet[Any]:
    """Return the activities activity_figures counts: not drafts, starting in the period."""
    activity = model("activities.Activity")
    found = (
        activity._default_manager.filter(
            starts_at__date__gte=period.first, starts_at__date__lte=period.last
        )
        .exclude(status="draft")
        .select_related("organization")
    )
    if organization is not None:
        found = found.filter(Q(organization=organization) | Q(partners=organization)).distinct()
    return found.order_by("starts_at", "pk")


def _activity_row(activity: Any) -> Row:
    return Row(
        f"{activity.title} ({activity.get_kind_display()})",
        activity.get_absolute_url(),
        activity.starts_at,
        activity.organization.code,
    )


def _of_kind(kind: str, period: Period, organization: Organization | None) -> Figure:
    counted = figures(period, organization)["by_kind"].get(kind, 0)
    activities = _activities(period, organization).filter(kind=kind)
    per_org = activities.order_by().values("organization__code").annotate(n=Count("pk"))
    return Figure(
        counted,
        [Source(activities, _activity_row)],
        {"organization": by_organization(per_org)},
    )


@register
def trainings(period: Period, organization: Organization | None) -> Figure:
    """Joint trainings held (starting) during the period."""
    return _of_kind("training", period, organization)


@register
def exercises(period: Period, organization: Organization | None) -> Figure:
    """Practical exercises held during the period."""
    return _of_kind("exercise", period, organization)


@register
def demonstrations(period: Period, organization: Organization | None) -> Figure:
    """Equipment demonstrations held during the period."""
    return _of_kind("demonstration", period, organization)


@register
def joint_events(period: Period, organization: Organization | None) -> Figure:
    """Joint events held during the period."""
    return _of_kind("joint_event", period, organization)


def _labelled(counts: dict[str, int], labels: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(str(labels.get(key, key)), counts[key]) for key in sorted(counts) if counts[key]]


def _person_row(person: Any) -> Row:
    return Row(str(person), person.get_absolute_url(), None, person.organization.code)


def _present_people(period: Period, organization: Organization | None) -> QuerySet[Any]:
    person = model("directory.Person")
    attendance = model("activities.Attendance")
    present = attendance._default_manager.filter(
        present=True, session__activity__in=_activities(period, organization).values("pk")
    ).values("person")
    return (
        person._default_manager.filter(pk__in=present)
        .select_related("organization", "user")
        .order_by("organization__code", "user__last_name", "user__first_name")
    )


@register
def participants(period: Period, organization: Organization | None) -> Figure:
    """Distinct people present at an activity of the period: a person at two counts once.

    By organization, country, role (a person counts under each role held) and gender.
    """
    found = figures(period, organization)
    return Figure(
        found["participants"],
        [Source(_present_people(period, organization), _person_row)],
        {
            "organization": sorted(found["participants_by_organization"].items()),
            "country": sorted(found["participants_by_country"].items()),
            "role": _labelled(found["participants_by_role"], dict(Role.choices)),
            "gender": _labelled(found["participants_by_gender"], dict(Gender.choices)),
        },
    )


@register
def training_hours(period: Period, organization: Organization | None) -> Figure:
    """Hours people were present at activities of the period, summed over the people."""
    found = figures(period, organization)
    return Figure(
        found["participant_hours"],
        [Source(_activities(period, organization), _activity_row)],
    )


def _certificate_row(certificate: Any) -> Row:
    return Row(
        f"{certificate.code} · {certificate.person}",
        certificate.get_absolute_url(),
        certificate.issued_at,
        certificate.person.organization.code,
    )


@register
def certificates(period: Period, organization: Organization | None) -> Figure:
    """Certificates issued for the activities of the period."""
    found = figures(period, organization)
    certificate = model("activities.Certificate")
    issued = (
        certificate._default_manager.filter(
            activity__in=_activities(period, organization).values("pk")
        )
        .select_related("person__organization", "person__user")
        .order_by("issued_at", "pk")
    )
    per_org = issued.order_by().values("person__organization__code").annotate(n=Count("pk"))
    return Figure(
        found["certificates"],
        [Source(issued, _certificate_row)],
        {"organization": by_organization(per_org, "person__organization__code")},
    )


def cooperation_groups(period: Period) -> list[set[int]]:
    """Return the organizations taking part in each activity of the period.

    The organizer, the co-organizers and the organizations of the people present.
    """
    attendance = model("activities.Attendance")
    groups: dict[int, set[int]] = {}
    for activity in _activities(period, None).prefetch_related("partners"):
        groups[activity.pk] = {activity.organization_id} | {p.pk for p in activity.partners.all()}
    present = attendance._default_manager.filter(
        present=True, session__activity__in=list(groups)
    ).values_list("session__activity", "person__organization")
    for activity_id, organization_id in present:
        groups[activity_id].add(organization_id)
    return list(groups.values())
