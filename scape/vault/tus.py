"""The tus 1.0 protocol over HTTP, for the browser page and the API.

Core protocol with the creation, termination, expiration and checksum (sha256)
extensions. Each request is parsed here and handed to the upload actions in
``scape.vault.actions.uploads``, which own the staging file, the lock and the offset.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _

from scape.vault.actions.ingest import max_bytes
from scape.vault.actions.uploads import (
    CHECKSUM_ALGORITHMS,
    OFFSET_CONTENT_TYPE,
    TUS_EXTENSIONS,
    TUS_VERSION,
    UploadError,
    access_upload,
    check_create_upload,
    do_append_chunk,
    do_terminate_upload,
    may_upload,
    parse_checksum,
    parse_metadata,
    whole_number,
)
from scape.vault.models import Upload

# The protocol over HTTP ------------------------------------------------------------


def _tus(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _error(exc: UploadError) -> HttpResponse:
    reason = {460: "Checksum Mismatch"}.get(exc.status)
    response = JsonResponse({"detail": exc.message}, status=exc.status, reason=reason)
    for header, value in exc.headers.items():
        response[header] = value
    return _tus(response)


def _upload_headers(response: HttpResponse, upload: Upload) -> HttpResponse:
    response["Upload-Offset"] = str(upload.offset)
    response["Upload-Length"] = str(upload.length)
    if upload.status == Upload.Status.ACTIVE:
        response["Upload-Expires"] = http_date(upload.expires_at.timestamp())
    return _tus(response)


def upload_state(upload: Upload) -> dict[str, Any]:
    """Return what a client needs to show about an upload (the JSON of GET)."""
    labels = {"new": _("new"), "duplicate": _("duplicate"), "rejected": _("rejected")}
    finishing = upload.status == Upload.Status.ACTIVE and upload.offset == upload.length
    return {
        "id": str(upload.pk),
        "filename": upload.filename,
        "length": upload.length,
        "offset": upload.offset,
        "status": "finishing" if finishing else upload.status,
        "result": upload.result,
        "result_label": labels.get(upload.result, ""),
        "reason": upload.metadata.get("reason", ""),
        "item": upload.item_id,
        "item_url": reverse("vault:item", args=[upload.item_id]) if upload.item_id else None,
        "expires_at": upload.expires_at.isoformat(),
    }


def tus_options() -> HttpResponse:
    """Answer OPTIONS: what this server supports."""
    response = HttpResponse(status=204)
    response["Tus-Version"] = TUS_VERSION
    response["Tus-Extension"] = TUS_EXTENSIONS
    response["Tus-Max-Size"] = str(max_bytes())
    response["Tus-Checksum-Algorithm"] = CHECKSUM_ALGORITHMS
    return _tus(response)


def _require_version(request: HttpRequest) -> None:
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        raise UploadError(
            412,
            _("Send the header Tus-Resumable: %(version)s.") % {"version": TUS_VERSION},
            {"Tus-Version": TUS_VERSION},
        )


def _method(request: HttpRequest) -> str:
    method = request.method or "GET"
    override = request.headers.get("X-HTTP-Method-Override", "").upper()
    if method == "POST" and override in ("PATCH", "DELETE"):
        return override
    return method


def tus_collection(request: HttpRequest, user: Any, *, via: str) -> HttpResponse:
    """Serve the upload collection: OPTIONS, POST (create) and GET (my recent uploads)."""
    method = _method(request)
    try:
        if method == "OPTIONS":
            return tus_options()
        if method not in ("GET", "POST"):
            raise UploadError(405, _("Method not allowed."))
        # Who may upload is said before anything about the request's headers.
        if not may_upload(user):
            raise UploadError(403, _("Your role may not add evidence."))
        if method == "GET":
            uploads = Upload.objects.filter(created_by=user)[:50]
            return _tus(JsonResponse({"results": [upload_state(u) for u in uploads]}))
        _require_version(request)
        if "Upload-Length" not in request.headers:
            raise UploadError(
                400, _("Send Upload-Length: uploads of unknown size are not supported.")
            )
        length = whole_number(request.headers.get("Upload-Length"), "Upload-Length")
        metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
        upload = check_create_upload(user, length=length, metadata=metadata, via=via)
    except UploadError as exc:
        return _error(exc)
    response = HttpResponse(status=201)
    response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{upload.pk}/")
    return _upload_headers(response, upload)


def tus_upload(request: HttpRequest, user: Any, upload_id: Any) -> HttpResponse:
    """Serve one upload: HEAD (offset), PATCH (append), DELETE (terminate), GET (state)."""
    method = _method(request)
    try:
        if method == "OPTIONS":
            return tus_options()
        upload = access_upload(user, upload_id)
        if method == "GET":
            return _tus(JsonResponse(upload_state(upload)))
        _require_version(request)
        if method == "HEAD":
            if upload.status == Upload.Status.EXPIRED:
                raise UploadError(410, _("This upload has expired or was removed."))
            return _upload_headers(HttpResponse(status=200), upload)
        if method == "DELETE":
            do_terminate_upload(upload, actor=user)
            return _tus(HttpResponse(status=204))
        if method != "PATCH":
            raise UploadError(405, _("Method not allowed."))
        if request.content_type != OFFSET_CONTENT_TYPE:
            raise UploadError(415, _("Send chunks as %(type)s.") % {"type": OFFSET_CONTENT_TYPE})
        offset = whole_number(request.headers.get("Upload-Offset"), "Upload-Offset")
        if not request.META.get("CONTENT_LENGTH"):
            raise UploadError(411, _("Send Content-Length with each chunk."))
        content_length = whole_number(request.META.get("CONTENT_LENGTH"), "Content-Length")
        checksum = parse_checksum(request.headers.get("Upload-Checksum", ""))
        upload = do_append_chunk(
            upload, request, offset=offset, content_length=content_length, checksum=checksum
        )
        upload.refresh_from_db()  # the finishing task may have run inline
    except UploadError as exc:
        return _error(exc)
    response = _upload_headers(HttpResponse(status=204), upload)
    if upload.result:
        response["Upload-Result"] = upload.result
    return response


# Browser pages (session login, CSRF header on every write) --------------------------------


def _session_user(request: HttpRequest) -> Any:
    if not request.user.is_authenticated:
        raise UploadError(403, _("Log in to upload evidence."))
    return request.user


def uploads_endpoint(request: HttpRequest) -> HttpResponse:
    """The tus endpoint of the browser page (the collection)."""
    try:
        user = _session_user(request)
    except UploadError as exc:
        return _error(exc)
    return tus_collection(request, user, via="browser")


def upload_endpoint(request: HttpRequest, upload_id: uuid.UUID) -> HttpResponse:
    """The tus endpoint of the browser page (one upload)."""
    try:
        user = _session_user(request)
    except UploadError as exc:
        return _error(exc)
    return tus_upload(request, user, upload_id)
