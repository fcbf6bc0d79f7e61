"""An item's page names only the cases the reader may see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from scape.core.choices import Role
from scape.vault.actions import do_add_to_case, do_create_case, do_share_evidence
from scape.vault.actions.ingest import do_ingest

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(clip, lt_org, custodian):
    """An item in a case of its organization, whose title says whom it is about."""
    item = do_ingest(clip.open("rb"), name=clip.name, organization=lt_org).item
    case = do_create_case(
        organization=lt_org, reference="KV-77", title="Jonas Petraitis", actor=custodian.user
    )
    do_add_to_case(case, item, actor=custodian.user)
    return item, case


def _share(target, grantee, actor, **grant):
    return do_share_evidence(
        target,
        grantee=grantee,
        purpose="joint review",
        expires_at=timezone.now() + timedelta(days=1),
        actor=actor,
        **grant,
    )


@pytest.mark.parametrize("redacted_only", [False, True])
def test_a_partner_shown_the_item_alone_does_not_learn_its_cases(
    filed, lv_org, custodian, persona, logged_in, redacted_only
):
    item, case = filed
    _share(item, lv_org, custodian.user, redacted_only=redacted_only)
    page = logged_in(persona(lv_org, Role.OFFICER)).get(f"/vault/items/{item.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert case.get_absolute_url() not in body
    assert case.reference not in body and case.title not in body


def test_the_owner_and_a_partner_the_case_is_shared_with_see_it(
    filed, lv_org, custodian, persona, logged_in
):
    item, case = filed
    owner = logged_in(custodian).get(f"/vault/items/{item.pk}/")
    assert case.get_absolute_url() in owner.content.decode()
    _share(case, lv_org, custodian.user)
    partner = logged_in(persona(lv_org, Role.OFFICER)).get(f"/vault/items/{item.pk}/")
    assert case.reference in partner.content.decode()


@pytest.mark.parametrize("redacted_only", [False, True])
def test_the_api_names_to_a_partner_only_the_cases_it_may_see(
    filed, lv_org, custodian, persona, logged_in, redacted_only
):
    item, case = filed
    _share(item, lv_org, custodian.user, redacted_only=redacted_only)
    partner = logged_in(persona(lv_org, Role.OFFICER))
    assert partner.get(f"/api/v1/vault/items/{item.pk}/").json()["cases"] == []
    [listed] = partner.get("/api/v1/vault/items/").json()["results"]
    assert listed["cases"] == []
    # The owner, and a partner once the case itself is shared, see its reference.
    from django.test import Client

    from scape.core.testing import login

    owner = login(Client(), custodian.user)
    assert owner.get(f"/api/v1/vault/items/{item.pk}/").json()["cases"] == [case.reference]
    _share(case, lv_org, custodian.user)
    assert partner.get(f"/api/v1/vault/items/{item.pk}/").json()["cases"] == [case.reference]
