"""Activity figures: trainings, exercises, demonstrations, joint events and their people.

Values come from scape.activities.queries.activity_figures; the records behind
them are the activities (and people, certificates) it counts, read through the
same queries module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet

from scape.activities import queries as activities
from scape.core.choices import Role
from scape.directory.choices import Gender
from scape.reports.indicators import (
    Figure,
    Row,
    Source,
    by_organization,
    memoized,
    register,
)

if TYPE_CHECKING:
    from scape.directory.models import Organization
    from scape.reports.periods import Period


def figures(period: Period, organization: Organization | None) -> dict[str, Any]:
    """Return activity_figures for the period's days (and partner)."""
    key = ("activity_figures", period, organization.pk if organization else None)
    return memoized(
        key, lambda: activities.activity_figures(period.first, period.last, organization)
    )


def _activities(period: Period, organization: Organization | None) -> QuerySet[Any]:
    """Return the activities activity_figures counts: not drafts, starting in the period."""
    return activities.activities_between(period.first, period.last, organization)


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


@register
def participants(period: Period, organization: Organization | None) -> Figure:
    """Distinct people present at an activity of the period: a person at two counts once.

    By organization, country, role (a person counts under each role held) and gender.
    """
    found = figures(period, organization)
    return Figure(
        found["participants"],
        [Source(activities.people_present_at(_activities(period, organization)), _person_row)],
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
    issued = activities.certificates_for(_activities(period, organization))
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
    return list(activities.taking_part(_activities(period, None)).values())
