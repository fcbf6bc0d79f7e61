"""The public pages: current notices with a map, one page per notice, the CAP message."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from scape.alerts.actions import do_derive_notice
from scape.alerts.models import Notice
from scape.core.choices import Role
from tests.alerts.cap_rules import validate_cap
from tests.alerts.conftest import advance

pytestmark = pytest.mark.django_db


def test_it_lists_current_notices_to_anyone_in_their_language(make_notice: Any) -> None:
    make_notice("published")
    make_notice("approved", infos={"en": {"headline": "Not yet published"}})
    page = Client().get("/alerts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Beach closed" in html and "Not yet published" not in html
    assert 'data-layers="[{&quot;name&quot;' in html
    lithuanian = Client()
    lithuanian.cookies["scape_language"] = "lt"
    html = lithuanian.get("/alerts/").content.decode()
    assert "Paplūdimys uždarytas" in html and "Beach closed" not in html


def test_it_leaves_out_expired_and_cancelled_notices(
    make_notice: Any, specialist: Any, coordinator: Any
) -> None:
    soon = timezone.now() + datetime.timedelta(minutes=5)
    expired = make_notice("published", infos={"en": {"headline": "Old storm"}}, expires=soon)
    Notice.objects.filter(pk=expired.pk).update(
        expires=timezone.now() - datetime.timedelta(minutes=1)
    )
    original = make_notice("published", infos={"en": {"headline": "Cancelled closure"}})
    cancel = do_derive_notice(original, "Cancel", actor=specialist.user)
    advance(cancel, "published", specialist, coordinator)
    html = Client().get("/alerts/").content.decode()
    assert "Old storm" not in html
    # The cancel message tells people; the cancelled original is gone from the list.
    assert html.count("Cancelled closure") == 1
    assert cancel.get_absolute_url() in html and original.get_absolute_url() not in html
    page = Client().get(original.get_absolute_url()).content.decode()
    assert "This notice was cancelled." in page and cancel.get_absolute_url() in page


def test_a_notice_page_shows_the_visitors_language_first_and_the_others(make_notice: Any) -> None:
    notice = make_notice("published")
    client = Client()
    client.cookies["scape_language"] = "lt"
    html = client.get(notice.get_absolute_url()).content.decode()
    assert html.index("Paplūdimys uždarytas") < html.index("Beach closed")
    assert '<article class="notice-info" lang="lt">' in html
    assert '<details lang="en">' in html
    # A language the notice is not written in falls back to English.
    client.cookies["scape_language"] = "lv"
    html = client.get(notice.get_absolute_url()).content.decode()
    assert '<article class="notice-info" lang="en">' in html


def test_drafts_are_not_public(make_notice: Any) -> None:
    notice = make_notice("approved")
    assert Client().get(notice.get_absolute_url()).status_code == 404
    assert Client().get(f"/alerts/{notice.identifier}.xml").status_code == 404


def test_the_cap_message_is_served_as_cap_xml(make_notice: Any) -> None:
    notice = make_notice("published")
    response = Client().get(f"/alerts/{notice.identifier}.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/cap+xml")
    assert validate_cap(response.content) == []
    assert b"<web>http://testserver/alerts/" in response.content


def test_a_partners_only_notice_is_shown_to_partner_members_only(
    make_notice: Any, liepaja: Any, persona: Any, logged_in: Any
) -> None:
    notice = make_notice("published", scope="Restricted", restriction="Partner police")
    anonymous = Client()
    assert anonymous.get(notice.get_absolute_url()).status_code == 404
    assert anonymous.get(f"/alerts/{notice.identifier}.xml").status_code == 404
    assert "Beach closed" not in anonymous.get("/alerts/").content.decode()
    assert notice.identifier not in anonymous.get("/alerts/feed.atom").content.decode()
    client = logged_in(persona(liepaja, Role.OFFICER))
    assert client.get(notice.get_absolute_url()).status_code == 200
    assert client.get(f"/alerts/{notice.identifier}.xml").status_code == 200
    assert "Beach closed" in client.get("/alerts/").content.decode()


def test_the_map_layer_has_the_areas_of_current_notices(make_notice: Any) -> None:
    notice = make_notice(
        "published",
        areas=[
            {"area_desc": "Beach", "polygon": [[55.9, 21.0], [55.9, 21.1], [55.8, 21.1]]},
            {"area_desc": "Pier", "circle": [55.92, 21.04, 0.3]},
        ],
    )
    make_notice("draft")
    response = Client().get("/alerts/areas.geojson")
    assert response["Content-Type"] == "application/geo+json"  # RFC 7946 12
    data = response.json()
    assert len(data["features"]) == 2
    polygon, circle = data["features"]
    assert polygon["geometry"]["coordinates"][0][0] == [21.0, 55.9]
    assert circle["properties"]["radius"] == 300
    assert polygon["properties"]["url"] == notice.get_absolute_url()


def test_the_public_page_fits_a_phone_screen(make_notice: Any) -> None:
    make_notice("published")
    html = Client().get("/alerts/").content.decode()
    assert 'name="viewport"' in html and 'class="map small"' in html
