"""Single sign-on through an IT department's OpenID Connect provider (mozilla-django-oidc).

Off unless ``SCAPE_OIDC_CLIENT_ID`` is set; the local login stays for the
embedded default and for accounts the provider does not know. The provider's
groups say who a person is here: ``SCAPE_OIDC_GROUPS`` maps a group to an
organization code and roles (``{"scape-palanga-coord": "palanga:coordinator"}``);
a person whose groups map to nothing is refused, and their roles follow the
groups at every sign-in. A person with an account here already links it
themselves from their profile: signed in here, they sign in at the provider
once more, and from then on that identity opens this account (never matched
by e-mail or name). The second factor is the provider's when it asserts
one (``amr`` holds ``mfa``, ``otp``, ``hwk``… or ``acr`` is one of
``SCAPE_OIDC_MFA_ACR``); otherwise SCAPE's own TOTP step still applies to
evidence roles.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from scape.core import audit
from scape.core.choices import Role
from scape.core.security import SSO_MFA_SESSION_KEY

log = logging.getLogger(__name__)

# RFC 8176 methods that are a second factor (or stronger than a password alone).
MFA_METHODS = frozenset({"mfa", "otp", "hwk", "swk", "sms", "tel", "fpt", "face", "iris"})
_BACKEND = "scape.core.sso.ScapeOIDCBackend"


def enabled() -> bool:
    """Whether single sign-on is set up here."""
    return (
        bool(getattr(settings, "SCAPE_OIDC_CLIENT_ID", ""))
        and _BACKEND in settings.AUTHENTICATION_BACKENDS
    )


def memberships(claims: dict[str, Any]) -> tuple[str | None, set[str]]:
    """Return the organization code and the roles the provider's groups give (None: no org).

    Groups naming two organizations give none: a person belongs to one.
    """
    mapping: dict[str, str] = getattr(settings, "SCAPE_OIDC_GROUPS", {}) or {}
    claim = getattr(settings, "SCAPE_OIDC_GROUPS_CLAIM", "groups")
    groups = claims.get(claim) or []
    if isinstance(groups, str):
        groups = [groups]
    orgs: set[str] = set()
    roles: set[str] = set()
    for group in groups:
        target = mapping.get(str(group))
        if not target or ":" not in target:
            continue
        code, _sep, wanted = target.partition(":")
        orgs.add(code.strip())
        roles.update(r.strip() for r in wanted.split(",") if r.strip() in Role.values)
    if len(orgs) != 1:
        return None, set()
    return orgs.pop(), roles - {Role.SYS_ADMIN}  # never granted from outside


def provider_mfa(claims: dict[str, Any]) -> bool:
    """Whether the provider says this sign-in used a second factor."""
    methods = claims.get("amr") or []
    if isinstance(methods, str):
        methods = [methods]
    if MFA_METHODS & {str(m).lower() for m in methods}:
        return True
    accepted = set(getattr(settings, "SCAPE_OIDC_MFA_ACR", []) or [])
    return bool(claims.get("acr") and claims["acr"] in accepted)


class ScapeOIDCBackend(OIDCAuthenticationBackend):
    """Users from the provider: found by their subject, created in the organization and
    with the roles their groups map to, roles kept in step at each sign-in."""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        org, roles = memberships(claims)
        if not claims.get("sub") or org is None or not roles:
            log.warning(
                "SSO sign-in refused: groups %r map to no organization and role",
                claims.get("groups"),
            )
            return False
        if self.request is not None:
            # The claims hold the id token's too (get_userinfo): amr and acr are there.
            self.request.scape_sso_mfa = provider_mfa(claims)
        return True

    def _username(self, claims: dict[str, Any]) -> str:
        return f"sso-{claims['sub']}"[:150]

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        from scape.core.models import SignInLink

        linked = SignInLink.objects.filter(subject=str(claims["sub"])).values("user")
        users = get_user_model().objects.filter(pk__in=linked)
        return (
            users if users.exists() else users.model.objects.filter(username=self._username(claims))
        )

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        linking = self.request.session.pop(LINK_SESSION_KEY, None) if self.request else None
        if linking is None:
            return super().get_or_create_user(access_token, id_token, payload)
        user = self.request.user
        if not user.is_authenticated or user.pk != linking:
            return None
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            return None
        return _link(self, user, claims)

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        # The id token's authentication facts (amr, acr) may not be in the userinfo.
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> Any:
        from scape.directory.actions import do_create_person
        from scape.directory.models import Organization

        code, roles = memberships(claims)
        organization = Organization.objects.filter(code=code, is_active=True).first()
        if organization is None:
            return None
        person = do_create_person(
            organization=organization,
            username=self._username(claims),
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
            email=str(claims.get("email") or "") if claims.get("email_verified") else "",
            roles=roles,
        )
        audit.record(
            "auth.sso_account_created",
            obj=person.user,
            actor=person.user,
            details={"organization": code, "roles": sorted(roles)},
        )
        return person.user

    @transaction.atomic
    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        from scape.directory.models import RoleAssignment

        code, roles = memberships(claims)
        person = getattr(user, "person", None)
        if person is None or person.organization.code != code or not user.is_active:
            log.warning(
                "SSO sign-in refused for %s: another organization or inactive", user.username
            )
            return None
        have = set(person.role_codes())
        kept = have & {Role.SYS_ADMIN}  # given here, never by the provider
        wanted = roles | kept
        if wanted != have:
            RoleAssignment.objects.filter(person=person).exclude(role__in=wanted).delete()
            for role in wanted - have:
                RoleAssignment.objects.create(person=person, role=role)
            from scape.core.access import forget_actor

            forget_actor(user)
            audit.record(
                "auth.sso_roles_synced",
                obj=user,
                actor=user,
                details={"from": sorted(have), "to": sorted(wanted)},
            )
        return user


LINK_SESSION_KEY = "scape_sso_link"


@transaction.atomic
def _link(backend: ScapeOIDCBackend, user: Any, claims: dict[str, Any]) -> Any:
    """Link ``user`` to the provider's subject in ``claims``; return the user, or None."""
    from scape.core.models import SignInLink

    subject = str(claims["sub"])
    code, _roles = memberships(claims)
    person = getattr(user, "person", None)
    refusal = None
    if person is None or person.organization.code != code:
        refusal = _("Your groups at the sign-in service belong to another organization.")
    elif SignInLink.objects.filter(subject=subject).exclude(user=user).exists() or (
        get_user_model().objects.filter(username=backend._username(claims)).exists()
    ):
        refusal = _(
            "That identity at the sign-in service already opens another account here. "
            "Ask an administrator."
        )
    elif SignInLink.objects.filter(user=user).exclude(subject=subject).exists():
        refusal = _("Your account is already linked to another identity at the sign-in service.")
    if refusal:
        backend.request.scape_sso_refusal = refusal  # said by the callback's failure
        log.warning("SSO link refused for %s: %s", user.username, refusal)
        return None
    SignInLink.objects.get_or_create(user=user, subject=subject)
    audit.record("auth.sso_linked", obj=user, actor=user, details={"organization": code})
    return backend.update_user(user, claims)


@login_required
@require_POST
def sso_link(request: HttpRequest) -> HttpResponse:
    """Start linking the signed-in account to the person's identity at the provider."""
    if not enabled():
        raise Http404
    request.session[LINK_SESSION_KEY] = request.user.pk
    return redirect(reverse("core:sso_start") + "?next=/profile/")


def sso_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the provider's sign-in (404 when single sign-on is off)."""
    if not enabled():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


class _Callback(OIDCAuthenticationCallbackView):
    @property
    def failure_url(self) -> str:
        # A refused link goes back to the profile, where the person started it.
        if self.request.user.is_authenticated:
            return "/profile/"
        return str(super().failure_url)

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        mfa = bool(getattr(self.request, "scape_sso_mfa", False))
        self.request.session[SSO_MFA_SESSION_KEY] = mfa
        audit.record(
            "auth.sso_login",
            obj=self.user,
            actor=self.user,
            details={"provider_mfa": mfa},
        )
        return response

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            getattr(self.request, "scape_sso_refusal", None)
            or _(
                "The sign-in service did not let you in to SCAPE: your account there is "
                "not in a group that SCAPE knows. Ask your IT department."
            ),
        )
        return super().login_failure()


def sso_callback(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser back with its code."""
    if not enabled():
        raise Http404
    return _Callback.as_view()(request)
