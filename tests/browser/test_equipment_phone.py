"""On a phone, the equipment desk scans a camera's label, checks it out, then back in."""

from __future__ import annotations

import pytest
from django.test import Client

from scape.core.choices import Role
from scape.core.testing import login
from scape.directory.testing import make_org, make_person
from scape.equipment.actions import do_create_asset
from scape.equipment.choices import AssetKind, AssetStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_checks_a_camera_out_and_in_on_a_phone(live_server, browser, settings):
    org = make_org("palanga-mp", country="LT")
    desk = make_person(org, [Role.COORDINATOR], username="egle.desk")
    make_person(org, [Role.OFFICER], username="tomas", first_name="Tomas", last_name="Kazlauskas")
    camera = do_create_asset(
        org, kind=AssetKind.BODY_CAMERA, tag="BC-014", serial="AX-9", actor=desk.user
    )

    context = browser.new_context(
        locale="en-GB", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    client = login(Client(), desk.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    try:
        # Scanning the label opens the asset's absolute URL.
        page.goto(live_server.url + camera.get_absolute_url())
        assert page.locator("h1").inner_text().startswith("BC-014")
        page.get_by_label("Person").select_option(label="Tomas Kazlauskas")
        page.get_by_role("button", name="Check out").click()
        page.locator(".messages").get_by_text("Checked out to Tomas Kazlauskas").wait_for()
        assert "Tomas Kazlauskas" in page.locator(".held-by").inner_text()
        # The page fits the phone: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        page.get_by_label("Condition on return").fill("Clip loose")
        page.get_by_role("button", name="Check in").click()
        page.locator(".messages").get_by_text("Checked in.").wait_for()
        row = page.locator("table.history tbody tr").first
        assert "Tomas Kazlauskas" in row.inner_text() and "Clip loose" in row.inner_text()
        assert page.get_by_role("button", name="Check out").is_visible()
    finally:
        context.close()
    camera.refresh_from_db()
    assert camera.status == AssetStatus.AVAILABLE
