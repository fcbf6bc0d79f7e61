"""The staff pages: compose with saved or drawn areas, preview, submit, approve, publish."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from scape.alerts.models import Notice, SavedArea
from scape.core.choices import Role
from scape.core.testing import login
from tests.alerts.cap_rules import validate_cap

pytestmark = pytest.mark.django_db


def _post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "event": "Beach closure",
        "category": ["Safety"],
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Observed",
        "status": "Actual",
        "scope": "Public",
        "headline_lt": "Paplūdimys uždarytas",
        "description_lt": "Audra.",
        "headline_en": "Beach closed",
        "expires": "2099-07-01T18:00",
        "saved_areas": [SavedArea.objects.get(name="Palanga beach").pk],
    }
    data.update(overrides)
    return data


def test_the_seeded_areas_are_there(db: Any) -> None:
    names = set(SavedArea.objects.values_list("name", flat=True))
    assert {"Palanga beach", "Liepāja centre", "Šventoji beach", "Liepāja beach"} <= names
    for area in SavedArea.objects.all():
        assert area.polygon[0] == area.polygon[-1] and len(area.polygon) >= 4


def test_a_specialist_drafts_a_notice_with_a_saved_area(
    palanga: Any, specialist: Any, logged_in: Any
) -> None:
    client = logged_in(specialist)
    page = client.get("/alerts/manage/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-draw-input="id_areas"' in html and 'id="id_areas"' in html
    assert "Palanga beach" in html
    response = client.post("/alerts/manage/new/", _post())
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/alerts/manage/{notice.pk}/"
    assert notice.state == "draft" and notice.organization == palanga
    assert [(i.language, i.headline) for i in notice.ordered_infos()] == [
        ("lt", "Paplūdimys uždarytas"),
        ("en", "Beach closed"),
    ]
    assert [a.area_desc for a in notice.areas.all()] == ["Palanga beach"]
    # Local wall time of Palanga (summer: UTC+3).
    assert notice.expires.isoformat() == "2099-07-01T15:00:00+00:00"
    preview = client.get(f"/alerts/manage/{notice.pk}/").content.decode()
    assert "Preview of the public page" in preview and "&lt;identifier&gt;" in preview
    xml = client.get(f"/alerts/manage/{notice.pk}/preview.xml")
    assert validate_cap(xml.content) == []


def test_a_drawn_polygon_and_circle_become_areas(specialist: Any, logged_in: Any) -> None:
    drawn = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[21.05, 55.93], [21.06, 55.93], [21.06, 55.92], [21.05, 55.93]]
                    ],
                },
            },
            {
                "type": "Feature",
                "properties": {"radius": 250},
                "geometry": {"type": "Point", "coordinates": [21.04, 55.92]},
            },
        ],
    }
    client = logged_in(specialist)
    client.post(
        "/alerts/manage/new/", _post(saved_areas=[], drawn=json.dumps(drawn), area_desc="Pier")
    )
    notice = Notice.objects.get()
    polygon, circle = notice.areas.all()
    assert polygon.polygon[0] == [55.93, 21.05] and polygon.area_desc == "Pier"
    assert (circle.circle_lat, circle.circle_lon, circle.circle_radius_km) == (55.92, 21.04, 0.25)


def test_errors_are_shown_in_the_form_in_the_users_language(
    specialist: Any, logged_in: Any
) -> None:
    client = logged_in(specialist)
    client.cookies["scape_language"] = "lt"
    response = client.post(
        "/alerts/manage/new/",
        _post(saved_areas=[], headline_lt="", headline_en="", description_lt="", event=""),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="errors"' in html
    assert not Notice.objects.exists()
    response = client.post("/alerts/manage/new/", _post(saved_areas=[]))
    assert response.status_code == 400
    assert "id_areas" in response.content.decode()
    assert not Notice.objects.exists()


def test_the_workflow_through_the_pages(
    make_notice: Any, specialist: Any, coordinator: Any, logged_in: Any
) -> None:
    notice = make_notice("draft")
    boss = login(Client(), coordinator.user)
    # No publication without approval: refused with a message, nothing changes.
    response = boss.post(f"/alerts/manage/{notice.pk}/publish/", follow=True)
    assert "A notice is published only after approval." in response.content.decode()
    notice.refresh_from_db()
    assert notice.state == "draft"
    author = logged_in(specialist)
    assert author.post(f"/alerts/manage/{notice.pk}/publish/").status_code == 403
    author.post(f"/alerts/manage/{notice.pk}/submit/")
    notice.refresh_from_db()
    assert notice.state == "submitted"
    # The author (a specialist) cannot approve.
    assert author.post(f"/alerts/manage/{notice.pk}/approve/").status_code == 403
    page = boss.get(f"/alerts/manage/{notice.pk}/").content.decode()
    assert "Approve" in page
    boss.post(f"/alerts/manage/{notice.pk}/approve/")
    boss.post(f"/alerts/manage/{notice.pk}/publish/")
    notice.refresh_from_db()
    assert notice.state == "published"
    assert Client().get(notice.get_absolute_url()).status_code == 200
    response = boss.post(f"/alerts/manage/{notice.pk}/cancel/")
    cancel = Notice.objects.get(msg_type="Cancel")
    assert response["Location"] == f"/alerts/manage/{cancel.pk}/edit/"
    assert cancel.references == [notice.reference]
    assert boss.get(f"/alerts/manage/{cancel.pk}/edit/").status_code == 200
    assert boss.post(f"/alerts/manage/{notice.pk}/nonsense/").status_code == 404


def test_other_organizations_cannot_see_drafts(
    make_notice: Any, liepaja: Any, persona: Any, logged_in: Any
) -> None:
    notice = make_notice("submitted")
    client = logged_in(persona(liepaja, Role.COORDINATOR))
    assert client.get(f"/alerts/manage/{notice.pk}/").status_code == 404
    assert client.get(f"/alerts/manage/{notice.pk}/preview.xml").status_code == 404
    assert client.post(f"/alerts/manage/{notice.pk}/approve/").status_code == 404
    assert notice.identifier not in client.get("/alerts/manage/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(db: Any) -> None:
    assert Client().get("/alerts/manage/").status_code == 302
    assert Client().get("/alerts/manage/new/").status_code == 302


def test_a_volunteer_cannot_compose(palanga: Any, persona: Any, logged_in: Any) -> None:
    client = logged_in(persona(palanga, Role.VOLUNTEER))
    assert client.get("/alerts/manage/new/").status_code == 403


def test_it_offers_managing_notices_only_to_who_can_read_them(
    palanga: Any, persona: Any, make_notice: Any, logged_in: Any
) -> None:
    """A volunteer was led to an empty "Manage notices" list: their drafts are not theirs."""
    make_notice("draft")
    client = logged_in(persona(palanga, Role.VOLUNTEER))
    assert "/alerts/manage/" not in client.get("/alerts/").content.decode()
    assert client.get("/alerts/manage/").status_code == 403

    client = logged_in(persona(palanga, Role.OFFICER))
    assert "/alerts/manage/" in client.get("/alerts/").content.decode()
    assert "Beach closed" in client.get("/alerts/manage/").content.decode()


def test_an_update_keeps_its_texts_and_areas_through_the_edit_form(
    make_notice: Any, specialist: Any, logged_in: Any
) -> None:
    from scape.alerts.actions import do_derive_notice
    from scape.alerts.forms import NoticeForm

    original = make_notice(
        "published",
        areas=[
            {"area_desc": "Beach", "polygon": [[55.9, 21.0], [55.9, 21.1], [55.8, 21.1]]},
            {"area_desc": "Pier", "circle": [55.92, 21.04, 0.3]},
        ],
    )
    update = do_derive_notice(original, "Update", actor=specialist.user)
    initial = NoticeForm.initial_for(update, "Europe/Vilnius")
    data = {key: value for key, value in initial.items() if value not in (None, "")}
    data["headline_en"] = "Beach closed until Sunday"
    client = logged_in(specialist)
    assert client.get(f"/alerts/manage/{update.pk}/edit/").status_code == 200
    response = client.post(f"/alerts/manage/{update.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    update.refresh_from_db()
    assert update.info_for("en").headline == "Beach closed until Sunday"
    assert update.info_for("lt").headline == "Paplūdimys uždarytas"
    assert [(a.area_desc, a.is_circle) for a in update.areas.all()] == [
        ("Beach", False),
        ("Pier", True),
    ]
    assert update.areas.get(area_desc="Pier").circle_radius_km == 0.3
    assert update.references == [original.reference]
    # A published notice is not edited in place.
    response = client.get(f"/alerts/manage/{original.pk}/edit/")
    assert response.status_code == 302


def test_urgency_severity_and_certainty_are_chosen_not_preset(
    palanga: Any, specialist: Any, logged_in: Any
) -> None:
    import re

    client = logged_in(specialist)
    html = client.get("/alerts/manage/new/").content.decode()
    for name in ("urgency", "severity", "certainty"):
        select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
        assert '<option value="" selected>' in select
    response = client.post("/alerts/manage/new/", _post(urgency="", severity="", certainty=""))
    assert response.status_code == 400 and not Notice.objects.exists()
    assert response.content.decode().count("This field is required.") >= 3
