"""Test personas: organizations and people with roles.

People are made through the real actions (audited, with roles), never by
writing rows behind the project's back. Logging them in is
``scape.core.testing.login``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from scape.directory.actions import do_create_person
from scape.directory.choices import Country, OrganizationKind
from scape.directory.models import Organization, Person

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test persona password
_seq = itertools.count(1)


def make_org(code: str | None = None, country: str = Country.LT, **fields: Any) -> Organization:
    """Create an organization with names in the three languages."""
    code = code or f"org-{next(_seq)}"
    defaults = {
        "name_lt": f"{code} LT",
        "name_lv": f"{code} LV",
        "name_en": f"{code} EN",
        "country": country,
        "kind": OrganizationKind.STATE_POLICE,
        "city": "Palanga" if country == Country.LT else "Liepāja",
    }
    defaults.update(fields)
    return Organization.objects.create(code=code, **defaults)


def make_person(
    org: Organization, roles: Iterable[str] = (), username: str | None = None, **fields: Any
) -> Person:
    """Create a person with a usable password and the given roles."""
    username = username or f"user{next(_seq)}"
    return do_create_person(
        organization=org,
        username=username,
        first_name=fields.pop("first_name", username.title()),
        last_name=fields.pop("last_name", "Tester"),
        roles=list(roles),
        password=PASSWORD,
        **fields,
    )
