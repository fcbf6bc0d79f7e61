"""Who may do what: 4 organizations x 8 roles x view/change/delete/share.

Each actor is checked on a record of their own organization, on a record of
another organization shared with theirs, and on a record of a third
organization that was not shared. The expected answers are written out by
hand below, as the policy promises them to users, and checked three ways:
through the access door, the pages and the API.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from scape.core.actions import do_share_record
from scape.core.choices import Role
from scape.core.testing import login
from scape.directory.models import Person
from scape.directory.testing import make_org, make_person

ORGS = [("palanga", "LT"), ("klaipeda-police", "LT"), ("vp-kurzeme", "LV"), ("liepaja-mp", "LV")]

# v = view, c = change, d = delete (deactivate), s = share
OWN = {
    Role.OFFICER: "v",
    Role.SPECIALIST: "v",
    Role.VOLUNTEER: "",
    Role.COORDINATOR: "vs",
    Role.CUSTODIAN: "v",
    Role.AUDITOR: "v",
    Role.ORG_ADMIN: "vcds",
    Role.SYS_ADMIN: "vcd",
}
SHARED = {
    Role.OFFICER: "v",
    Role.SPECIALIST: "v",
    Role.VOLUNTEER: "",
    Role.COORDINATOR: "v",
    Role.CUSTODIAN: "v",
    Role.AUDITOR: "v",
    Role.ORG_ADMIN: "v",
    Role.SYS_ADMIN: "vcd",
}
UNSHARED = {role: ("vcd" if role == Role.SYS_ADMIN else "") for role in OWN}

PAGES = {
    "v": "/people/{}/",
    "c": "/people/{}/edit/",
    "d": "/people/{}/deactivate/",
    "s": "/people/{}/share/",
}


@pytest.fixture
def world(db):
    orgs = [make_org(code, country=country) for code, country in ORGS]
    subjects = [make_person(org, [Role.OFFICER], username=f"subject-{org.code}") for org in orgs]
    owner_admin = [make_person(org, [Role.ORG_ADMIN]) for org in orgs]
    # Each organization's subject is shared with the previous organization.
    for i in range(len(orgs)):
        grantee = orgs[i - 1]
        do_share_record(
            subjects[i],
            grantee=grantee,
            purpose="joint patrol contact",
            expires_at=timezone.now() + timedelta(days=7),
            actor=owner_admin[i].user,
        )
    return orgs, subjects


def _case_list():
    for i, (code, _country) in enumerate(ORGS):
        for role in OWN:
            yield pytest.param(i, role, id=f"{code}-{role}")


CASES = list(_case_list())


def _expected(role: str) -> list[tuple[int, str]]:
    # (offset of the record's organization from the actor's, expected letters)
    return [(0, OWN[role]), (1, SHARED[role]), (2, UNSHARED[role])]


@pytest.mark.parametrize(("org_index", "role"), CASES)
def test_the_access_door_answers_as_the_policy_promises(world, org_index, role):
    orgs, subjects = world
    actor = make_person(orgs[org_index], [role]).user
    for offset, letters in _expected(role):
        record = subjects[(org_index + offset) % 4]
        for letter, action in zip("vcds", ("view", "change", "delete", "share"), strict=True):
            allowed = Person.objects.restrict(actor, action).filter(pk=record.pk).exists()
            assert allowed == (letter in letters), (role, offset, action)


@pytest.mark.parametrize(("org_index", "role"), CASES)
def test_pages_answer_200_403_or_404_as_the_policy_promises(world, client, org_index, role):
    orgs, subjects = world
    actor = make_person(orgs[org_index], [role])
    login(client, actor.user)
    for offset, letters in _expected(role):
        record = subjects[(org_index + offset) % 4]
        for letter, url in PAGES.items():
            status = client.get(url.format(record.pk)).status_code
            if letter in letters:
                expected = 200
            elif "v" in letters:
                expected = 403
            else:
                expected = 404  # no existence leak
            assert status == expected, (role, offset, url)


@pytest.mark.parametrize(("org_index", "role"), CASES)
def test_the_api_answers_as_the_policy_promises(world, org_index, role):
    orgs, subjects = world
    actor = make_person(orgs[org_index], [role])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=actor.user).key)
    third = orgs[(org_index + 2) % 4].code
    for offset, letters in _expected(role):
        record = subjects[(org_index + offset) % 4]
        url = f"/api/v1/people/{record.pk}/"
        calls = [
            ("v", lambda url=url: api.get(url), 200),
            ("c", lambda url=url: api.patch(url, {"position": "Patrol"}, format="json"), 200),
            (
                "s",
                lambda url=url: api.post(
                    url + "share/",
                    {
                        "grantee": third,
                        "purpose": "exercise",
                        "expires_at": (timezone.now() + timedelta(days=1)).isoformat(),
                    },
                    format="json",
                ),
                201,
            ),
            ("d", lambda url=url: api.delete(url), 204),
        ]
        for letter, call, ok in calls:
            status = call().status_code
            expected = ok if letter in letters else (403 if "v" in letters else 404)
            # a share to the record's own organization is refused as bad input
            if letter == "s" and status == 400 and (org_index + 2) % 4 == (org_index + offset) % 4:
                continue
            assert status == expected, (role, offset, letter)


def test_a_volunteer_sees_only_their_own_record(world, client):
    orgs, _subjects = world
    volunteer = make_person(orgs[0], [Role.VOLUNTEER])
    visible = set(Person.objects.restrict(volunteer.user, "view").values_list("pk", flat=True))
    assert visible == {volunteer.pk}


def test_a_share_stops_working_after_revocation_and_after_expiry(world):
    from scape.core.actions import do_revoke_grant
    from scape.core.models import Grant

    orgs, subjects = world
    officer = make_person(orgs[0], [Role.OFFICER]).user
    shared = subjects[1]
    assert Person.objects.restrict(officer, "view").filter(pk=shared.pk).exists()
    grant = Grant.objects.get(object_id=shared.pk, grantee=orgs[0])
    admin = Person.objects.get(organization=orgs[1], role_assignments__role=Role.ORG_ADMIN).user
    do_revoke_grant(grant, actor=admin)
    assert not Person.objects.restrict(officer, "view").filter(pk=shared.pk).exists()

    expired = subjects[2]
    Grant.objects.filter(object_id=expired.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    lv_officer = make_person(orgs[1], [Role.OFFICER]).user
    assert not Person.objects.restrict(lv_officer, "view").filter(pk=expired.pk).exists()
