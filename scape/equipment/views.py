"""Equipment pages: the asset list, an asset's page (the target of its QR label),
check-out and check-in, the label sheet and the monthly CO₂ report."""

from __future__ import annotations

import csv
import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scape.core.access import actor_of, can
from scape.core.choices import Action
from scape.directory.models import Organization
from scape.equipment.actions import do_check_in, do_check_out
from scape.equipment.forms import AssetFilterForm, CheckInForm, CheckOutForm, MonthForm
from scape.equipment.labels import label_sheet
from scape.equipment.models import ASSET_POLICY, Asset
from scape.equipment.queries import (
    access_asset,
    co2_report,
    due_maintenance,
    get_assets,
    history,
    overdue_checkouts,
)


@require_GET
@login_required
def asset_list(request: HttpRequest) -> HttpResponse:
    """List the equipment the user may see, filtered by kind and status."""
    assets = get_assets(request.user)
    form = AssetFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        for name in ("kind", "status"):
            if form.cleaned_data.get(name):
                assets = assets.filter(**{name: form.cleaned_data[name]})
    page = Paginator(assets, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {"page": page, "form": form, "query": query.urlencode()}
    actor = actor_of(request.user)
    if actor.organization_id is not None and actor.has_any(ASSET_POLICY.own[Action.CHANGE]):
        context["due"] = due_maintenance(actor.organization_id)
        context["overdue"] = overdue_checkouts(actor.organization_id)
    return render(request, "equipment/asset_list.html", context)


def _detail(
    request: HttpRequest,
    asset: Asset,
    *,
    check_out_form: CheckOutForm | None = None,
    check_in_form: CheckInForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_change = can(request.user, Action.CHANGE, asset)
    context = {
        "asset": asset,
        "open_checkout": asset.open_checkout,
        "history": history(asset)[:50],
        "readings": asset.readings.order_by("-read_at", "-id")[:10],
        "maintenance": asset.maintenance.all()[:10],
        "can_change": can_change,
        "check_out_form": check_out_form
        or CheckOutForm(
            organization=asset.organization_id,
            initial={"expected_return": timezone.localtime() + datetime.timedelta(hours=12)},
        ),
        "check_in_form": check_in_form or CheckInForm(),
    }
    return render(request, "equipment/asset_detail.html", context, status=status)


@require_GET
@login_required
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an asset, who holds it, and its history; scanning its label opens this page."""
    return _detail(request, access_asset(request.user, pk))


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_POST
@login_required
def asset_check_out(request: HttpRequest, pk: int) -> HttpResponse:
    """Check an asset out to a person of its organization."""
    asset = access_asset(request.user, pk, Action.CHANGE)
    form = CheckOutForm(request.POST, organization=asset.organization_id)
    if form.is_valid():
        try:
            do_check_out(
                asset,
                form.cleaned_data["person"],
                form.cleaned_data["expected_return"],
                actor=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Checked out to %(person)s.") % {"person": form.cleaned_data["person"]},
            )
            return redirect(asset)
    return _detail(request, asset, check_out_form=form, status=400)


@require_POST
@login_required
def asset_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Check an asset back in, noting its condition."""
    asset = access_asset(request.user, pk, Action.CHANGE)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            do_check_in(asset, form.cleaned_data["condition"], actor=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Checked in."))
            return redirect(asset)
    return _detail(request, asset, check_in_form=form, status=400)


@require_GET
@login_required
def labels_pdf(request: HttpRequest) -> HttpResponse:
    """Return an A4 sheet of QR labels for the assets the user may see (filters apply)."""
    assets = get_assets(request.user).order_by("organization__code", "tag")
    form = AssetFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        for name in ("kind", "status"):
            if form.cleaned_data.get(name):
                assets = assets.filter(**{name: form.cleaned_data[name]})
    labels = [
        (
            asset.tag,
            f"{asset.make} {asset.model}".strip() or asset.get_kind_display(),
            request.build_absolute_uri(asset.get_absolute_url()),
        )
        for asset in assets
    ]
    if not labels:
        raise Http404(_("No equipment to print labels for."))
    pdf = label_sheet(labels, title=_("Equipment labels"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="labels.pdf"'
    return response


def _own_organization(request: HttpRequest) -> Organization:
    actor = actor_of(request.user)
    if actor.organization_id is None or not actor.has_any(ASSET_POLICY.own[Action.VIEW]):
        raise Http404
    return Organization.objects.get(pk=actor.organization_id)


def _month(request: HttpRequest) -> tuple[MonthForm, int, int]:
    today = timezone.localdate()
    form = MonthForm(request.GET or None, initial={"year": today.year, "month": today.month})
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["year"], form.cleaned_data["month"]
    if not form.is_bound:
        form = MonthForm(initial={"year": today.year, "month": today.month})
    return form, today.year, today.month


@require_GET
@login_required
def co2_report_page(request: HttpRequest) -> HttpResponse:
    """Show a month of the fleet: km, energy, fuel and CO₂ avoided, with sourced factors."""
    organization = _own_organization(request)
    form, year, month = _month(request)
    report = co2_report(organization, year, month)
    csv_url = reverse("equipment:co2_csv") + f"?year={year}&month={month}"
    return render(
        request,
        "equipment/co2_report.html",
        {"report": report, "form": form, "organization": organization, "csv_url": csv_url},
    )


@require_GET
@login_required
def co2_report_csv(request: HttpRequest) -> HttpResponse:
    """Return the monthly CO₂ report as CSV, factors and their sources included."""
    organization = _own_organization(request)
    _form, year, month = _month(request)
    report = co2_report(organization, year, month)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="co2-{organization.code}-{year}-{month:02d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Vehicle kind"),
            _("Distance (km)"),
            _("Energy (kWh)"),
            _("Fuel (litres)"),
            _("CO₂ avoided (kg)"),
        ]
    )
    for row in report.rows:
        writer.writerow(
            [
                row.label,
                row.km,
                row.kwh,
                row.fuel_l,
                "" if row.avoided_kg is None else row.avoided_kg,
            ]
        )
    writer.writerow([])
    for label, f in (
        (_("Reference car factor"), report.vehicle_factor),
        (_("Grid factor"), report.grid_factor),
    ):
        if f is None:
            continue
        writer.writerow([label, f.value, f.get_kind_display(), f.year, f.source])
    for message in report.missing:
        writer.writerow([message])
    return response
