"""Finding evidence as a custodian does: words, officer, device, times, category, case, tag,
retention and shares; items described with a title, notes and tags; searches saved."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from scape.core.actions import do_share_record
from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.vault.actions import do_add_to_case, do_create_case, do_set_item_hold
from scape.vault.actions.finding import do_describe_item
from scape.vault.actions.ingest import do_ingest
from scape.vault.models import Category, EvidenceItem, SavedSearch

pytestmark = pytest.mark.django_db


def _item(org: Any, name: str, **options: Any) -> EvidenceItem:
    import cv2
    import numpy as np

    image = np.full((24, 32, 3), sum(name.encode()) % 255, dtype=np.uint8)
    ok, encoded = cv2.imencode(".png", image)
    assert ok
    data = encoded.tobytes()
    result = do_ingest(io.BytesIO(data), name=name, organization=org, **options)
    assert result.item is not None, result.reason
    return result.item


@pytest.fixture
def world(lt_org: Any, lv_org: Any, custodian: Any, officer: Any) -> dict[str, Any]:
    pier = _item(lt_org, "pier.png", officer=officer, device_serial="BC-021")
    bus = _item(lt_org, "bus-stop.png", device_serial="BC-099")
    market = _item(lt_org, "market.png")
    EvidenceItem.objects.filter(pk=pier.pk).update(recorded_at=timezone.now() - timedelta(days=40))
    EvidenceItem.objects.filter(pk=bus.pk).update(recorded_at=timezone.now() - timedelta(days=2))
    do_describe_item(
        pier,
        actor=custodian.user,
        title="Fight on the pier",
        notes="Witness Jonas Petraitis, phone 8612",
        tags="Night, fight",
    )
    do_describe_item(bus, actor=custodian.user, title="Bus stop", notes="", tags=["theft"])
    assault = Category.objects.create(
        organization=lt_org,
        code="assault",
        name_lt="Smurtas",
        name_lv="Vardarbība",
        name_en="Assault",
    )
    EvidenceItem.objects.filter(pk=pier.pk).update(category=assault)
    case = do_create_case(
        organization=lt_org, reference="LT-42", title="Pier", actor=custodian.user
    )
    do_add_to_case(case, pier, actor=custodian.user)
    do_set_item_hold(market, True, reason="court order 7", actor=custodian.user)
    do_share_record(
        bus,
        grantee=lv_org,
        purpose="joint review",
        redacted_only=True,
        expires_at=timezone.now() + timedelta(days=3),
        actor=custodian.user,
    )
    return {"pier": pier, "bus": bus, "market": market, "assault": assault, "case": case}


def _found(client: Any, **query: Any) -> set[int]:
    response = client.get("/vault/", query)
    assert response.status_code == 200
    page = response.content.decode()
    return {
        item.pk for item in EvidenceItem.objects.all() if f'href="/vault/items/{item.pk}/"' in page
    }


def test_a_custodian_finds_items_by_every_filter(
    world: dict[str, Any], custodian: Any, officer: Any, lv_org: Any, logged_in: Any
) -> None:
    client = logged_in(custodian)
    pier, bus, market = world["pier"].pk, world["bus"].pk, world["market"].pk
    assert _found(client, q="fight") == {pier}  # title and tag
    assert _found(client, q="petraitis") == {pier}  # notes
    assert _found(client, q="bus-stop") == {bus}  # file name
    assert _found(client, tag="NIGHT") == {pier}
    assert _found(client, officer=officer.pk) == {pier}
    assert _found(client, device="bc-0") == {pier, bus}
    recent = (timezone.now() - timedelta(days=10)).date().isoformat()
    assert _found(client, recorded_after=recent) == {bus}
    assert _found(client, recorded_before=recent) == {pier}
    assert _found(client, category=world["assault"].pk) == {pier}
    assert _found(client, case="lt-4") == {pier}
    assert _found(client, retention="held") == {market}
    assert _found(client, shared_with=lv_org.pk) == {bus}
    assert _found(client, q="fight", device="BC-099") == set()


def test_a_redacted_only_partner_finds_by_title_never_by_notes_or_file_name(
    world: dict[str, Any], lv_org: Any, persona: Any, logged_in: Any
) -> None:
    partner = logged_in(persona(lv_org, Role.OFFICER, username="lv-officer"))
    bus = world["bus"].pk
    assert _found(partner, q="bus stop") == {bus}  # the owner's title
    assert _found(partner, tag="theft") == {bus}
    assert _found(partner, q="bus-stop") == set()  # the original's name stays hidden
    assert _found(partner, q="petraitis") == set()  # not shared, and notes never searched
    assert _found(partner, q="fight") == set()


def test_describing_an_item_is_audited_and_only_for_those_who_may_change_it(
    world: dict[str, Any], custodian: Any, lv_org: Any, persona: Any, logged_in: Any
) -> None:
    pier = world["pier"]
    client = logged_in(custodian)
    answer = client.post(
        f"/vault/items/{pier.pk}/describe/",
        {"title": "Fight at the pier", "notes": "", "tags": "night, fight, Night, pier"},
    )
    assert answer.status_code == 302
    pier.refresh_from_db()
    assert pier.title == "Fight at the pier" and pier.notes == ""
    assert sorted(pier.tags.values_list("name", flat=True)) == ["fight", "night", "pier"]
    event = AuditEvent.objects.filter(action="vault.item_described", object_id=str(pier.pk)).last()
    assert event is not None and event.details["changed"] == ["notes", "tags", "title"]
    page = client.get(pier.get_absolute_url()).content.decode()
    assert "Fight at the pier" in page and "?tag=pier" in page
    partner = logged_in(persona(lv_org, Role.COORDINATOR, username="lv-coord"))
    refused = partner.post(f"/vault/items/{world['bus'].pk}/describe/", {"title": "x"})
    assert refused.status_code in (403, 404)
    assert EvidenceItem.objects.get(pk=world["bus"].pk).title == "Bus stop"


def test_a_search_is_saved_for_its_owner_only(
    world: dict[str, Any], custodian: Any, officer: Any, logged_in: Any, client: Any
) -> None:
    logged_in(custodian)
    answer = client.post("/vault/searches/", {"name": "Held", "query": "retention=held"})
    assert answer.status_code == 302 and answer["Location"].endswith("?retention=held")
    page = client.get("/vault/").content.decode()
    assert 'href="?retention=held"' in page and ">Held<" in page
    logged_in(officer)
    assert ">Held<" not in client.get("/vault/").content.decode()
    saved = SavedSearch.objects.get()
    client.post(f"/vault/searches/{saved.pk}/delete/")  # someone else's: nothing happens
    assert SavedSearch.objects.exists()
    logged_in(custodian)
    client.post(f"/vault/searches/{saved.pk}/delete/")
    assert not SavedSearch.objects.exists()
