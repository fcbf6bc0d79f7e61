"""Registration: themselves or nominated, approval by the organizers, waiting list, move-up."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from scape.activities.actions import (
    do_approve_registration,
    do_cancel_registration,
    do_register,
    do_reject_registration,
)
from scape.activities.choices import ActivityStatus, RegistrationStatus
from scape.activities.models import Registration
from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.directory.models import Notification

pytestmark = pytest.mark.django_db


def _lv(text: str) -> str:
    """Return the text as a Latvian user (the fixture's language) reads it."""
    with translation.override("lv"):
        return translation.gettext(text)


def test_it_registers_a_person_themselves_and_tells_the_organizers(training, santa, rasa):
    registration = do_register(training, santa, actor=santa.user)
    assert registration.status == RegistrationStatus.REQUESTED
    assert registration.nominated_by is None
    note = Notification.objects.get(recipient=rasa, kind="activity-registration")
    assert "Santa Ozoliņa" in note.title
    assert AuditEvent.objects.filter(action="activities.registered").exists()


def test_it_lets_the_persons_coordinator_nominate_them(training, santa, dace):
    registration = do_register(training, santa, actor=dace.user)
    assert registration.nominated_by == dace


def test_it_refuses_a_nomination_by_another_organizations_coordinator(training, tomas, dace):
    with pytest.raises(PermissionDenied):
        do_register(training, tomas, actor=dace.user)
    assert not Registration.objects.exists()


def test_it_refuses_registration_when_not_open(make_activity, santa):
    closed = make_activity(status=ActivityStatus.CLOSED)
    with pytest.raises(ValidationError, match="not open"):
        do_register(closed, santa, actor=santa.user)


def test_it_refuses_a_person_outside_the_audience(make_activity, santa):
    officers_only = make_activity(audience=["officer"])
    with pytest.raises(ValidationError, match="Officers"):
        do_register(officers_only, santa, actor=santa.user)


def test_the_page_offers_no_register_button_to_a_person_outside_the_audience(
    make_activity, santa, logged_in
):
    officers_only = make_activity(audience=["officer"])
    html = logged_in(santa).get(officers_only.get_absolute_url()).content.decode()
    assert f'action="/activities/{officers_only.pk}/register/"' not in html
    with translation.override(santa.ui_language):
        said = _("This activity is for: %(audience)s.") % {
            "audience": ", ".join(str(a) for a in officers_only.audience_labels())
        }
    assert said in html


def test_it_refuses_a_second_registration(training, santa):
    do_register(training, santa, actor=santa.user)
    with pytest.raises(ValidationError, match="already registered"):
        do_register(training, santa, actor=santa.user)


def test_it_approves_and_tells_the_person(training, santa, rasa):
    registration = do_register(training, santa, actor=santa.user)
    do_approve_registration(registration, actor=rasa.user)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    assert Notification.objects.filter(recipient=santa, kind="activity-approved").exists()


def test_it_lets_only_the_organizers_approve(make_activity, santa, dace):
    palanga_only = make_activity(partners=[])
    registration = do_register(palanga_only, santa, actor=santa.user)
    with pytest.raises(PermissionDenied):
        do_approve_registration(registration, actor=dace.user)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REQUESTED


def test_it_lets_a_co_organizers_coordinator_approve(make_activity, santa, dace, liepaja):
    activity = make_activity(partners=[liepaja])
    registration = do_register(activity, santa, actor=santa.user)
    do_approve_registration(registration, actor=dace.user)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED


def test_it_puts_people_on_a_waiting_list_when_full_and_moves_them_up(
    make_activity, persona, liepaja, rasa
):
    activity = make_activity(capacity=1, partners=[])
    a, b, c = (persona(liepaja, Role.VOLUNTEER) for _ in range(3))
    regs = [do_register(activity, p, actor=p.user) for p in (a, b, c)]
    first, second, third = (do_approve_registration(r, actor=rasa.user) for r in regs)
    assert first.status == RegistrationStatus.APPROVED
    assert (second.status, second.position) == (RegistrationStatus.WAITLISTED, 1)
    assert (third.status, third.position) == (RegistrationStatus.WAITLISTED, 2)
    assert Notification.objects.filter(recipient=b, kind="activity-waitlisted").exists()

    do_cancel_registration(first, actor=a.user)

    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.APPROVED and second.position is None
    assert (third.status, third.position) == (RegistrationStatus.WAITLISTED, 1)
    assert Notification.objects.filter(recipient=b, kind="activity-moved-up").exists()


def test_it_rejects_with_a_reason(training, santa, rasa):
    registration = do_register(training, santa, actor=santa.user)
    do_reject_registration(registration, actor=rasa.user, reason="Full house")
    note = Notification.objects.get(recipient=santa, kind="activity-rejected")
    assert note.body == "Full house"


def test_it_refuses_cancellation_by_a_stranger(training, santa, tomas):
    registration = do_register(training, santa, actor=santa.user)
    with pytest.raises(PermissionDenied):
        do_cancel_registration(registration, actor=tomas.user)


def test_it_shows_registrations_to_organizers_own_coordinator_and_self_only(
    make_activity, santa, rasa, dace, persona, palanga, lt_org
):
    activity = make_activity(partners=[])
    do_register(activity, santa, actor=santa.user)
    stranger = persona(lt_org, Role.COORDINATOR)
    colleague = persona(santa.organization, Role.VOLUNTEER)
    assert Registration.objects.restrict(rasa.user).count() == 1  # organizer
    assert Registration.objects.restrict(dace.user).count() == 1  # santa's coordinator
    assert Registration.objects.restrict(santa.user).count() == 1  # herself
    assert Registration.objects.restrict(stranger.user).count() == 0
    assert Registration.objects.restrict(colleague.user).count() == 0


def test_it_registers_and_approves_through_the_pages(training, santa, rasa, logged_in, client):
    logged_in(santa)
    response = client.post(f"/activities/{training.pk}/register/", follow=True)
    assert (
        _lv("You are registered; the organizers will confirm your place.")
        in response.content.decode()
    )
    registration = Registration.objects.get(person=santa)
    logged_in(rasa)
    page = client.get(training.get_absolute_url()).content.decode()
    assert "Santa Ozoliņa" in page and "Approve" in page
    response = client.post(
        f"/activities/registrations/{registration.pk}/decide/", {"decision": "approve"}, follow=True
    )
    assert "Santa Ozoliņa is approved." in response.content.decode()


def test_it_answers_403_when_a_participant_tries_to_approve(training, santa, logged_in, client):
    registration = do_register(training, santa, actor=santa.user)
    logged_in(santa)
    response = client.post(
        f"/activities/registrations/{registration.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 403


def test_it_hides_drafts_from_other_organizations(make_activity, santa, rasa, logged_in, client):
    draft = make_activity(status=ActivityStatus.DRAFT, partners=[])
    logged_in(santa)
    assert client.get(draft.get_absolute_url()).status_code == 404
    logged_in(rasa)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_it_creates_an_activity_from_the_page(rasa, liepaja, first_aid, logged_in, client):
    logged_in(rasa)
    assert client.get("/activities/new/").status_code == 200
    response = client.post(
        "/activities/new/",
        {
            "kind": "training", "title_en": "Drone basics", "title_lt": "Dronų pagrindai",
            "starts_at": "2030-06-01T09:00", "ends_at": "2030-06-01T08:00", "country": "LT",
            "status": "open", "partners": [liepaja.pk], "competencies": [first_aid.pk],
            "audience": ["officer", "volunteer"],
        },
    )  # fmt: skip
    assert "The end must be after the start." in response.content.decode()
    response = client.post(
        "/activities/new/",
        {
            "kind": "training", "title_en": "Drone basics", "title_lt": "Dronų pagrindai",
            "starts_at": "2030-06-01T09:00", "ends_at": "2030-06-01T15:00", "country": "LT",
            "city": "Palanga", "status": "open", "partners": [liepaja.pk],
            "competencies": [first_aid.pk], "audience": ["officer", "volunteer"], "capacity": 12,
        },
        follow=True,
    )  # fmt: skip
    assert "Activity created." in response.content.decode()
    from scape.activities.models import Activity

    activity = Activity.objects.get(title_en="Drone basics")
    assert activity.organizers() == [rasa.organization, liepaja]
    assert list(activity.competencies.all()) == [first_aid]
    assert activity.audience == ["officer", "volunteer"] and activity.capacity == 12


def test_it_refuses_the_create_page_to_volunteers(santa, logged_in, client):
    logged_in(santa)
    assert client.get("/activities/new/").status_code == 403


def test_it_tells_a_nominated_person(training, santa, dace):
    do_register(training, santa, actor=dace.user)
    note = Notification.objects.get(recipient=santa, kind="activity-nominated")
    assert "Dace Kļaviņa" in note.title


def test_it_moves_people_up_when_places_are_added(make_activity, persona, liepaja, rasa):
    from scape.activities.actions import do_update_activity

    activity = make_activity(capacity=1, partners=[])
    a, b = (persona(liepaja, Role.VOLUNTEER) for _ in range(2))
    for p in (a, b):
        do_approve_registration(do_register(activity, p, actor=p.user), actor=rasa.user)
    do_update_activity(activity, capacity=2, actor=rasa.user)
    assert Registration.objects.get(person=b).status == RegistrationStatus.APPROVED
    assert Notification.objects.filter(recipient=b, kind="activity-moved-up").exists()


def test_it_changes_an_activity_from_the_edit_page(training, rasa, dace, santa, logged_in, client):
    logged_in(santa)
    assert client.get(f"/activities/{training.pk}/edit/").status_code == 403
    logged_in(rasa)
    form = client.get(f"/activities/{training.pk}/edit/")
    assert form.status_code == 200 and "First-aid training" in form.content.decode()
    data = {
        "kind": "exercise", "title_en": "Beach rescue exercise", "starts_at": "2030-06-01T09:00",
        "ends_at": "2030-06-01T15:00", "country": "LT", "city": "Palanga", "status": "closed",
        "trainers": [rasa.pk],
    }  # fmt: skip
    response = client.post(f"/activities/{training.pk}/edit/", data, follow=True)
    assert "Activity saved." in response.content.decode()
    training.refresh_from_db()
    assert (training.kind, training.title_en, training.status) == (
        "exercise",
        "Beach rescue exercise",
        "closed",
    )
    assert list(training.trainers.all()) == [rasa]
    assert list(training.partners.all()) == []
