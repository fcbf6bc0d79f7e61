"""API tokens expire, keep to their scope and die with the password; sessions turn over at 2FA."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from scape.core.choices import Role, TokenScope
from scape.core.models import ApiTokenScope
from scape.core.testing import current_code, totp_device
from scape.directory.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _token(person, scope=TokenScope.INTEGRATOR, days=30):
    token = Token.objects.create(user=person.user)
    ApiTokenScope.objects.create(
        token=token, scope=scope, expires_at=timezone.now() + timedelta(days=days)
    )
    return token


def _api(token) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api


def test_a_token_dies_when_its_password_changes(lt_org, persona):
    admin = persona(lt_org, Role.ORG_ADMIN)
    api = _api(_token(admin))
    assert api.get("/api/v1/people/").status_code == 200
    admin.user.set_password("a-new-long-passphrase-2026")
    admin.user.save()
    assert api.get("/api/v1/people/").status_code == 401
    assert not Token.objects.filter(user=admin.user).exists()


def test_an_expired_token_is_refused_and_a_token_without_a_scope_expires_too(lt_org, persona):
    admin = persona(lt_org, Role.ORG_ADMIN)
    token = _token(admin)
    ApiTokenScope.objects.filter(token=token).update(expires_at=timezone.now())
    refused = _api(token).get("/api/v1/people/")
    assert refused.status_code == 401 and "expired" in refused.json()["detail"]
    ApiTokenScope.objects.filter(token=token).delete()
    Token.objects.filter(pk=token.pk).update(
        created=timezone.now() - timedelta(days=settings.SCAPE_API_TOKEN_DAYS + 1)
    )
    assert _api(token).get("/api/v1/people/").status_code == 401


def test_a_read_only_token_only_reads(lt_org, persona):
    admin = persona(lt_org, Role.ORG_ADMIN)
    officer = persona(lt_org, Role.OFFICER)
    api = _api(_token(admin, TokenScope.READ))
    assert api.get(f"/api/v1/people/{officer.pk}/").status_code == 200
    changed = api.patch(f"/api/v1/people/{officer.pk}/", {"phone": "+370 600 00000"}, format="json")
    assert changed.status_code == 403
    officer.refresh_from_db()
    assert officer.phone != "+370 600 00000"


def test_the_profile_makes_a_scoped_token_with_a_bounded_lifetime(
    client, lt_org, persona, logged_in
):
    officer = persona(lt_org, Role.OFFICER)
    logged_in(officer)
    too_long = client.post(
        reverse("core:profile"),
        {"op": "rotate_token", "scope": "read", "days": settings.SCAPE_API_TOKEN_DAYS + 1},
    )
    assert too_long.status_code == 400 and not Token.objects.exists()
    made = client.post(reverse("core:profile"), {"op": "rotate_token", "scope": "read", "days": 7})
    assert made.status_code == 200
    policy = ApiTokenScope.objects.get(token__user=officer.user)
    assert policy.scope == "read"
    assert timedelta(days=6) < policy.expires_at - timezone.now() <= timedelta(days=7)


def test_the_session_key_changes_when_the_second_factor_is_passed(client, lt_org, persona):
    officer = persona(lt_org, Role.CUSTODIAN, username="vytautas")
    device = totp_device(officer.user)
    client.post(reverse("core:login"), {"username": "vytautas", "password": PASSWORD})
    before = client.session.session_key
    client.post(reverse("core:otp_verify"), {"token": current_code(device)})
    assert client.session.session_key != before
    assert client.get("/").status_code == 200


def test_guessing_one_account_from_many_addresses_locks_it(client, lt_org, persona):
    persona(lt_org, Role.OFFICER, username="jonas")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("core:login"),
            {"username": "jonas", "password": "wrong"},
            REMOTE_ADDR=f"203.0.113.{n + 1}",
        )
    response = client.post(
        reverse("core:login"),
        {"username": "jonas", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 429


def test_a_password_alone_cannot_enrol_an_authenticator_after_the_leave_ran_out(
    client, lt_org, persona
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from scape.core.models import SecondFactorPermit
    from scape.directory.actions import do_reset_second_factor

    officer = persona(lt_org, Role.OFFICER, username="jonas")
    admin = persona(lt_org, Role.ORG_ADMIN, username="admin")
    SecondFactorPermit.objects.filter(user=officer.user).update(expires_at=timezone.now())
    client.post(reverse("core:login"), {"username": "jonas", "password": PASSWORD})
    closed = client.get(reverse("core:otp_setup"))
    assert closed.status_code == 403 and "administrator" in closed.content.decode()
    assert not TOTPDevice.objects.filter(user=officer.user).exists()

    do_reset_second_factor(officer, actor=admin.user)  # the administrator opens it again
    opened = client.get(reverse("core:otp_setup"))
    assert opened.status_code == 200
    device = TOTPDevice.objects.get(user=officer.user, confirmed=False)
    client.post(reverse("core:otp_setup"), {"token": current_code(device)})
    assert TOTPDevice.objects.get(user=officer.user).confirmed
    assert not SecondFactorPermit.objects.filter(user=officer.user).exists()  # used up
