"""The activities demo speaks the partners' languages: contact cards and topics are written
in the person's or the organizing organization's language."""

from __future__ import annotations

from typing import Any

import pytest

from scape.activities.demo import load_demo
from scape.activities.models import Activity, ContactCard
from scape.directory.demo import load_demo as load_directory

pytestmark = pytest.mark.django_db

# Words that would show the demo text fell back to English.
ENGLISH = ("coordinator", "Joint", "Deputy", "Duty", "police", "CPR", "Beach", "incidents")


def test_contact_cards_are_in_the_persons_language(db: Any) -> None:
    load_directory()
    load_demo()
    cards = {
        card.person.user.username: card
        for card in ContactCard.objects.select_related("person__user", "person__organization")
    }
    assert cards["rasa.petrauskiene"].role == "Programos koordinatorė, Palanga"
    assert cards["dace.klavina"].role == "Programmas koordinatore, Liepāja"
    assert "Pārrobežu incidenti" in cards["kristaps.krumins"].topics
    assert "Klaipėdos apskrityje" in cards["rimantas.urbonas"].topics
    for card in cards.values():
        for word in ENGLISH:
            assert word not in card.role and word not in card.topics, (card.role, card.topics)


def test_activity_topics_are_in_the_organizers_language(db: Any) -> None:
    load_directory()
    load_demo()
    training = Activity.objects.get(title_en="Joint first-aid training before the summer season")
    assert training.organization.country == "LT"
    assert "Gaivinimas ir AED naudojimas" in training.topics
    assert not any(word in training.topics for word in ENGLISH)
    # Titles keep their lt/lv/en fields; a second run creates nothing.
    assert training.title_lt.startswith("Bendri pirmosios pagalbos")
    assert load_demo() == 0
    assert ContactCard.objects.count() == 4


def test_a_demo_loaded_in_english_earlier_is_brought_to_the_partners_languages(db: Any) -> None:
    load_directory()
    load_demo()
    ContactCard.objects.filter(person__user__username="dace.klavina").update(
        role="Programme coordinator, Liepāja", topics="Joint trainings\nMunicipal police duty"
    )
    Activity.objects.filter(title_en__startswith="Joint first-aid").update(
        topics="CPR and AED\nBeach incidents\nWorking with a language barrier"
    )
    assert load_demo() == 0
    card = ContactCard.objects.get(person__user__username="dace.klavina")
    assert card.role == "Programmas koordinatore, Liepāja"
    assert card.topics.startswith("Kopīgas mācības")
    training = Activity.objects.get(title_en__startswith="Joint first-aid")
    assert training.topics.startswith("Gaivinimas")
