"""A Palanga camera reads a car on Liepāja's shared hot-list: both sides see the alert live."""

from __future__ import annotations

import datetime
import json
import urllib.request

import pytest
from django.test import Client
from django.utils import timezone

from scape.core.choices import Role
from scape.core.testing import IMMEDIATE_TASKS, login
from scape.directory.testing import make_org, make_person
from scape.traffic.actions import do_create_camera, do_create_entry, do_share_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser, live_server, settings, user):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    cookie = login(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(live_server.url + "/traffic/")
    return context, page


def test_it_alerts_both_sides_without_reloading(live_server, browser, settings):
    settings.SCAPE_LIVE_POLL_SECONDS = 1
    settings.TASKS = IMMEDIATE_TASKS
    palanga = make_org("palanga", country="LT")
    liepaja = make_org("liepaja-mp", country="LV")
    pal_officer = make_person(palanga, [Role.OFFICER], username="tomas")
    pal_coord = make_person(palanga, [Role.COORDINATOR], username="rasa")
    lie_officer = make_person(liepaja, [Role.OFFICER], username="janis")
    entry = do_create_entry(
        liepaja, plate="KR-1234", country="LV", reason="stolen_vehicle", note="Grey VW Passat",
        valid_until=timezone.now() + datetime.timedelta(days=30), actor=lie_officer.user,
    )  # fmt: skip
    do_share_entry(entry, grantee=palanga, actor=lie_officer.user)
    camera, token = do_create_camera(
        palanga, name="A13 Palanga north", road="A13", latitude=55.9, longitude=21.08,
        actor=pal_coord.user,
    )  # fmt: skip

    contexts = []
    try:
        pages = []
        for user in (pal_officer.user, lie_officer.user):
            context, page = _page(browser, live_server, settings, user)
            contexts.append(context)
            pages.append(page)
        for page in pages:
            # The top bar has polled once and shows no alert yet.
            page.wait_for_load_state("networkidle")
            assert page.locator(".notif-toast a").count() == 0

        body = json.dumps(
            {"camera": camera.pk, "time": timezone.now().isoformat(), "plate": "KR-1234",
             "confidence": 0.91}
        ).encode()  # fmt: skip
        request = urllib.request.Request(
            live_server.url + "/api/v1/traffic/reads/ingest/",
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Camera {token}"},
            method="POST",
        )
        with urllib.request.urlopen(request) as response:
            assert response.status == 201
            assert json.loads(response.read())["hits"] == 1

        for page in pages:
            toast = page.locator(".notif-toast a").filter(has_text="KR-1234")
            toast.first.wait_for(timeout=10_000)
        # Each side opens the hit from its alert and sees the camera and the entry.
        for page in pages:
            page.locator(".notif-toast a").filter(has_text="KR-1234").first.click()
            page.locator("section.hit").wait_for()
            text = page.locator("section.hit").inner_text()
            assert "A13 Palanga north" in text and "Grey VW Passat" in text
    finally:
        for context in contexts:
            context.close()


def test_a_closed_pop_up_stays_closed_and_the_notification_unread(live_server, browser, settings):
    from scape.directory.notify import notify_people

    settings.SCAPE_LIVE_POLL_SECONDS = 1
    palanga = make_org("palanga", country="LT")
    officer = make_person(palanga, [Role.OFFICER], username="tomas")
    notify_people([officer], kind="test", title="Patrol moved to the pier")
    context, page = _page(browser, live_server, settings, officer.user)
    try:
        toast = page.locator(".notif-toast a").filter(has_text="Patrol moved to the pier")
        toast.wait_for()
        page.get_by_role("button", name="Close this message").click()
        toast.wait_for(state="detached")
        page.reload()
        page.wait_for_timeout(2500)  # two polls of the top bar
        assert toast.count() == 0
        assert page.get_by_test_id("notif-count").inner_text() == "1"  # still unread
    finally:
        context.close()
