"""Activities fixtures: Palanga (LT) organizes, Liepāja (LV) takes part."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from scape.activities.actions import (
    do_add_session,
    do_approve_registration,
    do_create_activity,
    do_mark_attendance,
    do_register,
)
from scape.activities.choices import ActivityStatus
from scape.activities.models import Competency
from scape.core.choices import Role
from scape.directory.testing import make_org


@pytest.fixture
def palanga(db: Any) -> Any:
    return make_org("palanga", country="LT", name_en="Palanga Municipality")


@pytest.fixture
def liepaja(db: Any) -> Any:
    return make_org("liepaja-mp", country="LV", name_en="Liepāja Municipal Police")


@pytest.fixture
def rasa(palanga: Any, persona: Any) -> Any:
    """The Palanga coordinator who organizes."""
    return persona(
        palanga, Role.COORDINATOR, username="rasa", first_name="Rasa", last_name="Petrauskienė"
    )


@pytest.fixture
def dace(liepaja: Any, persona: Any) -> Any:
    """The Liepāja coordinator (the participants' own coordinator)."""
    return persona(
        liepaja, Role.COORDINATOR, username="dace", first_name="Dace", last_name="Kļaviņa"
    )


@pytest.fixture
def santa(liepaja: Any, persona: Any) -> Any:
    """A Latvian volunteer."""
    return persona(
        liepaja,
        Role.VOLUNTEER,
        username="santa",
        first_name="Santa",
        last_name="Ozoliņa",
        email="santa@example.invalid",
        phone="+371 2000 0001",
        badge_number="LV-777",
        ui_language="lv",
        gender="female",
    )


@pytest.fixture
def tomas(palanga: Any, persona: Any) -> Any:
    """A Lithuanian specialist."""
    return persona(
        palanga,
        Role.SPECIALIST,
        username="tomas",
        first_name="Tomas",
        last_name="Jankauskas",
        gender="male",
    )


@pytest.fixture
def first_aid(db: Any) -> Any:
    return Competency.objects.create(
        code="first-aid-test", name_lt="Pirmoji pagalba", name_lv="Pirmā palīdzība",
        name_en="First aid", validity_days=365,
    )  # fmt: skip


@pytest.fixture
def make_activity(palanga: Any, liepaja: Any, rasa: Any) -> Any:
    def factory(**fields: Any) -> Any:
        start = fields.pop("starts_at", timezone.now() + datetime.timedelta(days=7))
        fields.setdefault("ends_at", start + datetime.timedelta(hours=6))
        fields.setdefault("status", ActivityStatus.OPEN)
        fields.setdefault("city", "Palanga")
        fields.setdefault("country", "LT")
        fields.setdefault("partners", [liepaja])
        fields.setdefault("title_lt", "Pirmosios pagalbos mokymai")
        fields.setdefault("title_lv", "Pirmās palīdzības mācības")
        return do_create_activity(
            fields.pop("organization", palanga),
            title_en=fields.pop("title_en", "First-aid training"),
            starts_at=start,
            actor=fields.pop("actor", rasa.user),
            **fields,
        )

    return factory


@pytest.fixture
def training(make_activity: Any, first_aid: Any) -> Any:
    return make_activity(competencies=[first_aid])


@pytest.fixture
def two_sessions(training: Any, rasa: Any) -> Any:
    """Two sessions of 3 hours each, held last week.

    Attendance and certificates are only for sessions that took place, so the
    training planned for next week is moved back before its sessions are added.
    """
    start = timezone.now() - datetime.timedelta(days=7)
    type(training).objects.filter(pk=training.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=8)
    )
    training.refresh_from_db()
    return [
        do_add_session(training, starts_at=start, ends_at=start + datetime.timedelta(hours=3), place="Hall", actor=rasa.user),
        do_add_session(training, starts_at=start + datetime.timedelta(hours=4), ends_at=start + datetime.timedelta(hours=7), place="Beach", actor=rasa.user),
    ]  # fmt: skip


@pytest.fixture
def enrol(rasa: Any) -> Any:
    """Register and approve a person."""

    def factory(activity: Any, person: Any) -> Any:
        registration = do_register(activity, person, actor=person.user)
        return do_approve_registration(registration, actor=rasa.user)

    return factory


@pytest.fixture
def attend(rasa: Any) -> Any:
    def factory(sessions: Any, person: Any, *present: bool) -> None:
        for session, here in zip(sessions, present, strict=True):
            do_mark_attendance(session, {person.pk: here}, actor=rasa.user)

    return factory
