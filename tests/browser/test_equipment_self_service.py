"""On a phone, an officer takes a camera for the shift and returns it with a photo;
a drone flight's track is drawn on the map."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from scape.activities.models import Competency, PersonCompetency
from scape.core.choices import Role
from scape.core.testing import login
from scape.directory.testing import make_org, make_person
from scape.equipment.actions import do_create_asset, do_record_flight
from scape.equipment.choices import AssetKind, AssetStatus
from scape.equipment.models import AssetPhoto
from tests.equipment.test_flights import GPX

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(browser, live_server, settings, user):
    context = browser.new_context(
        locale="en-GB", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    cookie = login(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context


def test_an_officer_takes_a_camera_and_returns_it_with_a_photo(live_server, browser, settings):
    org = make_org("palanga-mp", country="LT")
    desk = make_person(org, [Role.COORDINATOR], username="egle.desk")
    officer = make_person(
        org, [Role.OFFICER], username="tomas", first_name="Tomas", last_name="Kazlauskas"
    )
    camera = do_create_asset(org, kind=AssetKind.BODY_CAMERA, tag="BC-015", actor=desk.user)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 40)).save(buffer, format="JPEG")

    context = _phone(browser, live_server, settings, officer.user)
    page = context.new_page()
    try:
        page.goto(live_server.url + camera.get_absolute_url())
        # The officer can only choose themselves.
        assert page.get_by_label("Person").locator("option").all_inner_texts() == [
            "Tomas Kazlauskas"
        ]
        page.get_by_role("button", name="Check out").click()
        page.locator(".messages").get_by_text("Checked out to Tomas Kazlauskas").wait_for()
        page.get_by_label("Condition on return").fill("Lens scratched")
        page.get_by_label("Photos of its condition").set_input_files(
            files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}]
        )
        page.get_by_role("button", name="Check in").click()
        page.locator(".messages").get_by_text("Checked in.").wait_for()
        image = page.locator(".photos img").first
        image.wait_for()
        assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) == 64
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
    camera.refresh_from_db()
    assert camera.status == AssetStatus.AVAILABLE
    assert AssetPhoto.objects.get().checkout.condition == "Lens scratched"


def test_a_flight_track_is_drawn_on_the_map(live_server, browser, settings):
    org = make_org("palanga-mp", country="LT")
    desk = make_person(org, [Role.COORDINATOR], username="egle.desk")
    drone = do_create_asset(org, kind=AssetKind.DRONE, tag="DR-2", actor=desk.user)
    # Flying needs the drone pilot competency the migrations ship.
    PersonCompetency.objects.create(
        person=desk, competency=Competency.objects.get(code="drone-pilot")
    )
    start = timezone.now() - datetime.timedelta(hours=2)
    flight = do_record_flight(
        drone,
        desk,
        started_at=start,
        ended_at=start + datetime.timedelta(minutes=15),
        purpose="Beach search",
        track_file_name="flight.gpx",
        track_bytes=GPX,
        actor=desk.user,
    )
    context = _phone(browser, live_server, settings, desk.user)
    page = context.new_page()
    try:
        page.goto(live_server.url + flight.get_absolute_url())
        page.locator("#map[data-loaded]").wait_for()
        assert page.locator("#map path.leaflet-interactive").count() == 1
    finally:
        context.close()
