"""Calendar feeds (parsed back with icalendar), the calendar page, and the contact directory."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone, translation
from icalendar import Calendar

from scape.activities.actions import do_get_calendar_feed, do_register, do_save_contact_card
from scape.activities.choices import ActivityStatus
from scape.activities.models import CalendarFeed
from scape.core.choices import Role

pytestmark = pytest.mark.django_db


def _lv(text: str) -> str:
    """Return the text as a Latvian user (the fixture's language) reads it."""
    with translation.override("lv"):
        return translation.gettext(text)


def events(body: bytes) -> list:
    return [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]


def test_it_serves_a_persons_feed_without_login(training, make_activity, santa):
    do_register(training, santa, actor=santa.user)
    make_activity(title_en="Not mine")
    feed = do_get_calendar_feed(santa, actor=santa.user)
    response = Client().get(f"/activities/feeds/{feed.token}/mine.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    (event,) = events(response.content)
    assert str(event["summary"]) in {"First-aid training", "Pirmās palīdzības mācības"}
    assert event.decoded("dtstart") == training.starts_at.replace(microsecond=0)
    assert event.decoded("dtend") == training.ends_at.replace(microsecond=0)
    assert "Palanga" in str(event["location"])
    assert str(event["url"]).endswith(training.get_absolute_url())


def test_it_serves_an_organizations_feed(make_activity, rasa, palanga):
    make_activity(title_en="Beach patrol drill")
    make_activity(title_en="Secret draft", status=ActivityStatus.DRAFT)
    feed = do_get_calendar_feed(rasa, actor=rasa.user)
    body = Client().get(f"/activities/feeds/{feed.token}/organization.ics").content
    summaries = {str(e["summary"]) for e in events(body)}
    assert "Beach patrol drill" in summaries and "Secret draft" not in summaries


def test_it_refuses_an_unknown_or_renewed_token(santa):
    old = do_get_calendar_feed(santa, actor=santa.user).token
    new = do_get_calendar_feed(santa, actor=santa.user, renew=True).token
    assert old != new
    assert Client().get(f"/activities/feeds/{old}/mine.ics").status_code == 404
    assert Client().get("/activities/feeds/guess/mine.ics").status_code == 404


def test_it_shows_the_month_and_creates_feed_links(training, santa, logged_in, client):
    logged_in(santa)
    month = training.starts_at.strftime("%Y-%m")
    page = client.get(f"/activities/calendar/?month={month}").content.decode()
    assert "First-aid training" in page or "Pirmās palīdzības mācības" in page
    client.post("/activities/calendar/subscribe/")
    token = CalendarFeed.objects.get(person=santa).token
    assert (
        f"/activities/feeds/{token}/mine.ics"
        in client.get("/activities/calendar/").content.decode()
    )


def test_it_lists_contact_cards_across_the_border(
    santa, rasa, dace, logged_in, client, persona, liepaja
):
    do_save_contact_card(
        rasa,
        actor=rasa.user,
        role="Programme coordinator",
        topics="Joint trainings\nBeach season",
        talk_group="PAL-COORD",
        visible=True,
    )
    hidden = persona(liepaja, Role.OFFICER, first_name="Hidden", last_name="Person")
    do_save_contact_card(hidden, actor=hidden.user, role="x", visible=False)
    logged_in(santa)
    page = client.get("/activities/contacts/").content.decode()
    assert "Rasa Petrauskienė" in page and "Beach season" in page and "PAL-COORD" in page
    assert "Hidden Person" not in page


def test_it_exports_vcards(rasa, santa, logged_in, client):
    rasa.phone = "+370 600 00000"
    rasa.radio_call_sign = "PAL-01"
    rasa.languages = ["lt", "lv"]
    rasa.save()
    do_save_contact_card(
        rasa,
        actor=rasa.user,
        role="Coordinator",
        topics="Trainings, events",
        talk_group="TG-7",
        visible=True,
    )
    logged_in(santa)
    response = client.get("/activities/contacts.vcf")
    assert response["Content-Type"].startswith("text/vcard")
    lines = response.content.decode().split("\r\n")
    assert lines[0] == "BEGIN:VCARD" and "VERSION:3.0" in lines
    assert "FN:Rasa Petrauskienė" in lines
    assert "TEL;TYPE=WORK,VOICE:+370 600 00000" in lines
    assert "X-SCAPE-RADIO:PAL-01 / TG-7" in lines
    assert "NOTE:Trainings\\, events" in lines
    assert "END:VCARD" in lines


def test_a_multi_line_note_and_long_lines_keep_every_card_readable(
    rasa, santa, dace, logged_in, client
):
    from icalendar.cal import Component

    topics = "Trainings\r\nEvents on the beach; bicycles\r\n" + "Šventoji ąčęėįšųūž " * 8
    do_save_contact_card(rasa, actor=rasa.user, role="Coordinator", topics=topics, visible=True)
    do_save_contact_card(dace, actor=dace.user, role="Coordinator", topics="Patrols", visible=True)
    logged_in(santa)
    text = client.get("/activities/contacts.vcf").content
    assert b"\r" not in text.replace(b"\r\n", b"")  # no bare CR inside a line
    for line in text.split(b"\r\n"):
        assert len(line) <= 75  # octets, folded (RFC 6350 3.2)
        line.decode()  # never cut inside a UTF-8 character
    # An independent parser reads both cards, the note whole and unchanged.
    cards = list(Component.from_ical(text.decode(), multiple=True))
    assert [c.name for c in cards] == ["VCARD", "VCARD"]
    notes = {str(c.get("FN")): c.get("NOTE").to_ical().decode() for c in cards}
    unescaped = notes["Rasa Petrauskienė"].replace("\\n", "\n").replace("\\;", ";")
    assert unescaped == topics.strip().replace("\r\n", "\n")
    assert notes["Dace Kļaviņa"] == "Patrols"


def test_it_keeps_contacts_from_anonymous_visitors(rasa):
    assert Client().get("/activities/contacts/").status_code == 302
    assert Client().get("/activities/contacts.vcf").status_code == 302


def test_it_lets_only_the_person_or_their_coordinator_change_a_card(rasa, santa, dace):
    from django.core.exceptions import PermissionDenied

    do_save_contact_card(santa, actor=dace.user, role="Volunteer")
    with pytest.raises(PermissionDenied):
        do_save_contact_card(santa, actor=rasa.user, role="x")


def test_it_saves_my_card_from_the_page(santa, logged_in, client):
    logged_in(santa)
    response = client.post(
        "/activities/contacts/",
        {"role": "Beach volunteer", "topics": "Lost children", "talk_group": "", "visible": "on"},
        follow=True,
    )
    assert _lv("Your contact card is saved.") in response.content.decode()
    assert "Lost children" in response.content.decode()
    assert datetime.date.today()


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2026-13", "x", "2026-1-1"])
def test_it_shows_the_current_month_for_a_month_it_cannot_show(month, santa, logged_in, client):
    """The first and last months Python knows have no neighbours to link: a server error."""
    logged_in(santa)
    response = client.get(f"/activities/calendar/?month={month}")
    assert response.status_code == 200
    before = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    assert f"?month={before.strftime('%Y-%m')}" in response.content.decode()
