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
