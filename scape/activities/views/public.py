"""Public verification of a certificate by its code (no login)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from scape.activities.pdfs import verify_url
from scape.activities.queries import certificate_by_code, verification_facts

# --- public verification --------------------------------------------------------


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public page (no login) that tells whether a certificate is valid, expired or revoked."""
    certificate = certificate_by_code(code)
    if certificate is None:
        return render(request, "activities/verify_unknown.html", {"code": code[:60]}, status=404)
    response = render(
        request,
        "activities/verify.html",
        {"facts": verification_facts(certificate), "url": verify_url(certificate.code)},
    )
    # A holder's name is for whoever holds the code, not for search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
