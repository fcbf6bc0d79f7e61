"""Request-wide middleware: request context, security headers, language, 2FA gate."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from scape.core import context
from scape.core.security import SSO_MFA_SESSION_KEY, is_verified, requires_two_factor

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

Handler = Callable[[HttpRequest], HttpResponse]


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's address; trust X-Forwarded-For only behind a known proxy."""
    if getattr(settings, "SCAPE_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Give every request an id and make it, the IP and the user known to the audit log."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else context.new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        ctx = context.RequestContext(request_id=request_id, ip=client_ip(request), request=request)
        with context.request_context(ctx):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy and Permissions-Policy headers.

    Whatever a signed-in user (or an API token) is answered holds personal data
    or evidence: unless a view chose otherwise, no browser, proxy or shared
    computer may keep a copy of it (``Cache-Control: private, no-store``).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.SCAPE_CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) or "HTTP_AUTHORIZATION" in request.META:
            response.setdefault("Cache-Control", "private, no-store")
        return response


class UserLanguageMiddleware:
    """Serve a logged-in user in the language saved on their profile."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        person = getattr(user, "person", None) if user.is_authenticated else None
        language = getattr(person, "ui_language", "") if person is not None else ""
        if language and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Stop a user who must use 2FA at the second-factor step until they pass it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not self._exempt(request.path_info)
            and requires_two_factor(user)
            and not is_verified(user)
            # A single sign-on whose provider asserted a second factor (scape.core.sso).
            and not request.session.get(SSO_MFA_SESSION_KEY)
        ):
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Two-factor login is required. Log in again.")},
                    status=403,
                )
            if request.headers.get("HX-Request"):
                # A fragment the page polls (the notification badge) must not swap
                # the whole second-factor page into itself; htmx ignores a 403.
                return HttpResponse(status=403)
            from django_otp import user_has_device

            target = "core:otp_verify" if user_has_device(user) else "core:otp_setup"
            return redirect(reverse(target) + "?next=" + request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = ("/login/", "/logout/", "/static/", "/i18n/", "/healthz", "/verify/")
        return path.startswith(exempt)


class UserTimeZoneMiddleware:
    """Show and read times in the user's organization's zone (Vilnius or Riga); store UTC.

    Visitors without an organization (the public pages) get
    SCAPE_DEFAULT_DISPLAY_TIME_ZONE.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        person = getattr(getattr(request, "user", None), "person", None)
        organization = getattr(person, "organization", None)
        name = getattr(organization, "display_time_zone", "") or getattr(
            settings, "SCAPE_DEFAULT_DISPLAY_TIME_ZONE", "Europe/Vilnius"
        )
        try:
            timezone.activate(zoneinfo.ZoneInfo(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
