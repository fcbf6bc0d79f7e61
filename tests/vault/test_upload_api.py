"""Resumable upload (tus 1.0) through the API: token authentication, no session, no CSRF."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.urls import include, path
from rest_framework.authtoken.models import Token

import scape.urls
from scape.core.choices import Role
from scape.core.testing import IMMEDIATE_TASKS
from scape.vault.models import EvidenceItem
from tests.vault.test_upload import TUS, checksum, create, head, patch

# The lead includes scape.vault.api.urls from scape/api/urls.py; this test does
# not depend on that line being there yet.
urlpatterns = [path("api/v1/vault/", include("scape.vault.api.urls")), *scape.urls.urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

ENDPOINT = "/api/v1/vault/uploads/"


@pytest.fixture(autouse=True)
def _tasks_inline(settings: Any) -> None:
    settings.TASKS = IMMEDIATE_TASKS


def token_client(user: Any) -> Client:
    token, _created = Token.objects.get_or_create(user=user)
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token.key}")


def test_it_uploads_with_a_token_and_resumes(custodian, clip):
    api = token_client(custodian.user)
    data = clip.read_bytes()
    response = create(api, len(data), name=clip.name, endpoint=ENDPOINT)
    assert response.status_code == 201
    url = response["Location"]
    assert url.startswith("http://testserver" + ENDPOINT)
    half = len(data) // 2
    assert (
        patch(api, url, data[:half], 0, HTTP_UPLOAD_CHECKSUM=checksum(data[:half])).status_code
        == 204
    )
    assert head(api, url)["Upload-Offset"] == str(half)
    assert patch(api, url, data[:half], 0).status_code == 409  # already there
    last = patch(api, url, data[half:], half)
    assert last.status_code == 204 and last["Upload-Result"] == "new"
    state = api.get(url).json()
    item = EvidenceItem.objects.get(pk=state["item"])
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert state["result"] == "new" and state["item_url"] == item.get_absolute_url()
    assert [u["id"] for u in api.get(ENDPOINT).json()["results"]] == [state["id"]]


def test_it_answers_options_without_a_token():
    response = Client().options(ENDPOINT)
    assert response.status_code == 204 and response["Tus-Version"] == "1.0.0"


def test_it_refuses_without_a_token():
    response = Client().post(ENDPOINT, HTTP_UPLOAD_LENGTH="10", **TUS)
    assert response.status_code in (401, 403)


def test_another_users_token_gets_404(custodian, lt_org, persona):
    url = create(token_client(custodian.user), 100, endpoint=ENDPOINT)["Location"]
    other = token_client(persona(lt_org, Role.OFFICER).user)
    assert head(other, url).status_code == 404
    assert patch(other, url, b"x" * 10, 0).status_code == 404


def test_a_method_override_post_appends_a_chunk(custodian):
    api = token_client(custodian.user)
    url = create(api, 100, endpoint=ENDPOINT)["Location"]
    response = api.post(
        url,
        b"x" * 10,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET="0",
        HTTP_X_HTTP_METHOD_OVERRIDE="PATCH",
        **TUS,
    )
    assert response.status_code == 204 and response["Upload-Offset"] == "10"


def test_the_api_schema_describes_the_upload_endpoint(custodian):
    api = token_client(custodian.user)
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/vault/uploads/{upload_id}/" in response.content
