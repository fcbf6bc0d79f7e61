"""Attendance per session: ticked on a phone, hours counted, printable sign-in sheet."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from scape.activities.actions import do_mark_attendance, do_register
from scape.activities.models import Attendance
from scape.activities.queries import attended_hours, hours_by_person, planned_hours

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_it_counts_hours_per_person_from_the_sessions(
    two_sessions, training, santa, tomas, enrol, attend
):
    enrol(training, santa)
    enrol(training, tomas)
    attend(two_sessions, santa, True, True)
    attend(two_sessions, tomas, True, False)
    assert planned_hours(training) == Decimal("6.00")
    assert attended_hours(training, santa) == Decimal("6.00")
    assert attended_hours(training, tomas) == Decimal("3.00")
    assert hours_by_person(training) == {santa.pk: Decimal("6.00"), tomas.pk: Decimal("3.00")}


def test_it_marks_only_approved_participants(two_sessions, training, santa, rasa):
    do_register(training, santa, actor=santa.user)  # requested, not approved
    with pytest.raises(ValidationError, match="approved participants"):
        do_mark_attendance(two_sessions[0], {santa.pk: True}, actor=rasa.user)
    assert not Attendance.objects.exists()


def test_it_refuses_marking_by_a_participant(two_sessions, training, santa, enrol):
    enrol(training, santa)
    with pytest.raises(PermissionDenied):
        do_mark_attendance(two_sessions[0], {santa.pk: True}, actor=santa.user)


def test_it_lets_a_trainer_mark(two_sessions, training, santa, tomas, enrol):
    training.trainers.add(tomas)
    enrol(training, santa)
    do_mark_attendance(two_sessions[0], {santa.pk: True}, actor=tomas.user)
    assert Attendance.objects.get(person=santa).present


def test_it_ticks_attendance_on_the_phone_page(
    two_sessions, training, santa, tomas, enrol, rasa, logged_in, client
):
    enrol(training, santa)
    enrol(training, tomas)
    logged_in(rasa)
    url = f"/activities/sessions/{two_sessions[0].pk}/attendance/"
    page = client.get(url).content.decode()
    assert 'name="present"' in page and "Santa Ozoliņa" in page
    response = client.post(url, {"present": [str(santa.pk)]}, follow=True)
    assert "Attendance saved: 1 present." in response.content.decode()
    assert Attendance.objects.get(person=santa).present
    assert not Attendance.objects.get(person=tomas).present
    # The saved state shows ticked when the page is opened again.
    assert f'value="{santa.pk}" checked' in client.get(url).content.decode()


def test_it_hides_the_ticking_page_from_participants(
    two_sessions, training, santa, enrol, logged_in, client
):
    enrol(training, santa)
    logged_in(santa)
    assert client.get(f"/activities/sessions/{two_sessions[0].pk}/attendance/").status_code == 403


def test_it_prints_a_sign_in_sheet_with_baltic_letters(
    two_sessions, training, santa, tomas, enrol, rasa, logged_in, client
):
    enrol(training, santa)
    enrol(training, tomas)
    logged_in(rasa)
    response = client.get(f"/activities/sessions/{two_sessions[0].pk}/sign-in.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Santa Ozoliņa" in text
    assert "Tomas Jankauskas" in text
    assert "Liepāja Municipal Police" in text
    assert "Sign-in sheet" in text and "First-aid training" in text


def test_it_refuses_attendance_and_certificates_before_the_sessions_took_place(
    training, santa, rasa, enrol
):
    import datetime

    from django.utils import timezone

    from scape.activities.actions import do_add_session, do_issue_certificates
    from scape.activities.models import Certificate

    enrol(training, santa)
    start = training.starts_at  # next week
    session = do_add_session(
        training, starts_at=start, ends_at=start + datetime.timedelta(hours=6), place="Hall",
        actor=rasa.user,
    )  # fmt: skip
    assert session.starts_at > timezone.now()
    with pytest.raises(ValidationError, match="session has started"):
        do_mark_attendance(session, {santa.pk: True}, actor=rasa.user)
    with pytest.raises(ValidationError, match="last session has ended"):
        do_issue_certificates(training, actor=rasa.user)
    assert not Attendance.objects.exists() and not Certificate.objects.exists()


def test_the_sign_in_sheet_keeps_long_names_whole_and_prints_local_time(
    two_sessions, training, santa, enrol, rasa, logged_in, client
):
    from django.utils import timezone

    org = santa.organization
    org.name_en = "Kurzeme Region Department of the State Police of the Republic of Latvia"
    org.save()
    enrol(training, santa)
    logged_in(rasa)
    text = " ".join(
        pdf_text(
            client.get(f"/activities/sessions/{two_sessions[0].pk}/sign-in.pdf").content
        ).split()
    )
    assert org.name_en in text  # whole, on two lines at most, not cut at 42 letters
    import zoneinfo

    from django.utils import formats

    zone = zoneinfo.ZoneInfo(rasa.organization.display_time_zone)
    start = two_sessions[0].starts_at
    local = formats.time_format(timezone.localtime(start, zone), "TIME_FORMAT")
    in_utc = formats.time_format(timezone.localtime(start, datetime.UTC), "TIME_FORMAT")
    assert f"({zone.key})" in text and local in text and in_utc not in text
