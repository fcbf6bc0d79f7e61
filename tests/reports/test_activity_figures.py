"""Activity figures against a hand-counted fixture: a person at three activities counts once."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from scape.activities.models import Activity, Attendance, Certificate, Session
from scape.core.choices import Role
from scape.directory.models import Person
from scape.reports.indicators import compute
from scape.reports.periods import Period
from scape.reports.queries import drill_down
from tests.reports.conftest import YEAR

P = "scape.reports.indicators.activities."
UTC = datetime.UTC


def _activity(org: Any, kind: str, start: datetime.datetime, hours: int, **fields: Any) -> Any:
    partners = fields.pop("partners", [])
    activity = Activity.objects.create(
        organization=org, kind=kind, title_en=f"{kind} {start:%m-%d}", starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours), status=fields.pop("status", "completed"),
    )  # fmt: skip
    activity.partners.add(*partners)
    Session.objects.create(
        activity=activity, starts_at=start, ends_at=start + datetime.timedelta(hours=hours)
    )
    return activity


def _attend(activity: Any, person: Any, present: bool = True) -> None:
    Attendance.objects.create(session=activity.sessions.get(), person=person, present=present)


@pytest.fixture
def people(lt_officer: Any, lv_officer: Any, lv_org: Any, persona: Any) -> Any:
    p3 = persona(lv_org, Role.SPECIALIST, username="lv-specialist")
    Person.objects.filter(pk=lt_officer.pk).update(gender="male")
    Person.objects.filter(pk__in=[lv_officer.pk, p3.pk]).update(gender="female")
    return {"p1": lt_officer, "p2": lv_officer, "p3": p3}


@pytest.fixture
def programme(people: Any, lt_org: Any, lv_org: Any) -> Any:
    """2025: LT training T1 (co-organized by LV, 4 h): P1, P2 present, P3 absent;
    LV training T2 (3 h): P1, P3; LT exercise E1 (2 h): P1; LT demonstration D1 is a
    draft (P2). 2024: LV joint event J1 (P2)."""
    p1, p2, p3 = people["p1"], people["p2"], people["p3"]
    t1 = _activity(
        lt_org, "training", datetime.datetime(2025, 3, 10, 9, tzinfo=UTC), 4, partners=[lv_org]
    )
    t2 = _activity(lv_org, "training", datetime.datetime(2025, 5, 10, 10, tzinfo=UTC), 3)
    e1 = _activity(lt_org, "exercise", datetime.datetime(2025, 6, 1, 8, tzinfo=UTC), 2)
    d1 = _activity(
        lt_org, "demonstration", datetime.datetime(2025, 7, 1, 8, tzinfo=UTC), 2, status="draft"
    )
    j1 = _activity(lv_org, "joint_event", datetime.datetime(2024, 12, 15, 8, tzinfo=UTC), 5)
    _attend(t1, p1), _attend(t1, p2), _attend(t1, p3, present=False)
    _attend(t2, p1), _attend(t2, p3)
    _attend(e1, p1)
    _attend(d1, p2)
    _attend(j1, p2)
    for person in (p1, p2):
        Certificate.objects.create(activity=t1, person=person, language="en", hours=4)
    return {"t1": t1, "t2": t2, "e1": e1}


def test_it_counts_activities_by_kind(programme: Any) -> None:
    assert compute(P + "trainings", YEAR).value == 2
    assert compute(P + "exercises", YEAR).value == 1
    assert compute(P + "demonstrations", YEAR).value == 0  # the draft is not held
    assert compute(P + "joint_events", YEAR).value == 0
    assert compute(P + "joint_events", Period.year(2024)).value == 1


def test_it_counts_a_person_at_several_activities_once(programme: Any) -> None:
    figure = compute(P + "participants", YEAR)
    assert figure.value == 3  # P1 at three activities, P2, P3
    assert dict(figure.breakdown["organization"]) == {"lt-police": 1, "lv-police": 2}
    assert dict(figure.breakdown["country"]) == {"LT": 1, "LV": 2}
    assert dict(figure.breakdown["gender"]) == {"Female": 2, "Male": 1}
    assert dict(figure.breakdown["role"]) == {"Officer": 2, "Public-order specialist": 1}


def test_it_filters_activities_by_organizer_or_co_organizer(
    programme: Any, lt_org: Any, lv_org: Any
) -> None:
    assert compute(P + "trainings", YEAR, lt_org).value == 1  # T1
    assert compute(P + "trainings", YEAR, lv_org).value == 2  # T1 co-organized, T2
    assert compute(P + "participants", YEAR, lt_org).value == 2  # T1 and E1: P1, P2


def test_it_sums_training_hours_and_counts_certificates(programme: Any) -> None:
    assert compute(P + "training_hours", YEAR).value == Decimal("16")  # 4+3+2 + 4 + 3
    assert compute(P + "certificates", YEAR).value == 2


def test_it_counts_institutions_taking_part_in_activities(programme: Any, third_org: Any) -> None:
    assert compute("scape.reports.indicators.programme.institutions", YEAR).value == 2


def test_it_lists_participants_of_other_organizations_as_a_count(
    programme: Any, people: Any
) -> None:
    seen = drill_down(people["p1"].user, compute(P + "participants", YEAR))
    assert [row.label for row in seen.rows] == [str(people["p1"])]
    assert seen.hidden == 2
