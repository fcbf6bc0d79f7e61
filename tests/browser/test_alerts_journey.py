"""A Palanga specialist drafts a beach closure in Lithuanian and English, a coordinator
approves and publishes it, and a visitor reads it in both languages and in the feed."""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client

from scape.alerts.models import Notice, SavedArea
from scape.core.choices import Role
from scape.core.testing import login
from scape.directory.testing import make_org, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context(browser, live_server, settings, user=None, phone=False):
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(locale="en-GB", viewport=size, is_mobile=phone, has_touch=phone)
    context.set_default_timeout(15_000)
    if user is not None:
        cookie = login(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    return context


def test_it_publishes_a_beach_closure_in_two_languages(live_server, browser, settings):
    org = make_org("palanga", country="LT")
    specialist = make_person(org, [Role.SPECIALIST], username="egle", first_name="Eglė")
    coordinator = make_person(org, [Role.COORDINATOR], username="rasa", first_name="Rasa")

    context = _context(browser, live_server, settings, specialist.user)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/alerts/manage/new/")
        page.get_by_label("Event", exact=True).fill("Beach closure")
        page.get_by_label("Public safety").check()
        page.get_by_label("Urgency").select_option("Immediate")
        page.get_by_label("Severity").select_option("Severe")
        page.get_by_label("Certainty").select_option("Observed")
        page.locator("#id_headline_lt").fill("Palangos paplūdimys uždarytas")
        page.locator("#id_description_lt").fill("Dėl audros paplūdimys uždarytas.")
        page.locator("#id_headline_en").fill("Palanga beach closed")
        page.locator("#id_description_en").fill("The beach is closed because of a storm.")
        page.get_by_label("Palanga beach").check()
        page.get_by_role("button", name="Save the draft").click()
        page.locator(".messages").get_by_text("The draft is saved.").wait_for()
        assert "Palangos paplūdimys uždarytas" in page.locator(".cap-xml").inner_text()
        page.get_by_role("button", name="Submit for approval").click()
        page.locator(".messages").get_by_text("Submitted for approval.").wait_for()
    finally:
        context.close()
    notice = Notice.objects.get()
    assert notice.state == "submitted"

    context = _context(browser, live_server, settings, coordinator.user)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/alerts/manage/")
        page.get_by_role("link", name="Palanga beach closed").click()
        page.get_by_role("button", name="Approve").click()
        page.locator(".messages").get_by_text("Approved.").wait_for()
        page.get_by_role("button", name="Publish").click()
        page.locator(".messages").get_by_text("Published.").wait_for()
    finally:
        context.close()

    context = _context(browser, live_server, settings, phone=True)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/alerts/")
        page.get_by_role("button", name="LT").click()
        page.get_by_role("link", name="Palangos paplūdimys uždarytas").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator("#map[data-loaded]").wait_for(state="attached")
        page.get_by_role("button", name="EN").click()
        page.get_by_role("link", name="Palanga beach closed").click()
        assert page.locator("article.notice-info").first.get_attribute("lang") == "en"
        assert "The beach is closed because of a storm." in page.locator("main").inner_text()
        assert page.locator('details[lang="lt"]').count() == 1
        feed = feedparser.parse(page.request.get(live_server.url + "/alerts/feed.atom").body())
    finally:
        context.close()
    notice.refresh_from_db()
    assert [entry.id for entry in feed.entries] == [
        f"{live_server.url}/alerts/{notice.identifier}.xml"
    ]
    assert feed.entries[0].title == "Palanga beach closed"


def test_a_specialist_saves_a_drawn_area_for_later_notices(live_server, browser, settings):
    org = make_org("palanga", country="LT")
    specialist = make_person(org, [Role.SPECIALIST], username="egle", first_name="Eglė")

    context = _context(browser, live_server, settings, specialist.user)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/alerts/manage/new/")
        page.get_by_label("Event", exact=True).fill("Pier closure")
        page.locator("#id_headline_lt").fill("Tiltas uždarytas")
        page.locator(".leaflet-draw-draw-polygon").click()
        box = page.locator("#map").bounding_box()
        corners = [(0.3, 0.3), (0.7, 0.3), (0.5, 0.7)]
        for x, y in [*corners, corners[0]]:
            page.mouse.click(box["x"] + box["width"] * x, box["y"] + box["height"] * y)
            page.wait_for_timeout(150)
        assert "Polygon" in page.locator("#id_areas").input_value()
        page.get_by_label("Name of the drawn area").fill("Palanga pier")
        page.get_by_role("button", name="Save as an area of my organization").click()
        page.locator(".messages").get_by_text("The area “Palanga pier” is saved").wait_for()
        assert page.get_by_label("Palanga pier").is_checked()
        assert page.locator("#id_headline_lt").input_value() == "Tiltas uždarytas"
        assert page.locator("#id_areas").input_value() == ""
    finally:
        context.close()
    saved = SavedArea.objects.get(name="Palanga pier")
    assert saved.organization == org and len(saved.polygon) == 4
