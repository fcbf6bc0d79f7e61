"""A Latvian volunteer registers for a training in Palanga, is approved, attends,
and her certificate's QR URL shows it valid to anyone, without login."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from scape.activities.actions import do_add_session, do_create_activity
from scape.activities.choices import ActivityStatus
from scape.activities.models import Certificate, Competency
from scape.activities.pdfs import verify_url
from scape.core.choices import Role
from scape.core.testing import login
from scape.directory.testing import make_org, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context(browser, live_server, settings, user=None, **options):
    context = browser.new_context(locale="en-GB", **options)
    context.set_default_timeout(15_000)
    if user is not None:
        cookie = login(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    return context


def test_it_takes_a_latvian_volunteer_from_registration_to_a_verified_certificate(
    live_server, browser, settings
):
    settings.SCAPE_SITE_URL = live_server.url
    palanga = make_org("palanga", country="LT", name_en="Palanga Municipality")
    liepaja = make_org("liepaja-mp", country="LV", name_en="Liepāja Municipal Police")
    rasa = make_person(
        palanga, [Role.COORDINATOR], username="rasa", first_name="Rasa", last_name="Petrauskienė"
    )
    santa = make_person(
        liepaja, [Role.VOLUNTEER], username="santa", first_name="Santa", last_name="Ozoliņa"
    )
    first_aid = Competency.objects.create(
        code="first-aid-b",
        name_lt="Pirmoji pagalba",
        name_lv="Pirmā palīdzība",
        name_en="First aid",
        validity_days=365,
    )
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(hours=1)
    training = do_create_activity(
        palanga, title_en="Beach first-aid training", starts_at=start,
        ends_at=start + datetime.timedelta(hours=3), city="Palanga", country="LT",
        partners=[liepaja], competencies=[first_aid], status=ActivityStatus.OPEN, actor=rasa.user,
    )  # fmt: skip
    session = do_add_session(
        training,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        place="Palanga beach",
        actor=rasa.user,
    )

    volunteer = _context(
        browser,
        live_server,
        settings,
        santa.user,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    coordinator = _context(
        browser,
        live_server,
        settings,
        rasa.user,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    public = _context(browser, live_server, settings)
    try:
        page = volunteer.new_page()
        page.goto(live_server.url + "/activities/")
        page.get_by_role("link", name="Beach first-aid training").click()
        page.get_by_role("button", name="Register").click()
        page.locator(".messages").get_by_text("You are registered").wait_for()
        assert "Requested" in page.locator(".registration-status").inner_text()

        desk = coordinator.new_page()
        desk.goto(live_server.url + training.get_absolute_url())
        desk.locator("tr.registration", has_text="Santa Ozoliņa").get_by_role(
            "button", name="Approve"
        ).click()
        desk.locator(".messages").get_by_text("Santa Ozoliņa is approved.").wait_for()
        assert desk.evaluate("document.documentElement.scrollWidth") <= 390

        # The training takes place (attendance is only for a session that has
        # started, certificates only once it is over): move it to this morning.
        earlier = datetime.timedelta(hours=8)
        type(training).objects.filter(pk=training.pk).update(
            starts_at=start - earlier, ends_at=start - earlier + datetime.timedelta(hours=3)
        )
        type(session).objects.filter(pk=session.pk).update(
            starts_at=start - earlier, ends_at=start - earlier + datetime.timedelta(hours=3)
        )
        desk.reload()

        # Ticking attendance on the phone.
        desk.get_by_role("link", name="Attendance").click()
        desk.get_by_label("Santa Ozoliņa").check()
        desk.get_by_role("button", name="Save attendance").click()
        desk.locator(".messages").get_by_text("Attendance saved: 1 present.").wait_for()
        assert desk.evaluate("document.documentElement.scrollWidth") <= 390

        desk.goto(live_server.url + training.get_absolute_url())
        desk.get_by_role("button", name="Issue certificates").click()
        desk.locator(".messages").get_by_text("Certificates issued: 1.").wait_for()

        page.reload()
        assert "Approved" in page.locator(".registration-status").inner_text()
        certificate = Certificate.objects.get(person=santa)

        # The QR code holds the absolute URL; anyone opening it sees the certificate valid.
        check = public.new_page()
        check.goto(verify_url(certificate.code))
        assert check.locator(".verify-state").inner_text() == "Valid"
        assert check.locator(".holder").inner_text() == "Santa Ozoliņa"
        assert "Beach first-aid training" in check.content()
        assert "Log out" not in check.content()
    finally:
        volunteer.close()
        coordinator.close()
        public.close()
    assert session.attendance.get(person=santa).present
