"""A Liepāja officer reports an incident near the border and shares it with Palanga;
a Palanga specialist, whose map is already open, sees it appear without reloading."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from scape.core.choices import Role
from scape.core.testing import IMMEDIATE_TASKS, login
from scape.directory.testing import make_org, make_person
from scape.operations.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INCIDENTS = "/operations/geo/incidents.geojson"
COUNT = f"() => window.scapeMaps['ops-map'].layers['{INCIDENTS}'].getLayers().length"


def _context(browser: Any, live_server: Any, settings: Any, user: Any) -> Any:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    cookie = login(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context


def test_it_shows_a_shared_border_incident_on_the_partners_open_map(
    live_server: Any, browser: Any, settings: Any
) -> None:
    settings.SCAPE_LIVE_POLL_SECONDS = 1
    settings.TASKS = IMMEDIATE_TASKS
    # Incident types come from a migration; an earlier transactional test flushed them.
    import_module("scape.operations.migrations.0002_incident_types").seed(apps, None)
    liepaja = make_org("liepaja-mp", country="LV", name_en="Liepāja Municipal Police")
    palanga = make_org("palanga", country="LT", name_en="Palanga Municipality")
    officer = make_person(liepaja, [Role.OFFICER], username="edgars")
    specialist = make_person(palanga, [Role.SPECIALIST], username="tomas")

    watcher_context = _context(browser, live_server, settings, specialist.user)
    officer_context = _context(browser, live_server, settings, officer.user)
    try:
        watcher = watcher_context.new_page()
        watcher.goto(live_server.url + "/operations/map/")
        watcher.wait_for_function("() => document.getElementById('ops-map').dataset.loaded")
        assert watcher.evaluate(COUNT) == 0

        reporter = officer_context.new_page()
        reporter.goto(live_server.url + "/operations/incidents/new/")
        reporter.get_by_label("Type").select_option(label="Theft")
        reporter.get_by_label("Title").fill("E-bike stolen at the border")
        reporter.get_by_label("Latitude").fill("56.061")
        reporter.get_by_label("Longitude").fill("21.072")
        reporter.get_by_role("button", name="Report").click()
        reporter.locator(".messages").get_by_text("The incident was reported.").wait_for()
        reporter.get_by_role("link", name="Share with a partner").click()
        reporter.get_by_label("Share with").select_option(label="Palanga Municipality")
        reporter.get_by_label("Purpose").fill("Cross-border search")
        reporter.get_by_role("button", name="Share", exact=True).click()
        reporter.locator(".messages").get_by_text("The incident is now shared.").wait_for()

        # The partner's map, never reloaded, picks the incident up on a refresh.
        watcher.wait_for_function(f"() => ({COUNT})() === 1")
        incident = Incident.objects.get()
        watcher.locator(f"#map-list [data-incident='{incident.pk}']").wait_for()
        assert incident.reference in watcher.locator("#map-list").inner_text()
        # The top bar's live notification tells the partner too.
        watcher.locator(".notif-toast a").first.wait_for()
        # Later polls ask only for changes in the visible area; a status change
        # replaces the incident's marker rather than adding a second one.
        polls: list[str] = []
        watcher.on("request", lambda r: polls.append(r.url) if INCIDENTS in r.url else None)
        from scape.operations.actions import do_change_status

        do_change_status(incident, "assigned", actor=officer.user)
        status = f"""() => window.scapeMaps['ops-map'].layers['{INCIDENTS}'].getLayers()
            .map((l) => l.feature.properties.status).join()"""
        watcher.wait_for_function(f"() => ({status})() === 'assigned'")
        assert watcher.evaluate(COUNT) == 1
        assert any("changed_since=" in url and "bbox=" in url for url in polls)
    finally:
        watcher_context.close()
        officer_context.close()


def test_it_filters_the_incident_list_and_explains_an_empty_log_entry_on_a_phone(
    live_server: Any, browser: Any, settings: Any
) -> None:
    from scape.operations.actions import do_change_status, do_create_incident
    from scape.operations.models import IncidentType

    import_module("scape.operations.migrations.0002_incident_types").seed(apps, None)
    liepaja = make_org("liepaja-mp", country="LV", name_en="Liepāja Municipal Police")
    officer = make_person(liepaja, [Role.OFFICER], username="edgars")
    theft = IncidentType.objects.get(code="theft")
    worked = do_create_incident(
        type=theft, title="Bicycle taken from the pier", address="Liepāja", actor=officer.user
    )
    do_change_status(worked, "assigned", actor=officer.user)
    do_change_status(worked, "in_progress", actor=officer.user)
    do_create_incident(type=theft, title="Wallet lost", address="Liepāja", actor=officer.user)

    context = _context(browser, live_server, settings, officer.user)
    try:
        page = context.new_page()
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(live_server.url + "/operations/")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        status = page.get_by_label("Status")
        status.scroll_into_view_if_needed()
        box = status.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
        status.select_option(label="in progress")
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url("**/operations/?*status=in_progress*")
        listing = page.locator("table.list").inner_text()
        assert "Bicycle taken from the pier" in listing and "Wallet lost" not in listing

        page.get_by_role("link", name=worked.reference).click()
        page.get_by_label("Log entry").fill("   ")
        page.get_by_role("button", name="Add to the log").click()
        page.get_by_text("Write something in the entry.").wait_for()
        assert not worked.log.exists()
    finally:
        context.close()


def test_a_map_calls_no_outside_server_unless_one_is_set_and_says_when_it_has_no_background(
    live_server: Any, browser: Any, settings: Any
) -> None:
    import_module("scape.operations.migrations.0002_incident_types").seed(apps, None)
    palanga = make_org("palanga", country="LT", name_en="Palanga Municipality")
    specialist = make_person(palanga, [Role.SPECIALIST], username="tomas")
    context = _context(browser, live_server, settings, specialist.user)
    try:
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        settings.SCAPE_MAP_TILES_URL = ""
        page.goto(live_server.url + "/operations/map/")
        note = page.locator(".map-offline")
        note.wait_for()
        assert "No map background is set up" in note.inner_text()
        outside = [u for u in asked if not u.startswith((live_server.url, "data:", "blob:"))]
        assert outside == []
        # A tile server that cannot be reached (a closed network) is said too.
        settings.SCAPE_MAP_TILES_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
        page.goto(live_server.url + "/operations/map/")
        page.locator(".map-offline").wait_for()
        assert "cannot be reached" in page.locator(".map-offline").inner_text()
    finally:
        context.close()


def test_the_drawing_tool_speaks_the_readers_language(
    live_server: Any, browser: Any, settings: Any
) -> None:
    import_module("scape.operations.migrations.0002_incident_types").seed(apps, None)
    palanga = make_org("palanga", country="LT", name_en="Palanga Municipality")
    coordinator = make_person(palanga, [Role.COORDINATOR], username="rasa", ui_language="lt")
    context = _context(browser, live_server, settings, coordinator.user)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/operations/patrols/new/")
        polygon = page.locator("a.leaflet-draw-draw-polygon")
        polygon.wait_for()
        assert polygon.get_attribute("title") == "Braižyti plotą"
        assert page.locator("a.leaflet-draw-draw-circle").get_attribute("title") == (
            "Braižyti apskritimą"
        )
        assert page.locator("a.leaflet-draw-edit-edit").get_attribute("title") in (
            "Keisti figūras",
            "Nėra figūros, kurią būtų galima keisti",
        )
    finally:
        context.close()
