"""The demo data: the four partners with their real addresses, people in every role."""

from __future__ import annotations

import pytest

from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.directory.demo import load_demo
from scape.directory.models import Organization, Person, RoleAssignment

pytestmark = pytest.mark.django_db


def test_it_loads_the_four_partners_with_their_addresses():
    load_demo()
    addresses = {o.code: (o.street, o.postal_code, o.city) for o in Organization.objects.all()}
    assert addresses["palanga"] == ("Vytauto g. 112", "LT-00153", "Palanga")
    assert addresses["klaipeda-police"] == ("Kauno g. 6", "LT-91154", "Klaipėda")
    assert addresses["liepaja-mp"] == ("Jelgavas iela 48", "LV-3401", "Liepāja")
    assert addresses["vp-kurzeme"][2] == "Rīga"


def test_every_role_and_volunteers_on_both_sides():
    load_demo()
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    volunteers = Person.objects.filter(role_assignments__role=Role.VOLUNTEER)
    assert {p.organization.country for p in volunteers} == {"LT", "LV"}
    assert Person.objects.get(user__username="janis.berzins").full_name == "Jānis Bērziņš"


def test_a_second_load_changes_nothing():
    load_demo()
    events = AuditEvent.objects.count()
    people = Person.objects.count()
    _logins, created = load_demo()
    assert created == 0
    assert Person.objects.count() == people
    assert AuditEvent.objects.count() == events
