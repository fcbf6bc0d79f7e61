"""Feedback after the activity with a summary for organizers; the competency matrix."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from scape.activities.actions import do_give_feedback
from scape.activities.models import PersonCompetency
from scape.activities.queries import competency_matrix, feedback_summary

pytestmark = pytest.mark.django_db


def _lv(text: str) -> str:
    """Return the text as a Latvian user (the fixture's language) reads it."""
    with translation.override("lv"):
        return translation.gettext(text)


RATINGS = {"overall": 5, "content": 4, "trainers": 5, "organization": 3, "usefulness": 4}


@pytest.fixture
def past_training(make_activity, first_aid):
    start = timezone.now() - datetime.timedelta(days=3)
    return make_activity(
        starts_at=start, ends_at=start + datetime.timedelta(hours=4), competencies=[first_aid]
    )


def test_it_collects_feedback_and_summarises_it(past_training, santa, tomas, enrol):
    enrol(past_training, santa)
    enrol(past_training, tomas)
    do_give_feedback(past_training, ratings=RATINGS, comment="Very practical", actor=santa.user)
    do_give_feedback(past_training, ratings={**RATINGS, "overall": 4}, actor=tomas.user)
    summary = feedback_summary(past_training)
    assert summary["count"] == 2
    assert {str(k): v for k, v in summary["averages"]}["overall"] == 4.5
    assert summary["comments"] == ["Very practical"]


def test_it_refuses_feedback_twice_before_the_end_or_from_outsiders(
    past_training, training, santa, tomas, enrol
):
    enrol(past_training, santa)
    enrol(training, santa)
    do_give_feedback(past_training, ratings=RATINGS, actor=santa.user)
    with pytest.raises(ValidationError, match="already"):
        do_give_feedback(past_training, ratings=RATINGS, actor=santa.user)
    with pytest.raises(ValidationError, match="over"):
        do_give_feedback(training, ratings=RATINGS, actor=santa.user)
    with pytest.raises(PermissionDenied):
        do_give_feedback(past_training, ratings=RATINGS, actor=tomas.user)


def test_it_refuses_a_rating_out_of_range(past_training, santa, enrol):
    enrol(past_training, santa)
    with pytest.raises(ValidationError):
        do_give_feedback(past_training, ratings={**RATINGS, "content": 9}, actor=santa.user)


def test_it_shows_the_form_to_participants_and_the_summary_to_organizers(
    past_training, santa, rasa, enrol, logged_in, client
):
    enrol(past_training, santa)
    logged_in(santa)
    assert _lv("How was it?") in client.get(past_training.get_absolute_url()).content.decode()
    response = client.post(
        f"/activities/{past_training.pk}/feedback/",
        {**RATINGS, "comment": "Great beach drill"},
        follow=True,
    )
    assert _lv("Thank you for your feedback.") in response.content.decode()
    logged_in(rasa)
    page = client.get(past_training.get_absolute_url()).content.decode()
    assert "Great beach drill" in page and "1 answer" in page


def test_it_highlights_competencies_expiring_within_30_days(
    santa, tomas, first_aid, dace, logged_in, client
):
    today = timezone.localdate()
    PersonCompetency.objects.create(
        person=santa, competency=first_aid, valid_until=today + datetime.timedelta(days=10)
    )
    PersonCompetency.objects.create(
        person=tomas, competency=first_aid, valid_until=today + datetime.timedelta(days=200)
    )
    rows = competency_matrix([santa, tomas], [first_aid])
    assert rows[0].cells[0].held and rows[0].cells[0].expiring
    assert rows[1].cells[0].held and not rows[1].cells[0].expiring
    logged_in(dace)
    page = client.get("/activities/competencies/").content.decode()
    assert "Santa Ozoliņa" in page and 'class="held expiring"' in page
    assert "Tomas" not in page  # another organization's people are not in Liepāja's matrix


def test_it_shows_an_expired_competency_as_expired(santa, first_aid):
    PersonCompetency.objects.create(
        person=santa, competency=first_aid,
        valid_from=timezone.localdate() - datetime.timedelta(days=400),
    )  # fmt: skip
    (row,) = competency_matrix([santa], [first_aid])
    assert row.cells[0].expired and not row.cells[0].held
