"""On a phone (390 px wide) the pages of notices, activities and joint operations fit the screen.

A page wider than the screen scrolls sideways as a whole: the menu, the buttons and half
of every line slide out of sight. Long words (identifiers, e-mail addresses), fact lists
and wide tables used to push these pages to 400-680 px.
"""

from __future__ import annotations

import pytest
from django.test import Client

from scape.activities.models import Session
from scape.alerts.models import Notice
from scape.core import demo
from scape.core.choices import Action
from scape.core.testing import login
from scape.directory.models import Person
from scape.operations.models import Incident, Patrol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Elements sticking out to the right while their parent fits: what widens the page.
CULPRITS = """() => [...document.querySelectorAll('body *')]
  .filter(e => !e.closest('.leaflet-container, .notif-toast'))
  .filter(e => e.getBoundingClientRect().right > 391
               && e.parentElement.getBoundingClientRect().right <= 391)
  .slice(0, 3).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))"""


def test_it_fits_the_pages_on_a_phone(live_server, browser, settings):
    demo.load_all()
    rasa = Person.objects.get(user__username="rasa.petrauskiene")  # Lithuanian: long words
    user = rasa.user
    notice = Notice.objects.restrict(user, Action.VIEW).first()
    session = Session.objects.filter(activity__organization=rasa.organization).first()
    incident = Incident.objects.restrict(user, Action.VIEW).order_by("pk").first()
    patrol = Patrol.objects.restrict(user, Action.VIEW).first()
    activity = session.activity if session else None
    assert notice and activity and session and incident and patrol
    pages = [
        f"/alerts/manage/{notice.pk}/",
        notice.get_absolute_url(),
        activity.get_absolute_url(),
        f"/activities/sessions/{session.pk}/attendance/",
        "/activities/competencies/",
        "/activities/contacts/",
        "/operations/",
        incident.get_absolute_url(),
        "/operations/patrols/",
        patrol.get_absolute_url(),
        "/operations/patrols/new/",
    ]

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    cookie = login(Client(), rasa.user).cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    too_wide = {}
    try:
        for url in pages:
            response = page.goto(live_server.url + url)
            assert response is not None and response.status == 200, url
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                too_wide[url] = (width, page.evaluate(CULPRITS))
    finally:
        context.close()
    assert not too_wide, too_wide
