"""Notice pages: the public list, map, page, CAP message and feed; and the staff pages
that compose, preview, approve and publish notices."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scape.alerts.actions import (
    distribution_of,
    do_approve_notice,
    do_create_notice,
    do_derive_notice,
    do_edit_notice,
    do_publish_notice,
    do_return_notice,
    do_save_area,
    do_set_distribution,
    do_submit_notice,
    two_person_rule,
)
from scape.alerts.areas import areas_from_geojson
from scape.alerts.cap import (
    ATOM_CONTENT_TYPE,
    CAP_CONTENT_TYPE,
    FEED_LIMIT,
    atom_bytes,
    cap_bytes,
)
from scape.alerts.choices import MsgType, State
from scape.alerts.forms import DistributionForm, NoticeForm, ReturnForm
from scape.alerts.models import APPROVERS, AREA_SAVERS, AUTHORS, READERS, Notice
from scape.alerts.queries import (
    access_notice,
    current_notices,
    get_notices,
    saved_areas,
    sent_notice,
)
from scape.core.access import actor_of
from scape.core.choices import Action, Role
from scape.core.forms import add_validation_errors
from scape.core.geojson import geojson_response

_COLORS = {"Extreme": "#b3261e", "Severe": "#d35400", "Moderate": "#b7950b"}


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _map_layers() -> str:
    return json.dumps(
        [{"name": _("Current notices"), "url": reverse("alerts:areas"), "color": "#b3261e"}]
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """List the notices in force now, in the visitor's language, with their areas on a map."""
    notices = list(current_notices(request.user)[:FEED_LIMIT])
    rows = [(notice, notice.info_for()) for notice in notices]
    context = {
        "rows": rows,
        "map_layers": _map_layers(),
        "may_manage": actor_of(request.user).holds(READERS),
    }
    return render(request, "alerts/index.html", context)


@require_GET
def areas_geojson(request: HttpRequest) -> JsonResponse:
    """Return the areas of the notices in force now as GeoJSON, for the map."""
    features = []
    for notice in current_notices(request.user)[:FEED_LIMIT]:
        info = notice.info_for()
        for area in notice.areas.all():
            properties: dict[str, Any] = {
                "title": info.headline if info else notice.event,
                "subtitle": area.area_desc,
                "url": notice.get_absolute_url(),
                "color": _COLORS.get(notice.severity, "#0b4f8a"),
            }
            if area.is_circle:
                properties["radius"] = (area.circle_radius_km or 0) * 1000
            features.append(
                {"type": "Feature", "properties": properties, "geometry": area.geojson_geometry()}
            )
    return geojson_response(features)


def _page_context(notice: Notice) -> dict[str, Any]:
    info = notice.info_for()
    others = [other for other in notice.ordered_infos() if info is None or other.pk != info.pk]
    followup = (
        notice.followups.filter(state__in=(State.PUBLISHED, State.SUPERSEDED, State.CANCELLED))
        .order_by("-sent")
        .first()
    )
    return {"notice": notice, "info": info, "others": others, "followup": followup}


@require_GET
def notice_page(request: HttpRequest, identifier: str) -> HttpResponse:
    """Show one published notice in the visitor's language, and the other languages."""
    notice = sent_notice(request.user, identifier)
    return render(request, "alerts/notice.html", _page_context(notice))


def _cap_response(notice: Notice, request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        cap_bytes(notice, base_url=_base_url(request)),
        content_type=f"{CAP_CONTENT_TYPE}; charset=utf-8",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def notice_cap(request: HttpRequest, identifier: str) -> HttpResponse:
    """Return the published notice as a CAP 1.2 message."""
    return _cap_response(sent_notice(request.user, identifier), request)


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """Return the public notices in force now as an Atom feed of CAP messages."""
    notices = current_notices(None)[:FEED_LIMIT]
    body = atom_bytes(
        notices,
        base_url=_base_url(request),
        language=get_language(),
        title=_("SCAPE public notices"),
    )
    return HttpResponse(body, content_type=f"{ATOM_CONTENT_TYPE}; charset=utf-8")


# Staff pages ---------------------------------------------------------------


@require_GET
@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """List the organization's notices in every state, and what waits for approval."""
    # Volunteers would find an empty list here: their organization's drafts are not theirs.
    actor = actor_of(request.user).require(READERS)
    notices = list(get_notices(request.user)[:200])
    return render(
        request,
        "alerts/manage_list.html",
        {
            "notices": notices,
            "waiting": [n for n in notices if n.state == State.SUBMITTED],
            "may_write": actor.has_any(AUTHORS),
            "may_distribute": actor.has_any(APPROVERS | {Role.ORG_ADMIN}),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def distribution(request: HttpRequest) -> HttpResponse:
    """Set where the organization's published notices go (e-mail list, SMS gateway)
    and whether a second person approves them."""
    from scape.directory.models import Organization

    actor = actor_of(request.user).require(APPROVERS | {Role.ORG_ADMIN})
    organization = Organization.objects.get(pk=actor.organization_id or 0)
    current = distribution_of(organization)
    initial = {
        "two_person_rule": current.two_person_rule,
        "email_to": current.email_to,
        "sms_gateway_url": current.sms_gateway_url,
    }
    form = DistributionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_set_distribution(
                organization,
                actor=request.user,
                two_person_rule=data["two_person_rule"],
                email_to=data["email_to"],
                sms_gateway_url=data["sms_gateway_url"],
                sms_gateway_secret=data["sms_gateway_secret"] or None,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("alerts:distribution")
    return render(
        request,
        "alerts/distribution.html",
        {
            "form": form,
            "organization": organization,
            "has_secret": bool(current.sms_gateway_secret),
        },
    )


def _form(
    request: HttpRequest, organization: Any, *, bound: bool = True, **kwargs: Any
) -> NoticeForm:
    """Return the composer's form, bound to what was posted (unless bound=False)."""
    return NoticeForm(
        request.POST if bound and request.method == "POST" else None,
        saved=saved_areas(organization.pk),
        time_zone=organization.display_time_zone,
        **kwargs,
    )


def _compose_page(
    request: HttpRequest,
    form: NoticeForm,
    notice: Notice | None,
    *,
    area_name: str = "",
    area_errors: list[str] | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "notice": notice,
        "may_save_area": actor_of(request.user).has_any(AREA_SAVERS),
        "area_name": area_name,
        "area_errors": area_errors or [],
        "event_fields": form.group(
            "event", "category", "urgency", "severity", "certainty", "response_type"
        ),
        "where_fields": form.group("saved_areas", "area_desc"),
        "when_fields": form.group(
            "effective",
            "onset",
            "expires",
            "status",
            "scope",
            "restriction",
            "sender_name",
            "contact",
            "web",
        ),
    }
    status = 400 if form.errors or area_errors else 200
    return render(request, "alerts/compose.html", context, status=status)


_MULTIPLE = ("category", "response_type", "saved_areas")
_NOT_KEPT = ("csrfmiddlewaretoken", "save_area", "area_name")


def _save_area(request: HttpRequest, organization: Any, notice: Notice | None) -> HttpResponse:
    """Save the drawn area as a named area of the organization and show the composer again,
    with what was typed kept and the new area picked."""
    initial: dict[str, Any] = {
        name: request.POST.getlist(name) if name in _MULTIPLE else request.POST.get(name)
        for name in request.POST
        if name not in _NOT_KEPT
    }
    name = request.POST.get("area_name", "")
    errors: list[str] = []
    try:
        areas = areas_from_geojson(request.POST.get("drawn", ""), name)
        saved = do_save_area(organization, actor=request.user, name=name, areas=areas)
    except ValidationError as exc:
        errors = list(exc.messages)
    else:
        messages.success(
            request,
            _("The area “%(name)s” is saved and picked for this notice.") % {"name": saved.name},
        )
        initial["saved_areas"] = [*initial.get("saved_areas", []), str(saved.pk)]
        initial["drawn"] = ""
        name = ""
    form = _form(request, organization, bound=False, initial=initial)
    return _compose_page(request, form, notice, area_name=name, area_errors=errors)


@require_http_methods(["GET", "POST"])
@login_required
def compose(request: HttpRequest) -> HttpResponse:
    """Write a new draft notice."""
    # Volunteers would find an empty list here: their organization's drafts are not theirs.
    actor = actor_of(request.user).require(READERS)
    if not actor.has_any(AUTHORS):
        raise PermissionDenied
    organization = request.user.person.organization  # type: ignore[union-attr]
    if request.method == "POST" and "save_area" in request.POST:
        return _save_area(request, organization, None)
    return _save_notice(
        request,
        _form(request, organization),
        None,
        lambda data: do_create_notice(organization, actor=request.user, **data),
        _("The draft is saved. Check the preview, then submit it."),
    )


def _save_notice(
    request: HttpRequest,
    form: NoticeForm,
    notice: Notice | None,
    save: Callable[[dict[str, Any]], Notice],
    done: str,
) -> HttpResponse:
    """Save a valid posted composer with `save` and go to the notice; else show the composer."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.notice_input())
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("alerts:manage_notice", saved.pk)
    return _compose_page(request, form, notice)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft notice."""
    notice = access_notice(request.user, pk, Action.CHANGE)
    if notice.state != State.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("alerts:manage_notice", notice.pk)
    if request.method == "POST" and "save_area" in request.POST:
        return _save_area(request, notice.organization, notice)
    zone = notice.organization.display_time_zone
    form = _form(request, notice.organization, initial=NoticeForm.initial_for(notice, zone))
    return _save_notice(
        request,
        form,
        notice,
        lambda data: do_edit_notice(notice, actor=request.user, **data),
        _("The draft is saved."),
    )


@require_GET
@login_required
def manage_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview a notice as the public will see it and as CAP XML, with its workflow steps."""
    notice = access_notice(request.user, pk)
    actor = actor_of(request.user)
    own = actor.organization_id == notice.organization_id
    context = _page_context(notice)
    context.update(
        {
            "cap_preview": cap_bytes(notice, base_url=_base_url(request)).decode("utf-8"),
            "may_write": own and actor.has_any(AUTHORS),
            "may_approve": own and actor.has_any(APPROVERS),
            "second_person_needed": own
            and actor.user_id in notice.written_by
            and two_person_rule(notice.organization),
            "return_form": ReturnForm(),
            "derive_types": [
                (MsgType.UPDATE, _("Write an update")),
                (MsgType.CANCEL, _("Cancel this notice")),
            ],
        }
    )
    return render(request, "alerts/manage_notice.html", context)


@require_GET
@login_required
def manage_cap(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the CAP XML of a notice in any state, for the preview before approval."""
    return _cap_response(access_notice(request.user, pk), request)


_STEPS = {
    "submit": (do_submit_notice, gettext_lazy("Submitted for approval.")),
    "approve": (do_approve_notice, gettext_lazy("Approved. It can be published now.")),
    "publish": (do_publish_notice, gettext_lazy("Published.")),
}


@require_POST
@login_required
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Move a notice one step in its workflow: submit, approve, publish, return."""
    if name not in (*_STEPS, "return", "update", "cancel"):
        raise Http404
    notice = access_notice(request.user, pk)
    try:
        if name == "return":
            form = ReturnForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            do_return_notice(notice, actor=request.user, reason=reason)
            messages.success(request, _("Sent back to the author as a draft."))
        elif name in ("update", "cancel"):
            msg_type = MsgType.UPDATE if name == "update" else MsgType.CANCEL
            derived = do_derive_notice(notice, msg_type, actor=request.user)
            messages.success(
                request, _("A new draft refers to the published notice. Change it, then submit it.")
            )
            return redirect("alerts:edit", derived.pk)
        else:
            action, done = _STEPS[name]
            action(notice, actor=request.user)
            messages.success(request, str(done))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("alerts:manage_notice", notice.pk)
