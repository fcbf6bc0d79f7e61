"""Core pages: login with a second factor, home, profile, audit log, health."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp import user_has_device

from scape.core import audit, sso
from scape.core.actions import (
    do_confirm_enrolment,
    do_issue_api_token,
    do_prepare_enrolment,
    do_set_language,
    enrolment_permit,
)
from scape.core.choices import JobStatus, Outcome, TokenScope
from scape.core.downloads import open_download, private_file
from scape.core.filtersets import AuditFilter
from scape.core.forms import TokenForm
from scape.core.generic import filtered, keyset_paginate, report_errors
from scape.core.queries import (
    api_token,
    confirmed_devices,
    latest_heartbeat,
    own_download,
    own_downloads,
    sign_in_link,
)
from scape.core.spreadsheets import spreadsheet_text


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


class LoginView(auth_views.LoginView):
    """Step one: username and password (django-axes counts failures)."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from scape.core.sso import enabled

        return {**super().get_context_data(**kwargs), "sso_enabled": enabled()}


def _throttled_message() -> str:
    return _("Too many wrong codes in a row. Wait a few seconds and try again.")


@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Step two: the code from the user's authenticator app."""
    user: Any = request.user
    if not user_has_device(user):
        return redirect("core:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        devices = confirmed_devices(user)
        if not any(d.verify_is_allowed()[0] for d in devices):
            form.add_error("token", _throttled_message())
            return render(
                request, "core/otp_verify.html", {"form": form, "next": _next_url(request)}
            )
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                # A new session key once the second factor is passed: a key
                # planted or seen before this step is worth nothing after it.
                request.session.cycle_key()
                audit.record("auth.2fa_verified", obj=user, actor=user)
                return redirect(_next_url(request))
        audit.record("auth.2fa_failed", obj=user, actor=user, outcome=Outcome.FAILURE)
        form.add_error("token", _("That code is not valid. Try the newest code."))
    return render(request, "core/otp_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show its QR code and confirm one code."""
    user: Any = request.user
    if user_has_device(user):
        return redirect("core:otp_verify")
    permit = enrolment_permit(user)
    if permit is None:
        return render(request, "core/otp_setup_closed.html", status=403)
    device = do_prepare_enrolment(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not device.verify_is_allowed()[0]:
        form.add_error("token", _throttled_message())
    elif request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            do_confirm_enrolment(user, device, permit)
            otp_login(request, device)
            request.session.cycle_key()
            messages.success(request, _("Two-factor login is set up."))
            return redirect(_next_url(request))
        form.add_error("token", _("That code is not valid. Check the time on your phone."))
    qr = segno.make(device.config_url, error="m")
    # A complete SVG document (with its xmlns) as a data: URI; an inline SVG
    # fragment in a data: URI is no image at all and the browser shows the alt text.
    qr_image = qr.svg_data_uri(scale=5)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "core/otp_setup.html",
        {"form": form, "qr_image": qr_image, "secret": secret, "next": _next_url(request)},
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language and remember it on the user's profile."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        do_set_language(request.user, request.POST.get("language", ""))
    return response


@never_cache
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The user's own profile: language, second factor, API token."""
    user: Any = request.user
    token, policy = api_token(user)
    context = {
        "token": token,
        "policy": policy,
        "show_token": False,
        "scopes": TokenScope.choices,
        "max_days": settings.SCAPE_API_TOKEN_DAYS,
        "sso_enabled": sso.enabled(),
        "sso_link": sign_in_link(user),
    }
    if request.method == "POST" and request.POST.get("op") == "rotate_token":
        try:
            days = int(request.POST.get("days", "30"))
        except ValueError:
            days = 0
        try:
            token, policy = do_issue_api_token(
                user, scope=request.POST.get("scope", TokenScope.READ), days=days
            )
        except ValidationError as exc:
            report_errors(request, exc)
            return render(request, "core/profile.html", context, status=400)
        messages.success(request, _("A new API token was created; the old one no longer works."))
        context.update(token=token, policy=policy, show_token=True)
    return render(request, "core/profile.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    success_url = "/profile/"

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


_CONSULTED_KEY = "audit_log_consulted"
_CURSORS = frozenset({"after", "before", "page"})


@never_cache
@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """List and filter audit events (auditors); each consultation is itself recorded.

    One ``audit.read`` event per session and set of filters: paging through the
    same search, or reloading it, is the same consultation, and writing an
    event (through the chain lock) on every page view would make reading the
    log contend with every action that writes to it (docs/decisions.md).
    """
    filterset, events = filtered(request, audit.visible_events(request.user), AuditFilter)
    page = keyset_paginate(request, events, ("-pk",))
    filters = {k: v for k, v in sorted(request.GET.items()) if v and k not in _CURSORS}
    consulted = request.session.get(_CONSULTED_KEY, [])
    key = hashlib.sha256(json.dumps(filters, sort_keys=True).encode()).hexdigest()[:16]
    if key not in consulted:
        audit.record("audit.read", object_type="core.auditevent", details={"filters": filters})
        request.session[_CONSULTED_KEY] = [*consulted[-49:], key]
    return render(request, "core/audit_log.html", {"form": filterset.form, "page": page})


class _Echo:
    def write(self, value: str) -> str:
        return value


@never_cache
@login_required
def audit_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Export the filtered audit events as CSV."""
    filterset, events = filtered(request, audit.visible_events(request.user), AuditFilter)
    if filterset.is_bound and not filterset.is_valid():
        form = filterset.form
        return HttpResponse(
            "; ".join(str(e) for errs in form.errors.values() for e in errs),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    audit.record(
        "audit.exported",
        object_type="core.auditevent",
        details={"filters": {k: v for k, v in request.GET.items() if v}},
    )
    columns = [
        "id", "time", "actor_username", "actor_org", "subject_org", "action", "object_type",
        "object_id", "object_repr", "outcome", "ip", "request_id", "reason", "recipient",
        "prev_hash", "hash",
    ]  # fmt: skip
    writer = csv.writer(_Echo())

    def rows() -> Any:
        yield writer.writerow(columns)
        for event in events.order_by("id").iterator(chunk_size=2000):
            yield writer.writerow([spreadsheet_text(getattr(event, c)) for c in columns])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="scape-audit.csv"'
    return response


def _downloads_context(user: Any) -> dict[str, Any]:
    downloads = list(own_downloads(user))
    active = any(d.job and d.job.status in (JobStatus.QUEUED, JobStatus.RUNNING) for d in downloads)
    return {"downloads": downloads, "downloads_active": active}


@never_cache
@require_GET
@login_required
def downloads(request: HttpRequest) -> HttpResponse:
    """List the files prepared for the user (large exports), with their progress."""
    return render(request, "core/downloads.html", _downloads_context(request.user))


@never_cache
@require_GET
@login_required
def downloads_fragment(request: HttpRequest) -> HttpResponse:
    """Return the list of prepared files alone (polled while one is being made)."""
    return render(request, "core/_downloads.html", _downloads_context(request.user))


@require_GET
@login_required
def download_file(request: HttpRequest, pk: int) -> FileResponse:
    """Send a prepared file to the person it was made for (recorded)."""
    download = own_download(request.user, pk)
    try:
        handle = open_download(download, actor=request.user)
    except FileNotFoundError as exc:
        raise Http404 from exc
    return private_file(handle, filename=download.name, content_type=download.content_type)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report whether the database, the file storage and a worker are alive."""
    report: dict[str, Any] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:
        healthy = False
        report["database"] = {"ok": False, "error": exc.__class__.__name__}
    try:
        name = default_storage.save("healthz/probe.txt", ContentFile(b"ok"))
        default_storage.delete(name)
        report["storage"] = {"ok": True}
    except Exception as exc:
        healthy = False
        report["storage"] = {"ok": False, "error": exc.__class__.__name__}
    try:
        latest = latest_heartbeat()
    except Exception:
        latest = None
    if latest is None:
        report["worker"] = {"ok": False, "last_seen_s": None}
    else:
        age = (timezone.now() - latest.seen_at).total_seconds()
        limit = 3 * settings.SCAPE_WORKER_HEARTBEAT_SECONDS
        report["worker"] = {"ok": age <= limit, "last_seen_s": round(age, 1)}
    report["ok"] = healthy
    return JsonResponse(report, status=200 if healthy else 503)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain a rejected form in the user's language instead of Django's page."""
    message = _("The form expired or came from another site. Reload the page and try again.")
    return render(request, "core/error.html", {"message": message}, status=403)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"message": _("You are not allowed to do this.")},
        status=403,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"message": _("This page does not exist, or you may not see it.")},
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"message": _("Something went wrong on our side. The error was logged.")},
        status=500,
    )
