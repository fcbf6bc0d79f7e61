"""The programme pages: list, map data, calendar month, ownership of organizer actions."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_lists_the_joint_programme_to_every_partner(make_activity, santa, logged_in, client):
    make_activity(
        title_en="Beach patrol drill",
        title_lv="Pludmales patruļas mācības",
        latitude="55.918900",
        longitude="21.068100",
    )
    logged_in(santa)  # a Latvian volunteer reads the Latvian title
    page = client.get("/activities/").content.decode()
    assert "Pludmales patruļas mācības" in page and "data-map" in page
    collection = client.get("/activities/geo/activities.geojson").json()
    (feature,) = collection["features"]
    assert feature["geometry"]["coordinates"] == [21.0681, 55.9189]
    assert feature["properties"]["url"].startswith("/activities/")


def test_it_keeps_the_programme_from_anonymous_visitors(training):
    assert Client().get("/activities/").status_code == 302
    assert Client().get(training.get_absolute_url()).status_code == 302


def test_it_shows_organizer_tools_to_organizers_only(
    training, two_sessions, santa, rasa, logged_in, client
):
    logged_in(santa)
    page = client.get(training.get_absolute_url()).content.decode()
    assert "For the organizers" not in page and "Sign-in sheet" not in page
    assert client.post(f"/activities/{training.pk}/certificates/").status_code == 403
    assert client.get(f"/activities/sessions/{two_sessions[0].pk}/sign-in.pdf").status_code == 403
    logged_in(rasa)
    page = client.get(training.get_absolute_url()).content.decode()
    assert "For the organizers" in page and "Sign-in sheet" in page


def test_it_adds_a_session_and_refuses_one_that_ends_first(training, rasa, logged_in, client):
    logged_in(rasa)
    url = f"/activities/{training.pk}/sessions/"
    bad = client.post(
        url, {"starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T09:00"}, follow=True
    )
    assert "The end must be after the start." in bad.content.decode()
    good = client.post(
        url,
        {"starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T12:30", "place": "Hall"},
        follow=True,
    )
    assert "Session added." in good.content.decode()
    assert training.sessions.get().hours == 2.5


def test_it_says_why_a_status_change_was_not_made(training, rasa, logged_in, client):
    """A status the form does not know was dropped without a word; the organizer is told now."""
    logged_in(rasa)
    url = f"/activities/{training.pk}/status/"
    page = client.post(url, {"status": "finished-maybe"}, follow=True).content.decode()
    assert "Choose a status." in page and "Status changed." not in page
    training.refresh_from_db()
    assert training.status != "finished-maybe"
    page = client.post(url, {"status": "completed"}, follow=True).content.decode()
    assert "Status changed." in page
    assert '<label for="id_status">' in page
