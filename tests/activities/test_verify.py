"""Public verification of a certificate: valid, expired, revoked, unknown; nothing personal leaks."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from scape.activities.actions import do_issue_certificates, do_revoke_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(two_sessions, training, santa, enrol, attend, rasa):
    enrol(training, santa)
    attend(two_sessions, santa, True, True)
    (certificate,) = do_issue_certificates(training, actor=rasa.user)
    return certificate


def _page(code: str) -> tuple[int, str]:
    response = Client().get(f"/verify/{code}")
    return response.status_code, response.content.decode()


def test_it_shows_a_valid_certificate_without_login(certificate):
    status, page = _page(certificate.code)
    assert status == 200
    assert "Valid" in page
    assert "Santa Ozoliņa" in page
    assert "First-aid training" in page
    assert "Palanga Municipality" in page and "Liepāja Municipal Police" in page
    assert certificate.expires_at.strftime("%Y") in page


def test_it_leaks_nothing_more_personal_than_the_name(certificate, santa):
    _, page = _page(certificate.code)
    api = Client().get(f"/api/v1/activities/verify/{certificate.code}/").content.decode()
    for text in (page, api):
        assert "santa@example.invalid" not in text
        assert "2000 0001" not in text
        assert "LV-777" not in text
        assert "female" not in text.lower()
        assert "Female" not in text
        assert f'"person": {santa.pk}' not in text
        assert "santa" not in text.replace("Santa", "")  # no username
        assert "Log out" not in text


def test_it_shows_an_expired_certificate(certificate):
    certificate.expires_at = timezone.localdate() - datetime.timedelta(days=1)
    certificate.save()
    status, page = _page(certificate.code)
    assert status == 200 and "Expired" in page and "verify-state expired" in page


def test_it_shows_a_revoked_certificate(certificate, rasa):
    do_revoke_certificate(certificate, reason="Issued by mistake", actor=rasa.user)
    status, page = _page(certificate.code)
    assert status == 200 and "Revoked" in page and "verify-state revoked" in page
    # The reason is internal, not for the public page.
    assert "Issued by mistake" not in page


def test_it_answers_an_unknown_code_with_a_clear_404(certificate):
    status, page = _page("not-a-real-code")
    assert status == 404
    assert "No certificate has the code" in page


def test_it_verifies_through_the_public_api(certificate, rasa):
    client = Client()
    body = client.get(f"/api/v1/activities/verify/{certificate.code}/").json()
    assert body["state"] == "valid"
    assert body["holder"] == "Santa Ozoliņa"
    assert body["issuers"] == ["Palanga Municipality", "Liepāja Municipal Police"]
    assert set(body) == {
        "code", "holder", "activity", "kind", "starts_on", "ends_on", "issued_on",
        "issuers", "expires_on", "state", "revoked_on",
    }  # fmt: skip
    do_revoke_certificate(certificate, reason="x", actor=rasa.user)
    assert client.get(f"/api/v1/activities/verify/{certificate.code}/").json()["state"] == "revoked"
    assert client.get("/api/v1/activities/verify/nope/").status_code == 404
