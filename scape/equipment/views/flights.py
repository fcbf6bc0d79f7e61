"""Drone flights on the map, flight hours, and the trips of a shift."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from scape.core.forms import add_validation_errors
from scape.core.generic import paginate
from scape.core.geojson import geojson_response
from scape.equipment.actions import do_record_shift_trips
from scape.equipment.forms import ShiftFormSet
from scape.equipment.queries import (
    access_asset,
    access_flight,
    fleet_organization_id,
    fleet_vehicles,
    flight_totals,
    get_flights,
    track_feature,
)


@require_GET
@login_required
def flight_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a drone flight and its track on the map."""
    flight = access_flight(request.user, pk)
    layers = json.dumps(
        [
            {
                "name": _("Flight track"),
                "url": reverse("equipment:flight_track", args=[flight.pk]),
                "color": "#1f5fa8",
            }
        ]
    )
    return render(
        request,
        "equipment/flight_detail.html",
        {"flight": flight, "map_layers": layers if flight.track else ""},
    )


def _feature_collection(features: list[dict[str, Any]]) -> JsonResponse:
    return geojson_response(features)


@require_GET
@login_required
def flight_track(request: HttpRequest, pk: int) -> JsonResponse:
    """Return a flight's track as GeoJSON, for the map."""
    feature = track_feature(access_flight(request.user, pk))
    return _feature_collection([feature] if feature else [])


@require_GET
@login_required
def asset_tracks(request: HttpRequest, pk: int) -> JsonResponse:
    """Return the tracks of a drone's last flights as GeoJSON, for the map."""
    asset = access_asset(request.user, pk)
    features = [track_feature(f) for f in asset.flights.select_related("asset", "pilot__user")[:20]]
    return _feature_collection([f for f in features if f is not None])


@login_required
def shift_trips(request: HttpRequest) -> HttpResponse:
    """Enter the trips of a shift at once, for the vehicles of the user's organization."""
    organization = fleet_organization_id(request.user)
    if organization is None:
        raise PermissionDenied
    vehicles = fleet_vehicles(organization)
    kwargs: dict[str, Any] = {"organization": organization, "vehicles": vehicles}
    if request.method != "POST":
        me = getattr(request.user, "person", None)
        now = timezone.localtime().replace(second=0, microsecond=0)
        initial = {
            "driver": me.pk if me is not None else None,
            "started_at": now - datetime.timedelta(hours=8),
            "ended_at": now,
        }
        formset = ShiftFormSet(initial=[initial], **kwargs)
        return render(request, "equipment/shift_trips.html", {"formset": formset})
    formset = ShiftFormSet(request.POST, **kwargs)
    if formset.is_valid():
        filled = [form for form in formset if form.has_changed() and form.cleaned_data]
        rows = [form.cleaned_data for form in filled]
        if not rows:
            messages.error(request, _("Enter at least one trip."))
        else:
            try:
                trips = do_record_shift_trips(rows, actor=request.user)
            except ValidationError as exc:
                add_validation_errors(filled[getattr(exc, "row", 0)], exc)
            else:
                messages.success(
                    request,
                    ngettext("%(count)s trip recorded.", "%(count)s trips recorded.", len(trips))
                    % {"count": len(trips)},
                )
                return redirect("equipment:assets")
    messages.error(request, _("Nothing was recorded: correct the form below."))
    return render(request, "equipment/shift_trips.html", {"formset": formset}, status=400)


@require_GET
@login_required
def flight_list(request: HttpRequest) -> HttpResponse:
    """List the flights the user may see, with the hours flown by each drone and pilot."""
    by_drone, by_pilot = flight_totals(request.user)
    page = paginate(request, get_flights(request.user).order_by("-started_at"))
    return render(
        request,
        "equipment/flight_list.html",
        {"page": page, "by_drone": by_drone, "by_pilot": by_pilot, "query": ""},
    )
