"""The vault through the API as an integrator uses it: finding, describing, many at once,
cases (open, add items, hold, export, links) — each through the page's own action."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.test import TestCase, override_settings
from django.utils import timezone

from scape.core.choices import Role
from scape.core.models import AuditEvent, Job
from scape.core.testing import IMMEDIATE_TASKS, token_client
from scape.vault.models import Case, CaseExport, EvidenceItem, ExternalLink
from tests.vault.test_finding import _item, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _ids(answer: Any) -> set[int]:
    assert answer.status_code == 200, answer.content
    return {row["id"] for row in answer.json()["results"]}


def test_the_api_filters_as_the_evidence_list_does(
    world: dict[str, Any],  # noqa: F811
    custodian: Any,
    officer: Any,
) -> None:
    api = token_client(custodian.user)
    pier, bus = world["pier"].pk, world["bus"].pk
    assert _ids(api.get("/api/v1/vault/items/", {"officer": officer.pk})) == {pier}
    assert _ids(api.get("/api/v1/vault/items/", {"category": world["assault"].pk})) == {pier}
    assert _ids(api.get("/api/v1/vault/items/", {"q": "fight"})) == {pier}
    assert _ids(api.get("/api/v1/vault/items/", {"tag": "theft"})) == {bus}
    assert _ids(api.get("/api/v1/vault/items/", {"legal_hold": "true"})) == {world["market"].pk}
    assert api.get("/api/v1/vault/items/", {"officer": "nobody"}).status_code == 400
    row = api.get(f"/api/v1/vault/items/{pier}/").json()
    assert row["title"] == "Fight on the pier" and sorted(row["tags"]) == ["fight", "night"]


def test_an_integrator_describes_an_item_and_starts_work_on_many(
    world: dict[str, Any],  # noqa: F811
    custodian: Any,
) -> None:
    api = token_client(custodian.user)
    pier = world["pier"]
    answer = api.post(
        f"/api/v1/vault/items/{pier.pk}/describe/",
        {"title": "Pier, 1 July", "notes": "", "tags": ["pier"]},
        format="json",
    )
    assert answer.status_code == 200 and answer.json()["tags"] == ["pier"]
    with override_settings(TASKS=IMMEDIATE_TASKS), TestCase.captureOnCommitCallbacks(execute=True):
        started = api.post(
            "/api/v1/vault/bulk/",
            {"op": "hold", "query": "tag=pier", "options": {"reason": "prosecutor's request 3"}},
            format="json",
        )
    assert started.status_code == 202, started.content
    job = Job.objects.get(pk=started.json()["id"])
    assert job.status == "succeeded"
    assert EvidenceItem.objects.get(pk=pier.pk).legal_hold
    assert api.post("/api/v1/vault/bulk/", {"op": "hold"}, format="json").status_code == 400


def test_cases_opened_filled_held_exported_and_linked_through_the_api(
    world: dict[str, Any],  # noqa: F811
    custodian: Any,
    persona: Any,
) -> None:
    api = token_client(custodian.user)
    made = api.post(
        "/api/v1/vault/cases/", {"reference": "LT-77", "title": "Bus stop theft"}, format="json"
    )
    assert made.status_code == 201, made.content
    case = Case.objects.get(pk=made.json()["id"])
    filled = api.post(
        f"/api/v1/vault/cases/{case.pk}/items/",
        {"items": [world["bus"].pk, world["market"].pk]},
        format="json",
    )
    assert filled.status_code == 200 and case.items.count() == 2
    held = api.post(
        f"/api/v1/vault/cases/{case.pk}/hold/",
        {"hold": True, "reason": "appeal pending"},
        format="json",
    )
    assert held.status_code == 200 and Case.objects.get(pk=case.pk).legal_hold
    with override_settings(TASKS=IMMEDIATE_TASKS), TestCase.captureOnCommitCallbacks(execute=True):
        exported = api.post(
            f"/api/v1/vault/cases/{case.pk}/export/",
            {"reason": "hearing 2027-01-10", "recipient": "Klaipėda court"},
            format="json",
        )
    assert exported.status_code == 202, exported.content
    export = CaseExport.objects.get(pk=exported.json()["id"])
    assert export.file_name and export.job.status == "succeeded"
    # The ZIP comes down with the same token: no browser session needed.
    state = api.get(f"/api/v1/vault/exports/{export.pk}/")
    assert state.status_code == 200 and state.json()["ready"] is True
    assert state.json()["sha256"] == export.sha256
    download = api.get(state.json()["download"], HTTP_ACCEPT="application/zip")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == export.sha256 == download["X-Export-SHA256"]
    assert zipfile.ZipFile(io.BytesIO(body)).namelist()
    took = AuditEvent.objects.filter(action="vault.export_downloaded").last()
    assert took.actor_username == custodian.user.get_username()
    assert took.details["export"] == export.pk
    # Only the person who asked for an export may take it, even in the same organization.
    other = token_client(persona(case.organization, Role.CUSTODIAN, username="cust-2").user)
    assert other.get(f"/api/v1/vault/exports/{export.pk}/download/").status_code == 404
    assert other.get(f"/api/v1/vault/exports/{export.pk}/").status_code == 404
    # Not built yet: 409, with the reason, in the caller's language.
    CaseExport.objects.filter(pk=export.pk).update(file_name="")
    waiting = api.get(f"/api/v1/vault/exports/{export.pk}/download/", HTTP_ACCEPT_LANGUAGE="lt")
    assert waiting.status_code == 409 and "not built" not in waiting.json()["detail"]
    linked = api.post(
        f"/api/v1/vault/cases/{case.pk}/links/",
        {
            "recipient": "Prosecutor Petraitis",
            "purpose": "charges",
            "expires_at": (timezone.now() + timedelta(days=5)).isoformat(),
        },
        format="json",
    )
    assert linked.status_code == 201, linked.content
    assert "/vault/x/" in linked.json()["url"] and ExternalLink.objects.filter(case=case).exists()
    done = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "vault.case_opened",
        "vault.added_to_case",
        "vault.case_hold_set",
        "vault.exported",
        "vault.link_created",
    } <= done


def test_a_partner_cannot_add_to_hold_or_export_a_case_not_shared_with_it(
    world: dict[str, Any],  # noqa: F811
    lv_org: Any,
    persona: Any,
) -> None:
    api = token_client(persona(lv_org, Role.CUSTODIAN, username="lv-cust").user)
    case = world["case"]
    for path, body in (
        ("items", {"items": [world["pier"].pk]}),
        ("hold", {"hold": True, "reason": "not ours"}),
        ("export", {"reason": "not ours at all"}),
    ):
        answer = api.post(f"/api/v1/vault/cases/{case.pk}/{path}/", body, format="json")
        assert answer.status_code == 404, (path, answer.status_code)
    assert not Case.objects.get(pk=case.pk).legal_hold
    refused = api.post(
        "/api/v1/vault/bulk/",
        {"op": "tag", "items": [world["pier"].pk], "options": {"tags": ["x"]}},
        format="json",
    )
    assert refused.status_code == 400  # not an item it can select


def test_an_integrator_starts_a_redacted_copy_of_a_video(
    lt_org: Any, custodian: Any, officer: Any, tmp_path: Any
) -> None:
    from scape.vault.actions.ingest import do_ingest
    from scape.vault.models import RedactionSession
    from tests.vault.conftest import make_clip

    clip = make_clip(tmp_path / "bodycam-0099.mp4")
    with clip.open("rb") as source:
        item = do_ingest(source, name=clip.name, organization=lt_org).item
    refused = token_client(officer.user).post(f"/api/v1/vault/items/{item.pk}/redact/", {})
    assert refused.status_code == 403 and not RedactionSession.objects.exists()
    started = token_client(custodian.user).post(
        f"/api/v1/vault/items/{item.pk}/redact/", {"faces": True}, format="json"
    )
    assert started.status_code == 201, started.content
    assert started.json()["review_url"] == RedactionSession.objects.get().get_absolute_url()


def test_retention_lists_are_proposed_and_confirmed_through_the_api(
    world: dict[str, Any],  # noqa: F811
    custodian: Any,
    officer: Any,
) -> None:
    bus = world["bus"]
    EvidenceItem.objects.filter(pk=bus.pk).update(retain_until=timezone.now() - timedelta(days=1))
    assert token_client(officer.user).get("/api/v1/vault/retention/").status_code == 403
    api = token_client(custodian.user)
    proposed = api.post("/api/v1/vault/retention/propose/")
    assert proposed.status_code == 201, proposed.content
    assert proposed.json()["items"] == [bus.pk] and proposed.json()["status"] == "proposed"
    assert [row["id"] for row in api.get("/api/v1/vault/retention/").json()["results"]] == [
        proposed.json()["id"]
    ]
    confirmed = api.post(f"/api/v1/vault/retention/{proposed.json()['id']}/confirm/")
    assert confirmed.status_code == 200, confirmed.content
    assert EvidenceItem.objects.get(pk=bus.pk).status == "in_bin"
    assert api.post("/api/v1/vault/retention/propose/").status_code == 204  # nothing due now


def test_the_item_list_asks_the_same_number_of_queries_for_more_tagged_items(
    world: dict[str, Any],  # noqa: F811
    custodian: Any,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scape.vault.actions.finding import do_describe_item

    api = token_client(custodian.user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert api.get("/api/v1/vault/items/").status_code == 200
        return len(seen)

    before = queries()
    for name in ("harbour.png", "station.png"):
        more = _item(world["pier"].organization, name)
        do_describe_item(more, actor=custodian.user, title=name, notes="", tags="a, b")
    answer = api.get("/api/v1/vault/items/").json()["results"]
    assert {"a", "b"} <= {tag for row in answer for tag in row["tags"]}
    assert queries() == before  # tags come with the page, not one query an item
