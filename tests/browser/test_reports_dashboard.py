"""A partner's officer filters the dashboard by period and partner, then opens the records
behind a figure."""

from __future__ import annotations

import importlib
import os

import pytest
from django.apps import apps
from django.test import Client

from scape.core.choices import Role
from scape.core.testing import login
from scape.directory.testing import make_org, make_person
from tests.reports.conftest import at, make_item

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_it_filters_the_dashboard_and_drills_down_to_the_records(live_server, browser, settings):
    # No notification polling: a poll still running when the test ends would race
    # the database flush of a transactional test.
    settings.SCAPE_LIVE_POLL_SECONDS = 3600
    # A transactional test starts from a flushed database: seed the indicators again.
    importlib.import_module("scape.reports.migrations.0002_seed_indicators").seed(apps, None)
    lt = make_org("klaipeda-police", country="LT")
    lv = make_org("kurzeme-police", country="LV")
    officer = make_person(lt, [Role.OFFICER], username="ruta")
    mine = make_item(lt, at(2025, 3, 1, 10), original_name="harbour-bodycam.mp4")
    make_item(lt, at(2025, 9, 1, 10), original_name="beach-bodycam.mp4")
    make_item(lv, at(2025, 5, 1, 10), original_name="liepaja-dashcam.mp4")
    make_item(lt, at(2024, 5, 1, 10), original_name="old.mp4")

    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    cookie = login(Client(), officer.user).cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/reports/")
        # Only the fields the kind of period needs are shown.
        assert not page.get_by_label("Quarter").is_visible()
        page.get_by_label("Period").select_option("quarter")
        assert page.get_by_label("Quarter").is_visible()
        assert not page.get_by_label("From").is_visible()
        page.get_by_label("Period").select_option("year")
        page.get_by_label("Year").fill("2025")
        page.get_by_label("Partner").select_option(label=lt.name_en)
        page.get_by_role("button", name="Show").click()
        card = page.locator('[data-indicator="evidence-ingested"]')
        assert card.locator(".value").inner_text() == "2"
        assert card.locator("svg").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        if os.environ.get("SCAPE_REPORTS_SHOT"):
            page.screenshot(path=os.environ["SCAPE_REPORTS_SHOT"], full_page=True)

        page.get_by_label("Partner").select_option("")
        page.get_by_role("button", name="Show").click()
        card = page.locator('[data-indicator="evidence-ingested"]')
        assert card.locator(".value").inner_text() == "3"
        assert page.locator('[data-indicator="incidents"] .value').inner_text() == "0"

        card.get_by_role("link").click()
        page.locator("table.records").wait_for()
        rows = page.locator("table.records tbody tr")
        assert rows.count() == 2
        assert "harbour-bodycam.mp4" in rows.first.inner_text()
        assert "liepaja-dashcam.mp4" not in page.content()
        assert "1 record of other organizations" in page.locator(".hidden-records").inner_text()
        rows.first.get_by_role("link").click()
        page.wait_for_url(f"**/vault/items/{mine.pk}/**")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
