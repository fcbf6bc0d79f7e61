"""Joint operations pages: incidents, their sharing, joint patrols and the shared map."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scape.core.access import actor_of, can
from scape.core.choices import Action
from scape.core.forms import add_validation_errors
from scape.core.generic import RevokeShareView, ShareView, filtered, paginate
from scape.directory.queries import active_organizations, partners_of
from scape.equipment.queries import get_assets
from scape.operations import actions
from scape.operations.briefing import briefing_pdf, member_languages
from scape.operations.filtersets import IncidentFilter
from scape.operations.forms import (
    AssignForm,
    IncidentForm,
    IncidentPersonForm,
    IncidentShareForm,
    LinkForm,
    LogEntryForm,
    MapFilterForm,
    MemberFormSet,
    PatrolForm,
    PatrolReportForm,
    PatrolStartForm,
    StatusForm,
)
from scape.operations.models import OPERATORS, Incident, Patrol
from scape.operations.queries import (
    LAYERS,
    access_incident,
    access_patrol,
    active_grants,
    assignable_organizations,
    get_incidents,
    get_patrols,
    incident_features,
    km_by_transport,
    layer,
    layer_names,
    may_move_status,
    may_see_people,
    may_work,
    may_write_log,
)

_LAYER_COLORS = {
    "incidents": "#b3261e",
    "patrols": "#0b4f8a",
    "cameras": "#00695c",
    "hits": "#ef6c00",
    "flights": "#6a1b9a",
    "sites": "#37474f",
}


@require_GET
@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    """List the incidents the user may see: their organization's and those shared with it."""
    filterset, incidents = filtered(request, get_incidents(request.user), IncidentFilter)
    page = paginate(request, incidents)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "operations/incident_list.html",
        {
            "page": page,
            "form": filterset.form,
            "query": query.urlencode(),
            "may_report": actor_of(request.user).has_any(OPERATORS),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def incident_create(request: HttpRequest) -> HttpResponse:
    """Report an incident: type, time, place (map or coordinates or address), severity."""
    if not actor_of(request.user).has_any(OPERATORS):
        raise PermissionDenied
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = actions.do_create_incident(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The incident was reported."))
            return redirect(incident)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "operations/incident_form.html", {"form": form, **_map_context()}, status=status
    )


def _incident_context(request: HttpRequest, incident: Incident, **bound: Any) -> dict[str, Any]:
    user = request.user
    owner = actor_of(user).organization_id == incident.organization_id
    assign_orgs = assignable_organizations(incident)
    context: dict[str, Any] = {
        "incident": incident,
        "log": incident.log.select_related("author", "organization"),
        "links": incident.links.all(),
        "show_people": may_see_people(user, incident),
        "may_work": may_work(user, incident),
        "may_move_status": may_move_status(user, incident),
        "may_write": may_write_log(user, incident),
        "may_share": can(user, Action.SHARE, incident),
        "is_owner": owner,
        "grants": active_grants(incident) if owner else [],
        "status_form": bound.get("status_form") or StatusForm(),
        "assign_form": bound.get("assign_form")
        or AssignForm(incident=incident, organizations=assign_orgs),
        "log_form": bound.get("log_form") or LogEntryForm(),
        "person_form": bound.get("person_form") or IncidentPersonForm(),
        "link_form": bound.get("link_form") or LinkForm(),
        "involved": incident.involved_organizations.all(),
        "place_layers": json.dumps(
            [
                {
                    "name": _("Incidents"),
                    "url": reverse("operations:geo", args=["incidents"])
                    + f"?incident={incident.pk}",
                }
            ]
        ),
        **_map_context(),
    }
    if context["show_people"]:
        context["people"] = list(incident.people.all())
        actions.do_note_people_viewed(incident, actor=user, count=len(context["people"]))
    return context


@require_GET
@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an incident, its timeline (entries of every organization that works it) and links."""
    incident = access_incident(request.user, pk)
    return render(request, "operations/incident_detail.html", _incident_context(request, incident))


def _incident_post(
    request: HttpRequest, incident: Incident, form_name: str, form: Any, run: Any, done: str
) -> HttpResponse:
    if form.is_valid():
        try:
            run(incident, form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(incident)
    context = _incident_context(request, incident, **{form_name: form})
    return render(request, "operations/incident_detail.html", context, status=400)


@require_POST
@login_required
def incident_status(request: HttpRequest, pk: int) -> HttpResponse:
    return _incident_post(
        request,
        access_incident(request.user, pk),
        "status_form",
        StatusForm(request.POST),
        lambda i, d: actions.do_change_status(
            i, d["status"], outcome=d["outcome"], actor=request.user
        ),
        _("The status was changed."),
    )


@require_POST
@login_required
def incident_assign(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access_incident(request.user, pk)
    # Every active organization: the action itself says when the incident is not shared yet.
    orgs = active_organizations()
    return _incident_post(
        request,
        incident,
        "assign_form",
        AssignForm(request.POST, incident=incident, organizations=orgs),
        lambda i, d: actions.do_assign_incident(
            i, organization=d["organization"], person=d["person"], actor=request.user
        ),
        _("The incident was assigned."),
    )


@require_POST
@login_required
def incident_log(request: HttpRequest, pk: int) -> HttpResponse:
    return _incident_post(
        request,
        access_incident(request.user, pk),
        "log_form",
        LogEntryForm(request.POST),
        lambda i, d: actions.do_add_log_entry(i, d["text"], actor=request.user),
        _("The entry was added to the log."),
    )


@require_POST
@login_required
def incident_person(request: HttpRequest, pk: int) -> HttpResponse:
    return _incident_post(
        request,
        access_incident(request.user, pk),
        "person_form",
        IncidentPersonForm(request.POST),
        lambda i, d: actions.do_add_person(i, actor=request.user, **d),
        _("The person was recorded."),
    )


@require_POST
@login_required
def incident_link(request: HttpRequest, pk: int) -> HttpResponse:
    return _incident_post(
        request,
        access_incident(request.user, pk),
        "link_form",
        LinkForm(request.POST),
        lambda i, d: actions.do_link_record(i, d["kind"], d["object_id"], actor=request.user),
        _("The record was linked."),
    )


class IncidentShareView(ShareView):
    """Share an incident with a partner organization (purpose, expiry, people or not)."""

    access = staticmethod(access_incident)
    partners = staticmethod(partners_of)
    share = staticmethod(actions.do_share_incident)
    form_class = IncidentShareForm
    template_name = "operations/incident_share.html"
    context_name = "incident"
    success_message = _lazy("The incident is now shared.")


class IncidentRevokeShareView(RevokeShareView):
    """Revoke one share of an incident."""

    access = staticmethod(access_incident)
    revoke = staticmethod(actions.do_revoke_incident_share)

    def get_success_url(self, obj: Any) -> str:
        return reverse("operations:incident_share", args=[obj.pk])


# ---------------------------------------------------------------------------
# Patrols


@require_GET
@login_required
def patrol_list(request: HttpRequest) -> HttpResponse:
    """List the patrols the user may see, soonest first."""
    patrols = get_patrols(request.user).order_by("-starts_at")
    page = paginate(request, patrols)
    may_plan = actor_of(request.user).has_any(Patrol.access_policy.own[Action.CHANGE])
    return render(request, "operations/patrol_list.html", {"page": page, "may_plan": may_plan})


@require_http_methods(["GET", "POST"])
@login_required
def patrol_create(request: HttpRequest) -> HttpResponse:
    """Plan a joint patrol: time, area drawn on the map or a route, a mixed team, equipment."""
    if not actor_of(request.user).has_any(Patrol.access_policy.own[Action.CHANGE]):
        raise PermissionDenied
    assets = get_assets(request.user)
    form = PatrolForm(request.POST or None, assets=assets)
    team = MemberFormSet(request.POST or None, prefix="team")
    if request.method == "POST" and form.is_valid() and team.is_valid():
        members = [f.cleaned_data for f in team.forms if f.cleaned_data.get("person")]
        data = dict(form.cleaned_data)
        try:
            patrol = actions.do_plan_patrol(actor=request.user, members=members, **data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The patrol was planned; the team was told."))
            return redirect(patrol)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "operations/patrol_form.html",
        {"form": form, "team": team, **_map_context()},
        status=status,
    )


def _patrol_context(request: HttpRequest, patrol: Patrol, **bound: Any) -> dict[str, Any]:
    members = patrol.members.select_related("person__user", "person__organization")
    equipment = list(patrol.equipment.all())
    # A partner's team member sees the patrol but not the owner's equipment pages:
    # link only what opens for this user, name the rest.
    openable = set(
        get_assets(request.user)
        .filter(pk__in=[a.pk for a in equipment])
        .values_list("pk", flat=True)
    )
    may_change = actions.may_change_patrol(request.user, patrol)
    area_json = json.dumps(patrol.area) if patrol.area else ""
    area_layers = json.dumps(
        [
            {
                "name": _("Patrol area"),
                "url": reverse("operations:geo", args=["patrols"]) + f"?patrol={patrol.pk}",
            }
        ]
    )
    context: dict[str, Any] = {
        "patrol": patrol,
        "members": members,
        "equipment": [(asset, asset.pk in openable) for asset in equipment],
        "incidents": patrol.incidents.filter(pk__in=get_incidents(request.user).values("pk")),
        "may_change": may_change,
        "km": km_by_transport(patrol),
        "area_json": area_json,
        "area_layers": area_layers,
        "languages": [
            (code, dict(settings.LANGUAGES).get(code, code)) for code in member_languages(patrol)
        ],
        "start_form": PatrolStartForm(),
        **_map_context(),
    }
    if may_change:
        context["report_form"] = bound.get("report_form") or PatrolReportForm(
            incidents=get_incidents(request.user), members=members
        )
    return context


@require_GET
@login_required
def patrol_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a patrol: its area, team, equipment, and its report once done."""
    patrol = access_patrol(request.user, pk)
    return render(request, "operations/patrol_detail.html", _patrol_context(request, patrol))


@require_POST
@login_required
def patrol_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the patrol; check out its equipment to the team when asked."""
    patrol = access_patrol(request.user, pk, Action.CHANGE)
    form = PatrolStartForm(request.POST)
    check_out = form.is_valid() and form.cleaned_data["check_out"]
    try:
        problems = actions.do_start_patrol(patrol, check_out=check_out, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The patrol is under way."))
        for problem in problems:
            messages.warning(request, problem)
    return redirect(patrol)


@require_POST
@login_required
def patrol_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the patrol's report: what was done, incidents created, km per member."""
    patrol = access_patrol(request.user, pk, Action.CHANGE)
    members = patrol.members.select_related("person__user")
    form = PatrolReportForm(request.POST, incidents=get_incidents(request.user), members=members)
    if form.is_valid():
        try:
            actions.do_report_patrol(
                patrol,
                report=form.cleaned_data["report"],
                incidents=form.cleaned_data["incidents"],
                km=form.km(),
                actor=request.user,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The patrol report was saved."))
            return redirect(patrol)
    context = _patrol_context(request, patrol, report_form=form)
    return render(request, "operations/patrol_detail.html", context, status=400)


@require_GET
@login_required
def patrol_briefing(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the briefing sheet as PDF: a page per member language, or ?lang= for one."""
    patrol = access_patrol(request.user, pk)
    known = dict(settings.LANGUAGES)
    requested = request.GET.get("lang", "")
    languages = [requested] if requested in known else member_languages(patrol)
    pdf = briefing_pdf(patrol, languages)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="briefing-{patrol.pk}.pdf"'
    return response


# ---------------------------------------------------------------------------
# The map


def _map_context() -> dict[str, Any]:
    return {
        "SCAPE_MAP_TILES_URL": settings.SCAPE_MAP_TILES_URL,
        "SCAPE_MAP_ATTRIBUTION": settings.SCAPE_MAP_ATTRIBUTION,
        "SCAPE_LIVE_POLL_SECONDS": settings.SCAPE_LIVE_POLL_SECONDS,
    }


def _bbox(value: str) -> tuple[float, float, float, float] | None:
    """Return the map area "west,south,east,north" a layer is asked for; None if it is none."""
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        return None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        return None
    return west, south, east, north


def _changed_since(value: str) -> datetime.datetime | None:
    """Return the ``as_of`` time a map sends back to ask for changes only; None if it is none."""
    try:
        moment = datetime.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def _filter_params(form: MapFilterForm) -> dict[str, Any]:
    if not form.is_valid():
        return {}
    params: dict[str, Any] = {}
    if form.cleaned_data.get("hours"):
        params["hours"] = form.cleaned_data["hours"]
    if form.cleaned_data.get("type"):
        params["type"] = form.cleaned_data["type"].pk
    if form.cleaned_data.get("organization"):
        params["organization"] = form.cleaned_data["organization"].pk
    for key in ("patrol", "incident"):
        if form.cleaned_data.get(key):
            params[key] = form.cleaned_data[key]
    return params


@require_GET
@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    """The shared map: incidents, patrol areas, cameras, plate hits, flights and sites."""
    if not actor_of(request.user).roles:
        raise PermissionDenied
    form = MapFilterForm(request.GET or None)
    params = _filter_params(form)
    query = f"?{urlencode(params)}" if params else ""
    names = layer_names()
    layers = [
        {
            "name": names[name],
            "url": reverse("operations:geo", args=[name]) + query,
            "color": _LAYER_COLORS[name],
        }
        for name in LAYERS
    ]
    return render(
        request,
        "operations/map.html",
        {
            "form": form,
            "layers_json": json.dumps(layers),
            "list_url": reverse("operations:map_list") + query,
            **_map_context(),
        },
    )


@require_GET
@login_required
def map_list(request: HttpRequest) -> HttpResponse:
    """The list of incidents beside the map, refreshed with it (htmx fragment)."""
    form = MapFilterForm(request.GET or None)
    params = _filter_params(form)
    data = incident_features(
        request.user,
        since=form.since() if params else None,
        type_id=params.get("type"),
        organization_id=params.get("organization"),
        limit=100,
    )
    return render(request, "operations/_map_list.html", {"features": data["features"]})


@require_GET
@login_required
def geo(request: HttpRequest, name: str) -> JsonResponse:
    """One map layer as GeoJSON, through the access door, filtered like the map."""
    form = MapFilterForm(request.GET or None)
    params = _filter_params(form)
    data = layer(
        request.user,
        name,
        since=form.since() if params else None,
        type_id=params.get("type"),
        organization_id=params.get("organization"),
        patrol_id=params.get("patrol"),
        incident_id=params.get("incident"),
        bbox=_bbox(request.GET.get("bbox", "")),
        changed_since=_changed_since(request.GET.get("changed_since", "")),
    )
    response = JsonResponse(data, content_type="application/geo+json")
    response["Cache-Control"] = "no-store"
    return response
