"""Figures for the reports, the API, the home panel and the demo loader."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from rest_framework.test import APIClient

from scape.activities.actions import do_issue_certificates, do_register
from scape.activities.choices import ActivityKind, RegistrationStatus
from scape.activities.models import Activity, Attendance, Certificate
from scape.activities.queries import activity_figures
from scape.core.testing import login

pytestmark = pytest.mark.django_db


def _lv(text: str) -> str:
    """Return the text as a Latvian user (the fixture's language) reads it."""
    with translation.override("lv"):
        return translation.gettext(text)


def api(person):
    client = APIClient()
    login(client, person.user)
    return client


def test_it_counts_the_programme_figures(
    two_sessions, training, make_activity, santa, tomas, enrol, attend, rasa, palanga, liepaja
):
    make_activity(
        kind=ActivityKind.SEMINAR, title_en="Seminar", partners=[], starts_at=training.starts_at
    )
    enrol(training, santa)
    enrol(training, tomas)
    attend(two_sessions, santa, True, True)
    attend(two_sessions, tomas, True, False)
    do_issue_certificates(training, actor=rasa.user)
    day = timezone.localdate(training.starts_at)
    figures = activity_figures(day - datetime.timedelta(days=1), day + datetime.timedelta(days=1))
    assert figures["activities"] == 2
    assert figures["by_kind"][ActivityKind.TRAINING] == 1
    assert figures["by_kind"][ActivityKind.SEMINAR] == 1
    assert figures["by_kind"][ActivityKind.EXERCISE] == 0
    assert figures["participants"] == 2
    assert figures["participants_by_organization"] == {"palanga": 1, "liepaja-mp": 1}
    assert figures["participants_by_country"] == {"LT": 1, "LV": 1}
    assert figures["participants_by_role"] == {"volunteer": 1, "specialist": 1}
    assert figures["participants_by_gender"] == {"female": 1, "male": 1}
    assert figures["participant_hours"] == Decimal("9.00")
    assert figures["activity_hours"] == Decimal("6.00")
    assert figures["institutions"] == 2
    assert figures["institution_codes"] == ["liepaja-mp", "palanga"]
    assert figures["certificates"] == 1
    # Only Liepāja's (co-)organized activities: the seminar is Palanga's alone.
    assert activity_figures(day, day, organization=liepaja)["activities"] == 1
    # Outside the period: nothing.
    assert (
        activity_figures(day + datetime.timedelta(days=5), day + datetime.timedelta(days=9))[
            "activities"
        ]
        == 0
    )


def test_it_lists_activities_and_registers_through_the_api(training, santa, rasa):
    client = api(santa)
    listing = client.get("/api/v1/activities/activities/").json()
    assert [a["title_en"] for a in listing["results"]] == ["First-aid training"]
    response = client.post(
        f"/api/v1/activities/activities/{training.pk}/register/", {}, format="json"
    )
    assert response.status_code == 201 and response.json()["status"] == "requested"
    again = client.post(f"/api/v1/activities/activities/{training.pk}/register/", {}, format="json")
    assert again.status_code == 400


def test_it_approves_marks_and_issues_through_the_api(two_sessions, training, santa, rasa):
    registration = do_register(training, santa, actor=santa.user)
    organizer = api(rasa)
    # The participant may see her registration but not approve it.
    assert (
        api(santa).post(f"/api/v1/activities/registrations/{registration.pk}/approve/").status_code
        == 403
    )
    response = organizer.post(f"/api/v1/activities/registrations/{registration.pk}/approve/")
    assert response.json()["status"] == RegistrationStatus.APPROVED
    for session in two_sessions:
        response = organizer.post(
            "/api/v1/activities/attendance/",
            {"session": session.pk, "present": [santa.pk]},
            format="json",
        )
        assert response.status_code == 201
    assert Attendance.objects.filter(present=True).count() == 2
    rows = organizer.get("/api/v1/activities/attendance/").json()["results"]
    assert {r["hours"] for r in rows} == {"3.00"}
    issued = organizer.post(
        f"/api/v1/activities/activities/{training.pk}/issue-certificates/"
    ).json()
    assert len(issued) == 1 and issued[0]["state"] == "valid"
    mine = api(santa).get("/api/v1/activities/certificates/").json()["results"]
    assert [c["code"] for c in mine] == [issued[0]["code"]]
    revoked = organizer.post(
        f"/api/v1/activities/certificates/{mine[0]['id']}/revoke/",
        {"reason": "Test"},
        format="json",
    )
    assert revoked.json()["state"] == "revoked"


def test_it_hides_other_peoples_registrations_in_the_api(training, santa, tomas):
    do_register(training, santa, actor=santa.user)
    assert api(tomas).get("/api/v1/activities/registrations/").json()["results"] == []


def test_it_refuses_the_api_to_anonymous_callers(training):
    assert APIClient().get("/api/v1/activities/activities/").status_code in (401, 403)


def test_it_shows_upcoming_activities_on_the_home_page(training, santa, logged_in, client):
    do_register(training, santa, actor=santa.user)
    logged_in(santa)
    page = client.get("/").content.decode()
    assert _lv("My upcoming activities") in page and "upcoming-activities" in page


def test_it_loads_the_demo_twice_without_duplicates(db):
    from scape.activities.demo import load_demo
    from scape.directory.demo import load_demo as load_directory

    load_directory()
    created = load_demo()
    assert created > 0
    assert Activity.objects.filter(city__in=["Palanga", "Liepāja"]).count() == 3
    assert Certificate.objects.count() >= 1
    countries = set(
        Attendance.objects.filter(present=True).values_list(
            "person__organization__country", flat=True
        )
    )
    assert countries == {"LT", "LV"}
    assert load_demo() == 0


def test_it_nominates_through_the_api_only_people_the_coordinator_may_see(
    training, santa, tomas, dace
):
    coordinator = api(dace)
    url = f"/api/v1/activities/activities/{training.pk}/register/"
    nominated = coordinator.post(url, {"person": santa.pk}, format="json")
    assert nominated.status_code == 201, nominated.content
    assert nominated.json()["nominated_by"] == dace.pk
    # A person of another organization is as unknown as a person who does not
    # exist: a 403 would tell the caller that the id belongs to someone.
    other, unknown = (
        coordinator.post(url, {"person": pk}, format="json") for pk in (tomas.pk, tomas.pk + 1000)
    )
    assert other.status_code == unknown.status_code == 404
    assert other.json() == unknown.json()
