"""Equipment pages: the asset list, an asset's page (the target of its QR label),
check-out and check-in, records of use and maintenance, the label sheet and the
monthly CO₂ report."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scape.core.access import actor_of, can
from scape.core.choices import Action
from scape.core.forms import add_validation_errors
from scape.core.generic import filtered, paginate
from scape.core.tracks import MAX_BYTES, TrackError, track_distance_m
from scape.directory.models import Organization
from scape.directory.queries import own_organization
from scape.equipment.actions import (
    do_add_asset_photo,
    do_check_in,
    do_check_out,
    do_create_asset,
    do_create_schedule,
    do_delete_schedule,
    do_record_flight,
    do_record_maintenance,
    do_record_reading,
    do_record_trip,
    do_update_asset,
)
from scape.equipment.choices import (
    DETAIL_FIELDS,
    VEHICLES,
    AssetKind,
    AssetStatus,
    InformingType,
    MeterUnit,
)
from scape.equipment.exports import XLSX_TYPE, co2_rows, to_csv, to_xlsx
from scape.equipment.filtersets import AssetFilter
from scape.equipment.forms import (
    AssetForm,
    CheckInForm,
    CheckOutForm,
    FlightForm,
    MaintenanceForm,
    MonthForm,
    PhotoForm,
    ReadingForm,
    ScheduleForm,
    TripForm,
)
from scape.equipment.labels import label_sheet
from scape.equipment.models import (
    ASSET_POLICY,
    Asset,
)
from scape.equipment.queries import (
    access_asset,
    co2_report,
    due_maintenance,
    fleet_organization,
    fleet_organization_id,
    fleet_person_custody,
    get_assets,
    history,
    maintenance_record_of,
    may_check_in,
    may_check_out,
    overdue_checkouts,
    photo_of,
    schedules_of,
)


@require_GET
@login_required
def asset_list(request: HttpRequest) -> HttpResponse:
    """List the equipment the user may see, filtered by kind and status."""
    assets, form = filtered_assets(request)
    page = paginate(request, assets)
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {"page": page, "form": form, "query": query.urlencode()}
    actor = actor_of(request.user)
    # Labels, the CO2 report and shift trips are for members who see the fleet,
    # not for volunteers who only see what they hold.
    context["sees_fleet"] = fleet_organization_id(request.user) is not None
    if _manages_equipment(request):
        context["can_manage"] = True
        context["due"] = due_maintenance(actor.organization_id)
        context["overdue"] = overdue_checkouts(actor.organization_id)
    return render(request, "equipment/asset_list.html", context)


def filtered_assets(request: HttpRequest) -> tuple[Any, Any]:
    """Return the assets the user may see, narrowed by the list's filters, and the filter form."""
    filterset, assets = filtered(request, get_assets(request.user), AssetFilter)
    return assets, filterset.form


def _manages_equipment(request: HttpRequest) -> bool:
    return fleet_organization_id(request.user, Action.CHANGE) is not None


def managed_organization(request: HttpRequest) -> Organization:
    """Return the organization whose equipment the user manages, or refuse."""
    return own_organization(request.user, ASSET_POLICY.own[Action.CHANGE])


def may_record_use(user: Any, asset: Asset) -> bool:
    """Return whether the user may record the asset's use (readings, trips, flights).

    The people of the asset's organization who use it keep these records, not
    only the equipment desk; a partner the asset is shared with only reads.
    """
    actor = actor_of(user)
    return actor.organization_id is not None and actor.organization_id == asset.organization_id


def _default_unit(asset: Asset) -> str:
    if asset.kind == AssetKind.DRONE:
        return MeterUnit.FLIGHT_HOURS
    if asset.kind in VEHICLES:
        return MeterUnit.KM
    return MeterUnit.CHARGE_CYCLES


def _detail(
    request: HttpRequest,
    asset: Asset,
    *,
    status: int = 200,
    **bound: Any,
) -> HttpResponse:
    can_change = can(request.user, Action.CHANGE, asset)
    may_use = may_record_use(request.user, asset)
    now = timezone.localtime().replace(second=0, microsecond=0)
    me = getattr(request.user, "person", None)
    me_id = me.pk if me is not None and me.organization_id == asset.organization_id else None
    recent = {"started_at": now - datetime.timedelta(hours=1), "ended_at": now}
    org = asset.organization_id
    open_checkout = asset.open_checkout
    self_service = not can_change and may_check_out(request.user, asset)
    context: dict[str, Any] = {
        "asset": asset,
        "open_checkout": open_checkout,
        "details": _details_display(asset),
        "photos": asset.photos.select_related("checkout")[:24],
        "may_check_out": can_change or self_service,
        "may_check_in": open_checkout is not None
        and may_check_in(request.user, asset, open_checkout),
        "history": history(asset)[:50],
        "readings": asset.readings.order_by("-read_at", "-id")[:10],
        "maintenance": asset.maintenance.all()[:10],
        "trips": asset.trips.select_related("driver__user")[:10],
        "flights": asset.flights.select_related("pilot__user")[:10],
        "can_change": can_change,
        "same_org": actor_of(request.user).organization_id == asset.organization_id,
        "check_out_form": bound.get("check_out_form")
        or CheckOutForm(
            organization=org,
            only_user=request.user if self_service else None,
            initial={"expected_return": now + datetime.timedelta(hours=12)},
        ),
        "check_in_form": bound.get("check_in_form") or CheckInForm(),
    }
    if may_use:
        context["reading_form"] = bound.get("reading_form") or ReadingForm(
            initial={"unit": _default_unit(asset)}
        )
        if asset.kind in VEHICLES:
            context["trip_form"] = bound.get("trip_form") or TripForm(
                organization=org, initial={**recent, "driver": me_id}
            )
        if asset.kind == AssetKind.DRONE:
            context["flight_form"] = bound.get("flight_form") or FlightForm(
                organization=org, initial={**recent, "pilot": me_id}
            )
    if can_change:
        context["maintenance_form"] = bound.get("maintenance_form") or MaintenanceForm(
            initial={"done_on": timezone.localdate()}
        )
        context["photo_form"] = bound.get("photo_form") or PhotoForm()
        context["schedule_form"] = bound.get("schedule_form") or ScheduleForm()
    context["schedules"] = schedules_of(asset).order_by("kind", "id")
    if asset.kind == AssetKind.DRONE and any(f.track for f in context["flights"]):
        context["map_layers"] = json.dumps(
            [
                {
                    "name": _("Flight tracks"),
                    "url": reverse("equipment:asset_tracks", args=[asset.pk]),
                    "color": "#1f5fa8",
                }
            ]
        )
    return render(request, "equipment/asset_detail.html", context, status=status)


def _details_display(asset: Asset) -> list[tuple[str, Any]]:
    details = asset.details or {}
    shown = []
    for name in DETAIL_FIELDS.get(asset.kind, ()):
        if details.get(name) in (None, ""):
            continue
        value = details[name]
        if name == "informing_type" and value in InformingType.values:
            value = InformingType(value).label
        shown.append((str(AssetForm.base_fields[name].label), value))
    return shown


@require_GET
@login_required
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an asset, who holds it, and its history; scanning its label opens this page."""
    return _detail(request, access_asset(request.user, pk))


@require_POST
@login_required
def asset_check_out(request: HttpRequest, pk: int) -> HttpResponse:
    """Check an asset out to a person of its organization."""
    asset = access_asset(request.user, pk)
    if not may_check_out(request.user, asset):
        raise PermissionDenied
    self_service = not can(request.user, Action.CHANGE, asset)
    form = CheckOutForm(
        request.POST,
        organization=asset.organization_id,
        only_user=request.user if self_service else None,
    )
    if form.is_valid():
        try:
            do_check_out(
                asset,
                form.cleaned_data["person"],
                form.cleaned_data["expected_return"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
            if asset.status != AssetStatus.AVAILABLE:
                # The page shows no check-out form for this asset: say why here.
                for message in exc.messages:
                    messages.error(request, message)
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
    asset = access_asset(request.user, pk)
    if not may_check_in(request.user, asset):
        raise PermissionDenied
    form = CheckInForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            do_check_in(
                asset,
                form.cleaned_data["condition"],
                photos=form.cleaned_data["photos"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Checked in."))
            return redirect(asset)
    return _detail(request, asset, check_in_form=form, status=400)


def _asset_for_use(request: HttpRequest, pk: int) -> Asset:
    asset = access_asset(request.user, pk)
    if not may_record_use(request.user, asset):
        raise PermissionDenied
    return asset


def _refused(request: HttpRequest, asset: Asset, name: str, form: Any) -> HttpResponse:
    messages.error(request, _("Nothing was recorded: correct the form below."))
    return _detail(request, asset, status=400, **{name: form})


@require_POST
@login_required
def asset_reading(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a meter reading of an asset (meters only go up)."""
    asset = _asset_for_use(request, pk)
    form = ReadingForm(request.POST)
    if form.is_valid():
        try:
            reading = do_record_reading(
                asset,
                form.cleaned_data["unit"],
                form.cleaned_data["value"],
                form.cleaned_data["replacement"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                _("Reading recorded: %(value)s %(unit)s.")
                % {"value": reading.value, "unit": reading.get_unit_display()},
            )
            return redirect(asset)
    return _refused(request, asset, "reading_form", form)


@require_POST
@login_required
def asset_trip(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a trip made with a vehicle."""
    asset = _asset_for_use(request, pk)
    form = TripForm(request.POST, organization=asset.organization_id)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            trip = do_record_trip(asset, data.pop("driver"), actor=request.user, **data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Trip recorded: %(km)s km.") % {"km": trip.km})
            return redirect(asset)
    return _refused(request, asset, "trip_form", form)


@require_POST
@login_required
def asset_maintenance(request: HttpRequest, pk: int) -> HttpResponse:
    """Record work done on an asset (equipment managers)."""
    asset = access_asset(request.user, pk, Action.CHANGE)
    form = MaintenanceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            record = do_record_maintenance(asset, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                _("Maintenance recorded: %(kind)s.") % {"kind": record.get_kind_display()},
            )
            return redirect(asset)
    return _refused(request, asset, "maintenance_form", form)


@require_POST
@login_required
def asset_flight(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a drone flight, with its track file if given."""
    asset = _asset_for_use(request, pk)
    form = FlightForm(request.POST, request.FILES, organization=asset.organization_id)
    if form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("track", None)
        name, content = "", None
        if upload:
            name, content = upload.name, b""
            if upload.size > MAX_BYTES:
                form.add_error("track", _("The track file is too large."))
            else:
                content = upload.read()
        if not form.errors:
            try:
                flight = do_record_flight(
                    asset,
                    data.pop("pilot"),
                    track_file_name=name,
                    track_bytes=content,
                    actor=request.user,
                    **data,
                )
            except TrackError as exc:
                form.add_error("track", str(exc))
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                if flight.track:
                    message = _("Flight recorded, with %(count)s track points over %(km)s km.") % {
                        "count": len(flight.track),
                        "km": number_format(track_distance_m(flight.track) / 1000, 2),
                    }
                else:
                    message = _("Flight recorded.")
                messages.success(request, message)
                return redirect(asset)
    return _refused(request, asset, "flight_form", form)


@require_GET
@login_required
def labels_pdf(request: HttpRequest) -> HttpResponse:
    """Return an A4 sheet of QR labels for the assets the user may see (filters apply)."""
    assets, _form = filtered_assets(request)
    labels = [
        (
            asset.tag,
            f"{asset.make} {asset.model}".strip() or asset.get_kind_display(),
            request.build_absolute_uri(asset.get_absolute_url()),
        )
        for asset in assets.order_by("organization__code", "tag")
    ]
    if not labels:
        raise Http404(_("No equipment to print labels for."))
    pdf = label_sheet(labels, title=_("Equipment labels"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="labels.pdf"'
    return response


def _month(request: HttpRequest) -> tuple[MonthForm, int, int]:
    today = timezone.localdate()
    form = MonthForm(request.GET or None, initial={"year": today.year, "month": today.month})
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["year"], form.cleaned_data["month"]
    return form, today.year, today.month


@require_GET
@login_required
def co2_report_page(request: HttpRequest) -> HttpResponse:
    """Show a month of the fleet: km, energy, fuel and CO₂ avoided, with sourced factors."""
    organization = fleet_organization(request.user)
    form, year, month = _month(request)
    report = co2_report(organization, year, month)
    query = f"?year={year}&month={month}"
    return render(
        request,
        "equipment/co2_report.html",
        {
            "report": report,
            "form": form,
            "organization": organization,
            "csv_url": reverse("equipment:co2_csv") + query,
            "xlsx_url": reverse("equipment:co2_xlsx") + query,
        },
    )


@require_GET
@login_required
def co2_report_csv(request: HttpRequest) -> HttpResponse:
    """Return the monthly CO₂ report as CSV, factors and their sources included."""
    organization = fleet_organization(request.user)
    _form, year, month = _month(request)
    report = co2_report(organization, year, month)
    response = HttpResponse(to_csv(co2_rows(report)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="co2-{organization.code}-{year}-{month:02d}.csv"'
    )
    return response


def _asset_form_page(
    request: HttpRequest, form: AssetForm, asset: Asset | None, status: int = 200
) -> HttpResponse:
    return render(
        request, "equipment/asset_form.html", {"form": form, "asset": asset}, status=status
    )


@login_required
def asset_create(request: HttpRequest) -> HttpResponse:
    """Register a piece of equipment of the user's organization (equipment managers)."""
    organization = managed_organization(request)
    if request.method != "POST":
        return _asset_form_page(request, AssetForm(organization=organization), None)
    form = AssetForm(request.POST, organization=organization)
    if form.is_valid():
        data = form.action_fields()
        try:
            asset = do_create_asset(
                organization,
                kind=data.pop("kind"),
                tag=data.pop("tag"),
                actor=request.user,
                **data,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Equipment %(tag)s registered.") % {"tag": asset.tag})
            return redirect(asset)
    messages.error(request, _("Nothing was saved: correct the form below."))
    return _asset_form_page(request, form, None, status=400)


@login_required
def asset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the description of a piece of equipment (equipment managers)."""
    asset = access_asset(request.user, pk, Action.CHANGE)
    organization = asset.organization
    held = asset.status == AssetStatus.CHECKED_OUT
    if request.method != "POST":
        form = AssetForm(
            organization=organization, checked_out=held, initial=AssetForm.initial_for(asset)
        )
        return _asset_form_page(request, form, asset)
    form = AssetForm(request.POST, organization=organization, checked_out=held)
    if form.is_valid():
        try:
            changed = do_update_asset(asset, actor=request.user, **form.action_fields())
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            if changed:
                messages.success(request, _("Changes saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(asset)
    messages.error(request, _("Nothing was saved: correct the form below."))
    return _asset_form_page(request, form, asset, status=400)


@require_POST
@login_required
def asset_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a photo of an asset, checked to be a real picture."""
    asset = access_asset(request.user, pk, Action.CHANGE)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            do_add_asset_photo(
                asset,
                form.cleaned_data["photo"],
                caption=form.cleaned_data["caption"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Photo added."))
            return redirect(asset)
    return _refused(request, asset, "photo_form", form)


@require_GET
@login_required
def asset_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """Return a photo of an asset the user may see."""
    asset = access_asset(request.user, pk)
    photo = photo_of(asset, photo_pk)
    extension = (photo.image.name or "").rsplit(".", 1)[-1].lower()
    content_type = {"png": "image/png", "webp": "image/webp"}.get(extension, "image/jpeg")
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
@login_required
def co2_report_xlsx(request: HttpRequest) -> HttpResponse:
    """Return the monthly CO₂ report as XLSX, factors and their sources included."""
    organization = fleet_organization(request.user)
    _form, year, month = _month(request)
    report = co2_report(organization, year, month)
    response = HttpResponse(
        to_xlsx(co2_rows(report), title=f"CO2 {year}-{month:02d}"), content_type=XLSX_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="co2-{organization.code}-{year}-{month:02d}.xlsx"'
    )
    return response


@require_GET
@login_required
def maintenance_attachment(request: HttpRequest, pk: int, record_pk: int) -> FileResponse:
    """Return the attachment of a maintenance record of an asset the user may see."""
    asset = access_asset(request.user, pk)
    record = maintenance_record_of(asset, record_pk)
    if not record.attachment:
        raise Http404
    try:
        handle = record.attachment.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = (record.attachment.name or "").rsplit("/", 1)[-1]
    # Always a download: a document must not run as a page of this site.
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type="application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def person_custody(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the equipment a person of the user's organization has held, newest first."""
    person, checkouts = fleet_person_custody(request.user, pk)
    page = paginate(request, checkouts)
    return render(
        request, "equipment/person_custody.html", {"person": person, "page": page, "query": ""}
    )


@require_POST
@login_required
def schedule_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan recurring maintenance of an asset or of its kind (equipment managers)."""
    asset = access_asset(request.user, pk, Action.CHANGE)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            do_create_schedule(asset, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Maintenance schedule added."))
            return redirect(asset)
    return _refused(request, asset, "schedule_form", form)


@require_POST
@login_required
def schedule_delete(request: HttpRequest, pk: int, schedule_pk: int) -> HttpResponse:
    """Stop a maintenance schedule that applies to the asset (equipment managers)."""
    asset = access_asset(request.user, pk, Action.CHANGE)
    schedule = get_object_or_404(schedules_of(asset), pk=schedule_pk)
    do_delete_schedule(schedule, actor=request.user)
    messages.success(request, _("Maintenance schedule removed."))
    return redirect(asset)
