"""The notices API: anyone reads published notices; members write and move them with actions."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from scape.alerts.models import Notice
from scape.core.choices import Role
from tests.alerts.conftest import BEACH

pytestmark = pytest.mark.django_db

URL = "/api/v1/alerts/notices/"


def _client(person: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(person.user)
    return client


def test_anyone_reads_published_public_notices_only(make_notice: Any) -> None:
    published = make_notice("published")
    make_notice("approved")
    make_notice("published", scope="Restricted", restriction="Partners")
    response = APIClient().get(URL)
    assert response.status_code == 200
    ids = [row["identifier"] for row in response.json()["results"]]
    assert ids == [published.identifier]
    row = response.json()["results"][0]
    assert {i["language"] for i in row["infos"]} == {"lt", "en"}
    assert row["cap_url"] == f"/alerts/{published.identifier}.xml"


def test_members_see_their_drafts_and_partners_restricted_notices(
    make_notice: Any, specialist: Any, liepaja: Any, persona: Any
) -> None:
    draft = make_notice("draft")
    restricted = make_notice("published", scope="Restricted", restriction="Partners")
    own = {row["identifier"] for row in _client(specialist).get(URL).json()["results"]}
    assert {draft.identifier, restricted.identifier} <= own
    partner = {
        row["identifier"]
        for row in _client(persona(liepaja, Role.OFFICER)).get(URL).json()["results"]
    }
    assert restricted.identifier in partner and draft.identifier not in partner


def test_the_workflow_through_the_api(specialist: Any, coordinator: Any) -> None:
    body = {
        "category": ["Safety"],
        "event": "Beach closure",
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Observed",
        "infos": [{"language": "lt", "headline": "Paplūdimys uždarytas"}],
        "areas": [{"area_desc": "Palanga beach", "polygon": BEACH}],
    }
    author = _client(specialist)
    response = author.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["state"] == "draft"
    assert author.post(f"{URL}{pk}/publish/").status_code == 403
    assert author.post(f"{URL}{pk}/submit/").json()["state"] == "submitted"
    assert author.post(f"{URL}{pk}/approve/").status_code == 403
    boss = _client(coordinator)
    assert boss.post(f"{URL}{pk}/approve/").json()["state"] == "approved"
    published = boss.post(f"{URL}{pk}/publish/").json()
    assert published["state"] == "published" and published["sent"]
    cancel = author.post(f"{URL}{pk}/cancel/")
    assert cancel.status_code == 201
    assert cancel.json()["msg_type"] == "Cancel"
    assert cancel.json()["references"][0].split(",")[1] == published["identifier"]


def test_bad_input_is_a_400_and_writes_nothing(specialist: Any) -> None:
    response = _client(specialist).post(
        URL,
        {
            "category": ["Safety"],
            "event": "X",
            "urgency": "Immediate",
            "severity": "Severe",
            "certainty": "Observed",
            "infos": [{"language": "lt", "headline": "X"}],
            "areas": [],
        },
        format="json",
    )
    assert response.status_code == 400 and "areas" in response.json()
    assert not Notice.objects.exists()


def test_anonymous_cannot_write(db: Any) -> None:
    assert APIClient().post(URL, {}, format="json").status_code in (401, 403)


def test_another_organization_cannot_move_a_notice(
    make_notice: Any, liepaja: Any, persona: Any
) -> None:
    notice = make_notice("submitted")
    client = _client(persona(liepaja, Role.COORDINATOR))
    assert client.post(f"{URL}{notice.pk}/approve/").status_code == 404


def test_it_keeps_drafts_from_the_organizations_volunteers(
    make_notice: Any, palanga: Any, persona: Any
) -> None:
    """The pages hid drafts from volunteers but the API listed them."""
    draft = make_notice("draft")
    published = make_notice("published")
    volunteer = persona(palanga, Role.VOLUNTEER)
    ids = [row["identifier"] for row in _client(volunteer).get(URL).json()["results"]]
    assert ids == [published.identifier]
    assert _client(volunteer).get(f"{URL}{draft.pk}/").status_code == 404
    officer = persona(palanga, Role.OFFICER)
    ids = [row["identifier"] for row in _client(officer).get(URL).json()["results"]]
    assert draft.identifier in ids
