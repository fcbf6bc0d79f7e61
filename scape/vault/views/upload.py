"""The page that uploads many files, resumably (tus, scape.vault.tus)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.views.decorators.http import require_GET

from scape.vault import probe
from scape.vault.actions.ingest import max_bytes
from scape.vault.actions.uploads import BROWSER_CHUNK, may_upload
from scape.vault.choices import SourceType
from scape.vault.queries import upload_targets


@require_GET
@login_required
def upload_page(request: HttpRequest) -> HttpResponse:
    """Show the page that uploads many files, resumably, with a result line for each."""
    if not may_upload(request.user):
        raise PermissionDenied
    cases, categories = upload_targets(request.user)
    accepted = ",".join(sorted(probe.EXTENSIONS))
    context = {
        "endpoint": reverse("vault:uploads"),
        "chunk_size": BROWSER_CHUNK,
        "max_bytes": max_bytes(),
        "max_size": filesizeformat(max_bytes()),
        "accepted": accepted,
        "cases": cases,
        "categories": categories,
        "source_types": SourceType.choices,
    }
    return render(request, "vault/upload.html", context)
