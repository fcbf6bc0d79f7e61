"""The directory API: token auth, pagination, filters, bad input, OpenAPI."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.directory.models import Person

pytestmark = pytest.mark.django_db


def _api(person) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=person.user).key)
    return api


def test_it_refuses_anonymous_and_bad_tokens():
    assert APIClient().get("/api/v1/people/").status_code in (401, 403)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get("/api/v1/people/").status_code == 401


def test_it_paginates_and_filters_people(lt_org, lv_org, persona):
    admin = persona(lt_org, Role.SYS_ADMIN)
    for _ in range(3):
        persona(lt_org, Role.OFFICER)
        persona(lv_org, Role.VOLUNTEER)
    data = _api(admin).get("/api/v1/people/", {"organization__code": lv_org.code}).json()
    assert data["count"] == 3
    assert {p["organization"] for p in data["results"]} == {lv_org.code}
    assert all(p["roles"] == ["volunteer"] for p in data["results"])


def test_organizations_are_listed_for_every_member(lt_org, lv_org, persona):
    volunteer = persona(lv_org, Role.VOLUNTEER)
    codes = {o["code"] for o in _api(volunteer).get("/api/v1/organizations/").json()["results"]}
    assert codes == {lt_org.code, lv_org.code}


def test_an_org_admin_creates_a_person_in_their_organization_only(lt_org, lv_org, persona):
    admin = persona(lt_org, Role.ORG_ADMIN)
    api = _api(admin)
    body = {
        "username": "new.officer",
        "first_name": "Naujas",
        "last_name": "Pareigūnas",
        "organization": lt_org.code,
        "roles": ["officer"],
        "languages": ["lt", "lv"],
    }
    created = api.post("/api/v1/people/", body, format="json")
    assert created.status_code == 201, created.json()
    person = Person.objects.get(user__username="new.officer")
    assert person.role_codes() == ["officer"]
    assert AuditEvent.objects.filter(
        action="directory.person_created", object_id=str(person.pk)
    ).exists()
    other = api.post(
        "/api/v1/people/", {**body, "username": "x.y", "organization": lv_org.code}, format="json"
    )
    assert other.status_code == 403


def test_bad_input_gets_field_messages_and_changes_nothing(lt_org, persona):
    admin = persona(lt_org, Role.ORG_ADMIN)
    officer = persona(lt_org, Role.OFFICER, phone="+370 600 00000")
    api = _api(admin)
    response = api.patch(
        f"/api/v1/people/{officer.pk}/",
        {"phone": "<script>", "roles": ["emperor"], "languages": ["xx"]},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"phone", "roles", "languages"}
    officer.refresh_from_db()
    assert officer.phone == "+370 600 00000"


def test_bad_input_messages_follow_the_requested_language(lt_org, persona):
    admin = persona(lt_org, Role.ORG_ADMIN)
    officer = persona(lt_org, Role.OFFICER)
    response = _api(admin).patch(
        f"/api/v1/people/{officer.pk}/",
        {"first_name": ""},
        format="json",
        HTTP_ACCEPT_LANGUAGE="lv",
    )
    assert response.status_code == 400
    assert response.json()["first_name"] == ["Šis lauks nevar būt tukšs."]


def test_the_openapi_schema_and_docs_are_served(client, lt_org, persona, logged_in):
    logged_in(persona(lt_org, Role.OFFICER))
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/people/{id}/share/" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


def test_an_org_admin_cannot_touch_a_system_administrator(lt_org, persona):
    sysadmin = persona(lt_org, Role.SYS_ADMIN, username="sys.admin")
    persona(lt_org, Role.SYS_ADMIN, username="second.sys")  # so "last one" is not the reason
    api = _api(persona(lt_org, Role.ORG_ADMIN, username="org.admin"))
    url = f"/api/v1/people/{sysadmin.pk}/"
    demote = api.patch(url, {"email": "mallory@example.org", "roles": []}, format="json")
    assert demote.status_code == 403
    assert api.delete(url).status_code == 403
    sysadmin.refresh_from_db()
    sysadmin.user.refresh_from_db()
    assert sysadmin.role_codes() == ["sys_admin"] and sysadmin.user.is_active
    assert sysadmin.user.email != "mallory@example.org"


def test_an_org_admin_cannot_give_a_role_above_their_own(lt_org, persona):
    officer = persona(lt_org, Role.OFFICER, username="plain.officer")
    api = _api(persona(lt_org, Role.ORG_ADMIN, username="org.admin"))
    raised = api.patch(f"/api/v1/people/{officer.pk}/", {"roles": ["sys_admin"]}, format="json")
    assert raised.status_code == 400
    created = api.post(
        "/api/v1/people/",
        {"username": "new.sys", "first_name": "A", "last_name": "B",
         "organization": lt_org.code, "roles": ["sys_admin"]},
        format="json",
    )  # fmt: skip
    assert created.status_code == 400
    assert not Person.objects.filter(user__username="new.sys").exists()


def test_the_last_system_administrator_cannot_be_removed(lt_org, persona):
    only = persona(lt_org, Role.SYS_ADMIN, username="only.sys")
    other = persona(lt_org, Role.SYS_ADMIN, username="other.sys")
    api = _api(other)
    assert api.delete(f"/api/v1/people/{only.pk}/").status_code == 204
    # `other` is now the last one: nobody may demote them.
    peer = persona(lt_org, Role.ORG_ADMIN, username="peer.admin")
    self_demote = api.patch(f"/api/v1/people/{other.pk}/", {"roles": ["officer"]}, format="json")
    assert self_demote.status_code == 400
    assert _api(peer).delete(f"/api/v1/people/{other.pk}/").status_code == 403
    other.refresh_from_db()
    assert other.role_codes() == ["sys_admin"]


def test_a_person_is_created_in_an_organization_named_by_its_code(lt_org, persona):
    api = _api(persona(lt_org, Role.SYS_ADMIN))
    body = {"username": "new.one", "first_name": "N", "last_name": "O", "roles": ["officer"]}
    unknown = api.post("/api/v1/people/", {**body, "organization": "nowhere"}, format="json")
    assert unknown.status_code == 400 and "organization" in unknown.json()
    created = api.post("/api/v1/people/", {**body, "organization": lt_org.code}, format="json")
    assert created.status_code == 201 and created.json()["organization"] == lt_org.code
