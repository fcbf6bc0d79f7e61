"""Reads of core's own records for its pages: second factors, API tokens, workers, downloads."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from scape.core.models import ApiTokenScope, Download, SignInLink, WorkerHeartbeat


def confirmed_devices(user: Any) -> list[TOTPDevice]:
    """Return the user's confirmed authenticator apps, the ones a login code is checked against."""
    return list(TOTPDevice.objects.devices_for_user(user, confirmed=True))


def api_token(user: Any) -> tuple[Token | None, ApiTokenScope | None]:
    """Return the user's own API token and its scope row (None for either that is missing).

    A token made before scopes existed has no scope row
    (scape.core.api.ScopedTokenAuthentication treats it as read and write).
    """
    token = Token.objects.filter(user=user).first()
    policy = ApiTokenScope.objects.filter(token=token).first() if token else None
    return token, policy


def sign_in_link(user: Any) -> SignInLink | None:
    """Return the user's link to their identity at the sign-in service, if they made one."""
    return SignInLink.objects.filter(user=user).first()


def latest_heartbeat() -> WorkerHeartbeat | None:
    """Return the most recent sign of life of any background worker, for /healthz."""
    return WorkerHeartbeat.objects.order_by("-seen_at").first()


# "My downloads" lists this many of the newest; older ones expire within days anyway.
DOWNLOADS_SHOWN = 50


def own_downloads(user: Any) -> QuerySet[Download]:
    """Return the files prepared for the user, newest first (nobody sees another's)."""
    return Download.objects.filter(created_by=user).select_related("job")[:DOWNLOADS_SHOWN]


def own_download(user: Any, pk: Any) -> Download:
    """Return the user's own prepared file, or 404 for anyone else's and for none."""
    download = Download.objects.filter(pk=pk, created_by=user).first()
    if download is None or not user.is_active:
        raise Http404
    return download
