"""Watching and downloading evidence: reason first, then the player, streams and files.

Every consultation records who, why and for whom (EU Directive 2016/680
Art. 25). Playing asks for a reason, records "vault.item_streamed" and gives
this session a short grant for the item; the stream endpoint serves bytes
only under that grant and only while the access door still lets the user see
the item, so revoking a share stops playback at the next request.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from scape.core import audit
from scape.core.choices import Action, JobStatus
from scape.core.downloads import safe_filename
from scape.vault import storage
from scape.vault.choices import DerivativeKind, ItemStatus, MediaKind
from scape.vault.disclosure import file_for_user, redacted_file
from scape.vault.forms import ReasonForm
from scape.vault.models import Derivative, EvidenceItem
from scape.vault.queries import access_item, redacted_only_for
from scape.vault.tasks import item_jobs

SESSION_KEY = "vault_stream_grants"
CHUNK = 256 * 1024
# Originals a browser plays or shows as they are; other kinds need a proxy.
PLAYABLE_ORIGINALS = frozenset(
    {"image/jpeg", "image/png", "audio/mpeg", "audio/wav", "audio/mp4", "video/mp4"}
)
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def grant_seconds() -> int:
    return int(getattr(settings, "SCAPE_STREAM_GRANT_SECONDS", 2 * 3600))


# --- What is played ----------------------------------------------------------


def _derivative(item: EvidenceItem, kind: str) -> Derivative | None:
    return item.derivatives.filter(kind=kind).order_by("-created_at").first()


def playable(item: EvidenceItem) -> tuple[str, int, str, str] | None:
    """Return (storage key, size, content type, etag) of what the player shows, if any."""
    if item.status != ItemStatus.AVAILABLE:
        return None
    proxy = _derivative(item, DerivativeKind.PROXY)
    if proxy is not None:
        return proxy.storage_key, proxy.size, proxy.content_type, proxy.sha256
    if (
        item.media_kind != MediaKind.VIDEO
        and item.content_type in PLAYABLE_ORIGINALS
        and item.blob is not None
    ):
        return item.blob.storage_key, item.size, item.content_type, item.sha256
    return None


def source_for(request: HttpRequest, item: EvidenceItem) -> tuple[str, int, str, str] | None:
    """Return what this user may play: a partner shared "redacted only" gets the redacted copy."""
    if redacted_only_for(request.user, item):
        if item.status != ItemStatus.AVAILABLE:
            return None
        redacted = redacted_file(item)
        if redacted is None:
            return None
        return redacted.storage_key, redacted.size, redacted.content_type, redacted.sha256
    return playable(item)


# --- The session grant -------------------------------------------------------


def _grants(request: HttpRequest) -> dict[str, dict[str, Any]]:
    now = time.time()
    grants = request.session.get(SESSION_KEY, {})
    return {pk: g for pk, g in grants.items() if g.get("until", 0) > now}


def grant_viewing(request: HttpRequest, item: EvidenceItem) -> None:
    """Let this session see the item's media for a while, after a reason was recorded."""
    grants = _grants(request)
    grants[str(item.pk)] = {"until": time.time() + grant_seconds(), "shown": False}
    request.session[SESSION_KEY] = grants


def has_grant(request: HttpRequest, item: EvidenceItem) -> bool:
    """Return whether this session gave a reason to watch the item, not long ago."""
    return str(item.pk) in _grants(request)


def _take_player_view(request: HttpRequest, item: EvidenceItem) -> bool:
    """Return True once per reason given: a reload of the player asks again."""
    grants = _grants(request)
    grant = grants.get(str(item.pk))
    if grant is None or grant.get("shown"):
        return False
    grant["shown"] = True
    request.session[SESSION_KEY] = grants
    return True


# --- Pages -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def item_play(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask why the item is watched, record it, then show the player."""
    item = access_item(request.user, pk, Action.VIEW)
    if source_for(request, item) is None:
        # Nothing to show yet (or ever): no evidence is disclosed, no reason is asked.
        return render(
            request,
            "vault/player.html",
            {"item": item, "source": None, **_jobs_context(item)},
        )
    if request.method == "POST":
        form = ReasonForm(request.POST)
        if form.is_valid():
            audit.record(
                "vault.item_streamed",
                obj=item,
                actor=request.user,
                reason=form.cleaned_data["reason"].strip(),
                recipient=form.cleaned_data["recipient"].strip(),
                details=_what_is_played(request, item),
            )
            grant_viewing(request, item)
            return redirect("vault:item_play", pk=item.pk)
    else:
        if _take_player_view(request, item):
            return render(
                request,
                "vault/player.html",
                {"item": item, "source": source_for(request, item)},
            )
        form = ReasonForm()
    return render(
        request,
        "vault/reason.html",
        {
            "item": item,
            "form": form,
            "title": _("Why are you watching this evidence?"),
            "submit": _("Play") if item.media_kind != MediaKind.IMAGE else _("View"),
            "action_url": reverse("vault:item_play", args=[item.pk]),
        },
    )


def _what_is_played(request: HttpRequest, item: EvidenceItem) -> dict[str, Any]:
    source = source_for(request, item)
    sha256 = source[3] if source else ""
    if sha256 == item.sha256:
        played = "original"
    elif redacted_only_for(request.user, item):
        played = "redacted"
    else:
        played = "proxy"
    return {"played": played, "sha256": sha256}


@require_http_methods(["GET", "POST"])
@login_required
def item_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Ask why the original is downloaded and for whom, record it, then send the file."""
    item = access_item(request.user, pk, Action.DOWNLOAD)
    chosen = file_for_user(request.user, item)
    if chosen is None:
        raise Http404
    key, name, sha256, size, content_type = (
        chosen.storage_key,
        chosen.name,
        chosen.sha256,
        chosen.size,
        chosen.content_type,
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            handle = storage.open_stream(key)
        except FileNotFoundError as exc:
            raise Http404 from exc
        audit.record(
            "vault.item_downloaded",
            obj=item,
            actor=request.user,
            reason=form.cleaned_data["reason"].strip(),
            recipient=form.cleaned_data["recipient"].strip(),
            details={"sha256": sha256, "size": size, "file": chosen.role},
        )
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=safe_filename(name, fallback=f"evidence-{item.pk}"),
            content_type=content_type or "application/octet-stream",
        )
        response.block_size = CHUNK
        response["Cache-Control"] = "private, no-store"
        response["X-Evidence-SHA256"] = sha256
        return response
    return render(
        request,
        "vault/reason.html",
        {
            "item": item,
            "form": form,
            "title": _("Why are you downloading this evidence?"),
            "submit": _("Download the original")
            if chosen.role == "original"
            else _("Download the redacted copy"),
            "action_url": reverse("vault:item_download", args=[item.pk]),
        },
    )


@require_GET
@login_required
def item_jobs_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the progress of the item's jobs (polled by htmx while work runs)."""
    item = access_item(request.user, pk, Action.VIEW)
    context = _jobs_context(item)
    if getattr(request, "htmx", False) and request.GET.get("watching") and not context["active"]:
        # The work this page was waiting for finished: reload it to show the new files.
        return HttpResponseClientRefresh()
    return render(request, "vault/_jobs.html", {"item": item, **context})


def _jobs_context(item: EvidenceItem) -> dict[str, Any]:
    jobs = list(item_jobs(item)[:5])
    active = any(job.status in (JobStatus.QUEUED, JobStatus.RUNNING) for job in jobs)
    return {"jobs": jobs, "active": active}


# --- Bytes -------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@login_required
def item_stream(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Serve the playable copy with HTTP range requests, under this session's grant."""
    item = access_item(request.user, pk, Action.VIEW)
    if not has_grant(request, item):
        raise PermissionDenied(_("Give a reason before watching this evidence."))
    source = source_for(request, item)
    if source is None:
        raise Http404
    key, size, content_type, etag = source
    return ranged_response(request, key, size, content_type, etag=etag)


@require_http_methods(["GET", "HEAD"])
@login_required
def item_thumbnail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Serve the item's thumbnail, recording that it was seen."""
    item = access_item(request.user, pk, Action.VIEW)
    thumb = _derivative(item, DerivativeKind.THUMBNAIL)
    # A thumbnail is cut from the original: not for a partner shown redacted copies only.
    if (
        thumb is None
        or item.status != ItemStatus.AVAILABLE
        or redacted_only_for(request.user, item)
    ):
        raise Http404
    if request.method == "GET":
        # A still of the footage is a consultation too, recorded each time it is sent.
        audit.record("vault.thumbnail_viewed", obj=item, actor=request.user)
    return ranged_response(request, thumb.storage_key, thumb.size, "image/jpeg", etag=thumb.sha256)


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """Return the inclusive (first, last) byte of a single `bytes=` range.

    Raise ValueError when the range cannot be satisfied (answered with 416).
    """
    match = _RANGE.match(header.strip())
    if match is None:
        raise ValueError(header)
    first, last = match.groups()
    if first == "" and last == "":
        raise ValueError(header)
    if first == "":  # the last N bytes
        count = int(last)
        if count == 0 or size == 0:
            raise ValueError(header)
        return max(0, size - count), size - 1
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if start >= size or start > end:
        raise ValueError(header)
    return start, end


def ranged_response(
    request: HttpRequest, key: str, size: int, content_type: str, *, etag: str
) -> HttpResponseBase:
    """Answer a GET/HEAD for a stored file: whole (200), a slice (206) or 416."""
    header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range", "")
    quoted = f'"{etag}"'
    if if_range and if_range != quoted:
        header = ""  # the client's copy is of other bytes: send them all
    first, last, status = 0, size - 1, 200
    if header.startswith("bytes=") and "," not in header:
        try:
            span = parse_range(header, size)
        except ValueError:
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            refused["Accept-Ranges"] = "bytes"
            return refused
        if span is not None:
            first, last = span
            status = 206
    # Other units, and several ranges at once, are ignored: the whole file is sent.
    length = max(0, last - first + 1)
    if request.method == "HEAD":
        response: HttpResponseBase = HttpResponse(status=status)
    else:
        try:
            handle = storage.open_stream(key)
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = StreamingHttpResponse(_Slice(handle, first, length), status=status)
    response["Content-Type"] = content_type
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = quoted
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    if status == 206:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return response


class _Slice:
    """Iterate over `length` bytes of an open file from `offset`, a chunk at a time.

    Django calls close() when the response ends, also when the client went away.
    """

    def __init__(self, handle: Any, offset: int, length: int) -> None:
        self.handle = handle
        self.offset = offset
        self.length = length

    def __iter__(self) -> Iterator[bytes]:
        self.handle.seek(self.offset)
        left = self.length
        while left > 0:
            chunk = self.handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk

    def close(self) -> None:
        self.handle.close()
