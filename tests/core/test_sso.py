"""Single sign-on through an OpenID Connect provider: a real code flow against a provider
served on loopback (token, userinfo and JWKS endpoints; RS256 id tokens)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.test import override_settings

from scape.core.choices import Role
from scape.core.models import AuditEvent

pytestmark = pytest.mark.django_db

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class _Provider(BaseHTTPRequestHandler):
    claims: dict[str, Any] = {}
    nonce = ""
    client_id = "scape"

    def _json(self, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.startswith("/jwks"):
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
            self._json({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})
        elif self.path.startswith("/userinfo"):
            cls = type(self)
            self._json({k: v for k, v in cls.claims.items() if k not in ("amr", "acr")})
        else:
            self.send_response(404)
            self.end_headers()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        cls = type(self)
        assert form["grant_type"] == ["authorization_code"] and form["code"] == ["the-code"]
        now = int(time.time())
        token = jwt.encode(
            {
                "iss": "http://idp.test",
                "aud": cls.client_id,
                "iat": now,
                "exp": now + 300,
                "nonce": cls.nonce,
                **cls.claims,
            },
            KEY,
            algorithm="RS256",
            headers={"kid": "k1"},
        )
        self._json({"access_token": "at-1", "token_type": "Bearer", "id_token": token})

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def provider() -> Any:
    server = HTTPServer(("127.0.0.1", 0), _Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    groups = {
        "it-palanga-coordinators": "palanga:coordinator",
        "it-palanga-officers": "palanga:officer",
        "it-everyone-admins": "palanga:sys_admin",
    }
    with override_settings(
        AUTHENTICATION_BACKENDS=[
            "axes.backends.AxesStandaloneBackend",
            "django.contrib.auth.backends.ModelBackend",
            "scape.core.sso.ScapeOIDCBackend",
        ],
        SCAPE_OIDC_CLIENT_ID="scape",
        OIDC_RP_CLIENT_ID="scape",
        OIDC_RP_CLIENT_SECRET="secret",
        OIDC_OP_AUTHORIZATION_ENDPOINT=base + "/authorize",
        OIDC_OP_TOKEN_ENDPOINT=base + "/token",
        OIDC_OP_USER_ENDPOINT=base + "/userinfo",
        OIDC_OP_JWKS_ENDPOINT=base + "/jwks",
        OIDC_RP_SIGN_ALGO="RS256",
        SCAPE_OIDC_GROUPS=groups,
    ):
        yield _Provider
    server.shutdown()


def _sign_in(client: Any, provider: Any, start: str = "/login/sso/", **claims: Any) -> Any:
    started = client.get(start)
    assert started.status_code == 302
    target = urlsplit(started["Location"])
    query = parse_qs(target.query)
    assert target.path == "/authorize" and query["client_id"] == ["scape"]
    provider.nonce = query["nonce"][0]
    provider.claims = claims
    return client.get(f"/login/sso/callback/?code=the-code&state={query['state'][0]}")


def test_a_coordinator_signs_in_through_the_provider_with_its_second_factor(
    provider: Any, client: Any
) -> None:
    from scape.directory.testing import make_org

    make_org("palanga", country="LT")
    answer = _sign_in(
        client,
        provider,
        sub="a1b2",
        given_name="Rasa",
        family_name="Jonaitė",
        email="rasa@palanga.example",
        email_verified=True,
        groups=["it-palanga-coordinators", "other-group"],
        amr=["pwd", "mfa"],
    )
    assert answer.status_code == 302 and answer["Location"] == "/"
    user = get_user_model().objects.get(username="sso-a1b2")
    assert user.person.organization.code == "palanga"
    assert user.person.role_codes() == [Role.COORDINATOR]
    assert user.email == "rasa@palanga.example" and not user.has_usable_password()
    # The provider's second factor counts: evidence opens without SCAPE's own step.
    assert client.get("/vault/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.sso_login", details__provider_mfa=True).exists()
    assert AuditEvent.objects.filter(action="auth.sso_account_created").count() == 1


def test_without_the_providers_second_factor_scapes_own_step_still_applies(
    provider: Any, client: Any
) -> None:
    from scape.directory.testing import make_org

    make_org("palanga", country="LT")
    _sign_in(client, provider, sub="c3", groups=["it-palanga-coordinators"], amr=["pwd"])
    blocked = client.get("/vault/")
    assert blocked.status_code == 302 and "/login/" in blocked["Location"]


def test_roles_follow_the_groups_and_a_stranger_is_refused(provider: Any, client: Any) -> None:
    from scape.directory.testing import make_org

    make_org("palanga", country="LT")
    _sign_in(client, provider, sub="d4", groups=["it-palanga-officers", "it-everyone-admins"])
    user = get_user_model().objects.get(username="sso-d4")
    assert user.person.role_codes() == [Role.OFFICER]  # a system administrator never from outside
    client.logout()
    _sign_in(client, provider, sub="d4", groups=["it-palanga-coordinators"])
    user.person.refresh_from_db()
    assert sorted(user.person.role_codes()) == [Role.COORDINATOR]
    assert AuditEvent.objects.filter(action="auth.sso_roles_synced").count() == 1
    client.logout()
    refused = _sign_in(client, provider, sub="e5", groups=["marketing"])
    assert refused.status_code == 302 and refused["Location"] == "/login/"
    assert not get_user_model().objects.filter(username="sso-e5").exists()
    page = client.get("/login/").content.decode()
    assert "not in a group that SCAPE knows" in page


def test_single_sign_on_is_off_unless_configured(client: Any) -> None:
    assert client.get("/login/sso/").status_code == 404
    assert "Sign in with your organization" not in client.get("/login/").content.decode()


def _local(username: str, org_code: str = "palanga") -> Any:
    from scape.directory.models import Organization
    from scape.directory.testing import make_org, make_person

    org = Organization.objects.filter(code=org_code).first() or make_org(org_code, country="LT")
    person = make_person(org, [Role.COORDINATOR], username=username)
    person.user.set_password("a long local password 1")
    person.user.save()
    return person.user


def _link(client: Any, provider: Any, **claims: Any) -> Any:
    started = client.post("/profile/sso/link/")
    assert started.status_code == 302 and started["Location"].startswith("/login/sso/")
    return _sign_in(client, provider, start=started["Location"], **claims)


def test_a_local_account_is_linked_by_its_owner_and_then_opened_by_the_provider(
    provider: Any, client: Any
) -> None:
    from scape.core.models import SignInLink
    from scape.core.testing import login

    user = _local("rasa.local")
    login(client, user)
    assert "Link to the sign-in service" in client.get("/profile/").content.decode()
    linked = _link(client, provider, sub="f6", groups=["it-palanga-coordinators"], amr=["mfa"])
    assert linked.status_code == 302 and linked["Location"] == "/profile/"
    assert SignInLink.objects.get().user == user
    assert AuditEvent.objects.filter(action="auth.sso_linked", actor_username="rasa.local").exists()
    assert "is linked to your identity" in client.get("/profile/").content.decode()
    # From now on the provider's identity opens this account: no second account is made.
    client.logout()
    again = _sign_in(client, provider, sub="f6", groups=["it-palanga-officers"])
    assert again.status_code == 302 and again["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not get_user_model().objects.filter(username="sso-f6").exists()
    user.person.refresh_from_db()
    assert user.person.role_codes() == [Role.OFFICER]  # roles follow the groups, as for all


def test_a_link_is_refused_for_another_organization_or_an_identity_already_in_use(
    provider: Any, client: Any
) -> None:
    from scape.core.models import SignInLink
    from scape.core.testing import login
    from scape.directory.testing import make_org

    make_org("palanga", country="LT")
    user = _local("jonas.local", org_code="liepaja")
    login(client, user)
    refused = _link(client, provider, sub="g7", groups=["it-palanga-coordinators"])
    assert refused.status_code == 302 and refused["Location"] == "/profile/"
    assert "another organization" in client.get("/profile/").content.decode()
    assert not SignInLink.objects.exists()
    # Still signed in locally after the refusal, with the same roles.
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.person.role_codes() == [Role.COORDINATOR]
    # An identity that already made its own account here cannot take over another one.
    other = _local("ona.local")
    client.logout()
    _sign_in(client, provider, sub="h8", groups=["it-palanga-coordinators"])
    client.logout()
    login(client, other)
    _link(client, provider, sub="h8", groups=["it-palanga-coordinators"])
    assert "already opens another account" in client.get("/profile/").content.decode()
    assert not SignInLink.objects.exists()


def test_linking_must_be_started_by_a_signed_in_person_with_a_post(
    provider: Any, client: Any
) -> None:
    assert client.post("/profile/sso/link/").status_code == 302  # to the login page
    assert "/login/" in client.post("/profile/sso/link/")["Location"]
    from scape.core.testing import login

    login(client, _local("petras.local"))
    assert client.get("/profile/sso/link/").status_code == 405
