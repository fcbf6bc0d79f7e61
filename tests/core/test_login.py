"""Logging in: password, second factor, lockout, and what gets audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.core.testing import current_code, totp_device
from scape.directory.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _post_login(client, username, password=PASSWORD):
    return client.post(reverse("core:login"), {"username": username, "password": password})


def test_it_shows_the_system_use_notice(client):
    response = client.get(reverse("core:login"))
    assert response.status_code == 200
    assert "Directive 2016/680" in response.content.decode()


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/people/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_a_wrong_password_is_refused_with_a_message_and_audited(client, lt_org, persona):
    persona(lt_org, Role.OFFICER, username="jonas")
    response = _post_login(client, "jonas", "wrong-password")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.details == {"username": "jonas"}
    assert event.outcome == "failure"


def test_it_locks_out_after_repeated_failures_with_a_clear_message(
    client, lt_org, persona, settings
):
    persona(lt_org, Role.OFFICER, username="jonas")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "jonas", "wrong-password")
    response = _post_login(client, "jonas")  # even the right password is refused now
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()


def test_the_lockout_message_is_in_the_users_language(client, lt_org, persona, settings):
    persona(lt_org, Role.OFFICER, username="jonas")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lt"
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = _post_login(client, "jonas", "wrong-password")
    assert response.status_code == 429
    assert 'lang="lt"' in response.content.decode()
    assert "Too many failed login attempts" not in response.content.decode()


def test_an_officer_must_enrol_a_second_factor_before_anything_else(client, lt_org, persona):
    officer = persona(lt_org, Role.OFFICER, username="jonas")
    response = _post_login(client, "jonas")
    assert response.status_code == 302
    response = client.get("/people/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:otp_setup"))
    setup = client.get(response.url)
    assert (
        setup.status_code == 200
        and b"data:image/svg+xml;charset=utf-8,%3Csvg%20xmlns" in setup.content
    )
    device = TOTPDevice.objects.get(user=officer.user, confirmed=False)
    bad = client.post(reverse("core:otp_setup"), {"token": "000000"})
    assert "That code is not valid" in bad.content.decode()
    throttled = client.post(reverse("core:otp_setup"), {"token": current_code(device)})
    assert "Too many wrong codes" in throttled.content.decode()
    # a few seconds later, the right code is accepted
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=30)
    )
    ok = client.post(reverse("core:otp_setup") + "?next=/people/", {"token": current_code(device)})
    assert ok.status_code == 302 and ok.url == "/people/"
    assert client.get("/people/").status_code == 200
    assert AuditEvent.objects.filter(
        action="auth.2fa_enabled", object_id=str(officer.user.pk)
    ).exists()


def test_a_returning_officer_gives_the_code_from_their_app(client, lt_org, persona):
    officer = persona(lt_org, Role.CUSTODIAN, username="vytautas")
    device = totp_device(officer.user)
    _post_login(client, "vytautas")
    response = client.get("/")
    assert response.url.startswith(reverse("core:otp_verify"))
    wrong = client.post(reverse("core:otp_verify"), {"token": "12ab56"})
    assert "The code has digits only" in wrong.content.decode()
    client.post(reverse("core:otp_verify"), {"token": current_code(device)})
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.2fa_verified").exists()


def test_a_volunteer_logs_in_with_a_password_unless_the_organization_requires_more(
    client, lt_org, persona
):
    persona(lt_org, Role.VOLUNTEER, username="ieva")
    _post_login(client, "ieva")
    assert client.get("/").status_code == 200
    client.logout()
    lt_org.requires_two_factor_for_all = True
    lt_org.save()
    _post_login(client, "ieva")
    assert client.get("/").url.startswith(reverse("core:otp_setup"))


def test_an_unverified_session_cannot_use_the_api(client, lt_org, persona):
    persona(lt_org, Role.OFFICER, username="jonas")
    _post_login(client, "jonas")
    response = client.get("/api/v1/people/")
    assert response.status_code == 403
    assert "Two-factor" in response.json()["detail"]


def test_a_password_change_is_validated_and_audited(client, lt_org, persona, logged_in):
    person = persona(lt_org, Role.SPECIALIST)
    logged_in(person)
    url = reverse("core:password_change")
    weak = client.post(
        url, {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"}
    )
    assert weak.status_code == 200
    assert "too short" in weak.content.decode()
    new = "a-much-longer-pass-phrase-2026"
    ok = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert ok.status_code == 302
    assert AuditEvent.objects.filter(action="auth.password_changed").count() == 1


def test_logins_and_logouts_are_audited_with_ip_and_request_id(client, lt_org, persona):
    person = persona(lt_org, Role.VOLUNTEER, username="ieva")
    _post_login(client, "ieva")
    client.post(reverse("core:logout"))
    login = AuditEvent.objects.get(action="auth.login")
    assert login.actor_username == "ieva"
    assert login.actor_org == lt_org.code
    assert login.ip == "127.0.0.1"
    assert len(login.request_id) == 32
    assert AuditEvent.objects.filter(action="auth.logout", actor_id=person.user.pk).exists()


def test_security_headers_are_sent(client):
    response = client.get(reverse("core:login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]
