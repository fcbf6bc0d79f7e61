"""Reports pages: the dashboard, the records behind each figure, and the exports."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scape.core.access import actor_of
from scape.core.generic import paginate
from scape.directory.queries import organization_labels
from scape.reports import exports
from scape.reports.actions import (
    REFRESHERS,
    do_prepare_export,
    do_request_refresh,
    figures_for,
)
from scape.reports.charts import bar_chart, summary
from scape.reports.forms import ReportFilterForm
from scape.reports.indicators import DIMENSIONS
from scape.reports.queries import (
    Result,
    by_group,
    drill_down,
    evaluate,
    get_indicator,
)


def _member(request: HttpRequest) -> None:
    actor_of(request.user).require(message=_("Reports are for members of partner organizations."))


def _card(result: Result, organizations: dict[str, str]) -> dict[str, Any]:
    """Return what a figure's card shows; ``organizations`` names the partners by code."""
    name = result.indicator.name
    charts = []
    for key, pairs in result.figure.breakdown.items():
        if len(pairs) > 0:
            if key == "organization":  # people read the partners' names, not their codes
                pairs = [(organizations.get(str(code), str(code)), value) for code, value in pairs]
            label = str(DIMENSIONS.get(key, key))
            charts.append({"label": label, "svg": bar_chart(pairs, title=f"{name} \u2014 {label}")})
    return {**summary(result), "charts": charts}


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Show every indicator for a period and partner, with targets and charts."""
    _member(request)
    form = ReportFilterForm(request.GET or None)
    period, organization = form.the_period, form.the_organization
    figures = figures_for(period, organization)
    names = organization_labels()
    groups = [
        (label, [_card(r, names) for r in found]) for label, found in by_group(figures.results)
    ]
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "period": period,
            "organization": organization,
            "groups": groups,
            "computed_at": figures.computed_at,
            "may_refresh": actor_of(request.user).has_any(REFRESHERS),
            "query": form.query(),
            "languages": settings.LANGUAGES,
            "export_params": sorted(form.export_params().items()),
        },
    )


@require_POST
@login_required
def refresh(request: HttpRequest) -> HttpResponse:
    """Queue a recount of the shown period's figures (coordinators); back to the page."""
    _member(request)
    form = ReportFilterForm(request.POST or None)
    period, organization = form.the_period, form.the_organization
    do_request_refresh(request.user, period, organization)
    messages.success(
        request, _("The figures are being counted again; reload the page in a minute.")
    )
    query = form.query()
    return redirect(f"{reverse('reports:index')}?{query}" if query else reverse("reports:index"))


@require_POST
@login_required
def prepare_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Have a worker make the XLSX, CSV or PDF of the shown period; it appears under Downloads."""
    _member(request)
    form = ReportFilterForm(request.POST)
    if fmt not in exports.CONTENT_TYPES or not form.is_valid():
        messages.error(request, _("The export could not be asked for: check the period."))
        return redirect("reports:index")
    do_prepare_export(request.user, fmt, _language(request, request.POST), form.export_params())
    messages.success(request, _("The export is being made; download it here when it is ready."))
    return redirect("core:downloads")


def _language(request: HttpRequest, data: Any) -> str:
    """Return the export language asked for, else the page's, else English."""
    language = data.get("lang") or ""
    if language not in exports.LANGUAGES:
        language = (request.LANGUAGE_CODE or "en")[:2]
        language = language if language in exports.LANGUAGES else "en"
    return str(language)


@require_GET
@login_required
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    """List the records one figure counts: those the user may see, and a count of the rest."""
    _member(request)
    found = get_indicator(code)
    form = ReportFilterForm(request.GET or None)
    period, organization = form.the_period, form.the_organization
    result = evaluate(found, period, organization)
    records = drill_down(request.user, result.figure)
    page = paginate(request, records.rows, 100)
    return render(
        request,
        "reports/indicator.html",
        {
            "form": form,
            "card": _card(result, organization_labels()),
            "period": period,
            "organization": organization,
            "page": page,
            "hidden": records.hidden,
            "query": form.query(),
        },
    )


@require_GET
@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Download the indicators of a period as XLSX, CSV or PDF, in lt, lv or en."""
    _member(request)
    form = ReportFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        errors = [str(e) for field in form.errors.values() for e in field]
        return HttpResponseBadRequest(" ".join(errors), content_type="text/plain; charset=utf-8")
    return exports.response(
        fmt, form.the_period, form.the_organization, _language(request, request.GET)
    )
