"""The vault API: the same access door, custody history and sharing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.core.testing import token_client
from scape.vault.actions import do_create_case
from scape.vault.actions.ingest import do_ingest

pytestmark = pytest.mark.django_db


def _api(person):
    return token_client(person.user)


@pytest.fixture
def item(clip, lt_org, custodian):
    case = do_create_case(
        organization=lt_org, reference="API-1", title="Pier", actor=custodian.user
    )
    return do_ingest(clip.open("rb"), name=clip.name, organization=lt_org, case=case).item


def test_it_lists_items_with_hashes_and_cases(item, custodian):
    data = _api(custodian).get("/api/v1/vault/items/").json()
    assert data["count"] == 1
    listed = data["results"][0]
    assert (listed["sha256"], listed["cases"], listed["organization"]) == (
        item.sha256,
        ["API-1"],
        item.organization.code,
    )


def test_others_see_nothing_and_get_404(item, lv_org, lt_org, persona):
    for person in (
        persona(lv_org, Role.OFFICER),
        persona(lt_org, Role.VOLUNTEER),
        persona(lt_org, Role.AUDITOR),
    ):
        api = _api(person)
        assert api.get(f"/api/v1/vault/items/{item.pk}/").status_code in (403, 404)
        if person.role_codes() != [Role.VOLUNTEER]:
            assert api.get("/api/v1/vault/items/").json()["count"] == 0


def test_custody_history_comes_back_in_order(item, custodian):
    events = _api(custodian).get(f"/api/v1/vault/items/{item.pk}/custody/").json()
    assert [e["action"] for e in events][:1] == ["vault.ingested"]


def test_a_case_shared_through_the_api_opens_its_items_to_the_partner(
    item, lv_org, custodian, persona
):
    case = item.cases.get()
    partner = persona(lv_org, Role.OFFICER)
    body = {
        "grantee": lv_org.code,
        "purpose": "joint investigation",
        "expires_at": (timezone.now() + timedelta(days=2)).isoformat(),
    }
    officer = persona(item.organization, Role.OFFICER)
    assert (
        _api(officer).post(f"/api/v1/vault/cases/{case.pk}/share/", body, format="json").status_code
        == 403
    )
    shared = _api(custodian).post(f"/api/v1/vault/cases/{case.pk}/share/", body, format="json")
    assert shared.status_code == 201
    assert _api(partner).get(f"/api/v1/vault/items/{item.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="core.shared", recipient=lv_org.code).exists()
    in_custody = AuditEvent.objects.get(action="vault.shared_with_case", object_id=str(item.pk))
    assert (in_custody.recipient, in_custody.reason) == (lv_org.code, "joint investigation")
    bad = _api(custodian).post(
        f"/api/v1/vault/cases/{case.pk}/share/",
        {**body, "expires_at": "2000-01-01T00:00:00Z"},
        format="json",
    )
    assert bad.status_code == 400 and "expires_at" in bad.json()


def test_a_filter_value_the_api_does_not_understand_is_a_400_not_everything(lt_org, persona, db):
    custodian = persona(lt_org, Role.CUSTODIAN, username="filter-custodian")
    api = token_client(custodian.user)
    refused = api.get("/api/v1/vault/items/", {"legal_hold": "maybe"})
    assert refused.status_code == 400 and "legal_hold" in refused.json()
    for value in ("true", "false", "1", "0"):
        assert api.get("/api/v1/vault/items/", {"legal_hold": value}).status_code == 200


def test_a_query_parameter_the_list_does_not_have_is_a_400_naming_it(lt_org, persona, db):
    custodian = persona(lt_org, Role.CUSTODIAN, username="param-custodian")
    api = token_client(custodian.user)
    # A misspelt filter would otherwise answer the whole list as if it were filtered.
    refused = api.get("/api/v1/vault/items/", {"legal_hols": "true"})
    assert refused.status_code == 400 and "legal_hols" in refused.json()
    for understood in ({"legal_hold": "true"}, {"ordering": "-ingested_at"}, {"page": "1"}):
        assert api.get("/api/v1/vault/items/", understood).status_code == 200, understood
    reads = api.get("/api/v1/traffic/reads/", {"reason": "checking a stolen car", "plat": "X"})
    assert reads.status_code == 400 and "plat" in reads.json()
