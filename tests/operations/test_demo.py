"""The operations demo: loads on top of the directory demo, once."""

from __future__ import annotations

import pytest

from scape.directory.demo import load_demo
from scape.operations.demo import demo_loader
from scape.operations.models import Incident, Patrol

pytestmark = pytest.mark.django_db


def test_it_loads_the_demo_once() -> None:
    load_demo()
    created, lines = demo_loader()
    assert created == 4 and lines
    assert Incident.objects.count() == 3 and Patrol.objects.count() == 1
    border = Incident.objects.get(organization__code="liepaja-mp", latitude__lt=56.1)
    assert border.log.values("organization").distinct().count() == 2
    patrol = Patrol.objects.get()
    assert {m.person.organization.code for m in patrol.members.all()} == {"palanga", "liepaja-mp"}
    assert demo_loader() == (0, [])
    assert Incident.objects.count() == 3


# Letters one of the two languages has and the other has not.
LATVIAN_ONLY = set("āēģīķļņĀĒĢĪĶĻŅ")
LITHUANIAN_ONLY = set("ąęėįųĄĘĖĮŲ")


def test_it_writes_the_demo_in_each_services_own_language() -> None:
    from scape.operations.queries import active_grants

    load_demo()
    demo_loader()
    texts: list[tuple[str, str]] = []  # (country of the organization that wrote it, text)
    for incident in Incident.objects.select_related("organization"):
        country = incident.organization.country
        texts += [(country, incident.title), (country, incident.description)]
        texts += [(g.owner.country, g.purpose) for g in active_grants(incident)]
        texts += [(e.organization.country, e.text) for e in incident.log.all()]
    for patrol in Patrol.objects.select_related("organization"):
        country = patrol.organization.country
        texts += [(country, patrol.title), (country, patrol.briefing), (country, patrol.route)]
    assert {country for country, _ in texts} == {"LT", "LV"}
    for country, text in texts:
        foreign = LATVIAN_ONLY if country == "LT" else LITHUANIAN_ONLY
        assert not foreign & set(text), (country, text)
