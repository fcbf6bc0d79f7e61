"""The people list narrowed by search, organization and role."""

from __future__ import annotations

import pytest
from django.test import Client

from scape.core.choices import Role
from scape.core.testing import login
from scape.directory.testing import make_org, make_person

pytestmark = pytest.mark.django_db


def _names(response) -> set[str]:
    return {p.user.username for p in response.context["page"]}


def test_people_are_found_by_name_and_role_and_seen_once():
    org = make_org("pal")
    me = make_person(org, [Role.COORDINATOR], username="ruta")
    make_person(org, [Role.OFFICER, Role.CUSTODIAN], username="jonas", badge_number="LT-77")
    make_person(org, [Role.VOLUNTEER], username="ona")
    client = login(Client(), me.user)
    assert _names(client.get("/people/", {"q": "lt-77"})) == {"jonas"}
    by_role = client.get("/people/", {"role": Role.OFFICER})
    assert [p.user.username for p in by_role.context["page"]] == ["jonas"]  # once, not per role
    assert _names(client.get("/people/", {"organization": org.pk})) == {
        "ruta", "jonas", "ona"
    }  # fmt: skip
    other = make_org("lie")
    # An organization the user cannot choose is refused, not ignored.
    assert _names(client.get("/people/", {"organization": other.pk + 99})) == set()
