"""Traffic pages: the index (recent hits, cameras), camera pages with their counts,
the hot-list, hits, the plate search and section speed."""

from __future__ import annotations

import datetime
import json
import time
import zoneinfo
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scape.core import audit
from scape.core.access import actor_of, can
from scape.core.actions import do_revoke_grant
from scape.core.choices import Action, Role
from scape.core.forms import add_validation_errors
from scape.core.generic import keyset_paginate, run_action
from scape.core.geojson import geojson_response
from scape.directory.queries import own_organization, partners_of
from scape.traffic.actions import (
    do_acknowledge_hit,
    do_apply_hotlist_import,
    do_cancel_hotlist_import,
    do_create_camera,
    do_create_entry,
    do_create_section,
    do_decide_hit,
    do_preview_hotlist_import,
    do_read_evidence,
    do_rotate_camera_token,
    do_set_camera_active,
    do_share_entry,
    do_update_camera,
    do_withdraw_entry,
    entry_grants,
    entry_partners,
    import_counts,
)
from scape.traffic.charts import bar_chart
from scape.traffic.choices import HotlistReason
from scape.traffic.forms import (
    CameraEditForm,
    CameraForm,
    DayForm,
    EntryForm,
    EvidenceReadForm,
    HitDecisionForm,
    HotlistImportForm,
    PeriodForm,
    SearchForm,
    SectionForm,
    ShareEntryForm,
    format_zone,
)
from scape.traffic.hotlist_files import MAX_BYTES as MAX_HOTLIST_BYTES
from scape.traffic.hotlist_files import problem_text
from scape.traffic.matching import is_pattern, normalise_pattern
from scape.traffic.models import (
    CAMERA_POLICY,
    HIT_POLICY,
    HOTLIST_POLICY,
    READ_POLICY,
    TrafficCamera,
)
from scape.traffic.queries import (
    access_camera,
    access_entry,
    access_hit,
    access_import,
    access_read,
    access_section,
    browse_reads,
    camera_assets,
    camera_features,
    daily_counts,
    decided_hits,
    evidence_jobs,
    get_cameras,
    get_entries,
    get_hits,
    get_imports,
    get_reads,
    get_sections,
    hit_features,
    hourly_counts,
    own_cameras,
    search_reads,
    section_passages,
    speeding,
)


@require_http_methods(["GET", "POST"])
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Recent hits, the cameras, and reading plates in vault footage."""
    if not actor_of(request.user).has_any(CAMERA_POLICY.own[Action.VIEW]):
        raise PermissionDenied
    form = EvidenceReadForm(request.POST or None, cameras=own_cameras(request.user))
    may_read = CAMERA_POLICY.may_in_own(request.user, Action.CHANGE)
    if request.method == "POST":
        if not may_read:
            raise PermissionDenied
        if form.is_valid():
            try:
                job = do_read_evidence(
                    request.user, form.cleaned_data["item"], form.cleaned_data["camera"]
                )
            except Http404:
                form.add_error("item", _("No evidence item with this number is visible to you."))
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Plate reading started (job %(job)s); hits will be announced.")
                    % {"job": job.pk},
                )
                return redirect("traffic:index")
    layers = [
        {"name": _("Cameras"), "url": reverse("traffic:cameras_geojson"), "color": "#1f5fa8"},
        {"name": _("Hits"), "url": reverse("traffic:hits_geojson"), "color": "#b3261e"},
    ]
    context = {
        "hits": get_hits(request.user)[:10],
        "cameras": get_cameras(request.user),
        "form": form if may_read else None,
        "may_add_camera": may_read,
        "jobs": evidence_jobs(request.user)[:5] if may_read else [],
        "map_layers": json.dumps(layers),
    }
    return render(request, "traffic/index.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def cameras_geojson(request: HttpRequest) -> JsonResponse:
    """The cameras the user may see, for the map."""
    return geojson_response(camera_features(request.user))


@require_GET
@login_required
def hits_geojson(request: HttpRequest) -> JsonResponse:
    """The hits of the last 7 days the user may see, for the map."""
    since = timezone.now() - datetime.timedelta(days=7)
    return geojson_response(hit_features(request.user, since))


@require_http_methods(["GET", "POST"])
@login_required
def camera_new(request: HttpRequest) -> HttpResponse:
    """Register a traffic camera of the user's organization; show its token once."""
    if not CAMERA_POLICY.may_in_own(request.user, Action.CHANGE):
        raise PermissionDenied
    form = CameraForm(request.POST or None, assets=camera_assets(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            camera, token = do_create_camera(
                own_organization(request.user), actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            return _camera_page(request, camera, token=token)
    return render(
        request, "traffic/camera_new.html", {"form": form}, status=400 if form.errors else 200
    )


def _camera_page(request: HttpRequest, camera: TrafficCamera, *, token: str = "") -> HttpResponse:
    context = {
        "camera": camera,
        "token": token,
        "reads": get_reads(request.user).filter(camera=camera)[:30],
        "decided": decided_hits(camera),
        "can_change": can(request.user, Action.CHANGE, camera),
        "endpoint": request.build_absolute_uri("/api/v1/traffic/reads/ingest/"),
    }
    return render(request, "traffic/camera_detail.html", context)


@require_GET
@login_required
def camera_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A camera, its latest reads and links to its counts."""
    return _camera_page(request, access_camera(request.user, pk))


@require_http_methods(["GET", "POST"])
@login_required
def camera_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a camera: name, road, position, road zone, equipment record, active."""
    camera = access_camera(request.user, pk, Action.CHANGE)
    assets = camera_assets(request.user, camera.organization_id)
    initial = {
        "name": camera.name,
        "road": camera.road,
        "direction": camera.direction,
        "latitude": camera.latitude,
        "longitude": camera.longitude,
        "zone": format_zone(camera.zone),
        "asset": camera.asset_id,
        "active": camera.active,
    }
    form = CameraEditForm(request.POST or None, initial=initial, assets=assets)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_camera(camera, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The camera is saved."))
            return redirect(camera.get_absolute_url())
    context = {
        "camera": camera,
        "form": form,
        "map_center": f"{camera.latitude},{camera.longitude}",
    }
    return render(request, "traffic/camera_edit.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def camera_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a new token for the camera; the old one stops working."""
    camera = access_camera(request.user, pk, Action.CHANGE)
    token = do_rotate_camera_token(camera, actor=request.user)
    return _camera_page(request, camera, token=token)


@require_POST
@login_required
def camera_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Switch the camera off (its token is refused) or on again."""
    camera = access_camera(request.user, pk, Action.CHANGE)
    active = request.POST.get("active") == "1"
    do_set_camera_active(camera, active, actor=request.user)
    if active:
        messages.success(request, _("The camera is switched on."))
    else:
        messages.success(request, _("The camera is switched off: its reads are refused."))
    return redirect(camera.get_absolute_url())


@require_GET
@login_required
def camera_counts(request: HttpRequest, pk: int) -> HttpResponse:
    """Reads per hour of a day and per day of the last two weeks, as bar charts."""
    camera = access_camera(request.user, pk)
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(camera.organization.display_time_zone))
    form = DayForm(request.GET or None, initial={"day": today})
    day = form.cleaned_data["day"] if form.is_bound and form.is_valid() else today
    hours = hourly_counts(camera, day)
    days = daily_counts(camera, day - datetime.timedelta(days=13), day)
    context = {
        "camera": camera,
        "form": form,
        "day": day,
        "hours": hours,
        "days": days,
        "hour_chart": bar_chart([(f"{b.start:%H}", b.count) for b in hours]),
        "day_chart": bar_chart([(f"{b.start:%d.%m}", b.count) for b in days]),
    }
    return render(request, "traffic/counts.html", context)


@require_GET
@login_required
def reads(request: HttpRequest) -> HttpResponse:
    """The reads the user may see; searching by plate needs a reason and is audited."""
    # An auditor (or a volunteer) reads no plates: 403 as the hot-list, not an empty list.
    if not actor_of(request.user).has_any(READ_POLICY.own[Action.VIEW]):
        raise PermissionDenied
    form = SearchForm(request.GET or None, cameras=get_cameras(request.user))
    found = None
    plate = ""
    if form.is_bound and form.is_valid() and form.cleaned_data.get("plate"):
        plate = form.cleaned_data["plate"]
        try:
            found = search_reads(
                request.user,
                plate,
                reason=form.cleaned_data["reason"],
                since=form.cleaned_data.get("since"),
                until=form.cleaned_data.get("until"),
                cameras=form.cleaned_data.get("cameras"),
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
    if found is None and not form.errors and not _may_browse_reads(request, form):
        # Every plate is personal data: looking through them all is a
        # consultation too, asked for and recorded like a search.
        listing = get_reads(request.user).none()
        needs_reason = True
    else:
        listing = found if found is not None else get_reads(request.user)
        needs_reason = False
    if form.errors:
        listing = listing.none()
    page = keyset_paginate(request, listing, ("-time", "-pk"))
    query = request.GET.copy()
    for cursor in ("page", "after", "before"):
        query.pop(cursor, None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "plate": plate,
        "pattern": is_pattern(normalise_pattern(plate)),
        "needs_reason": needs_reason,
    }
    return render(request, "traffic/reads.html", context, status=400 if form.errors else 200)


_BROWSE_KEY = "traffic_reads_browse_until"


def _may_browse_reads(request: HttpRequest, form: SearchForm) -> bool:
    """Return whether this session gave a reason to look through the reads, not long ago."""
    now = time.time()
    if request.session.get(_BROWSE_KEY, 0) > now:
        return True
    reason = (form.cleaned_data.get("reason") or "").strip() if form.is_bound else ""
    try:
        browse_reads(request.user, reason=reason)
    except ValidationError:
        return False
    request.session[_BROWSE_KEY] = now + 15 * 60
    return True


@require_GET
@login_required
def read_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One read with its plate image."""
    read = access_read(request.user, pk)
    hits = get_hits(request.user).filter(read=read)
    # A partner sees the read through its hit, not the other side's camera page.
    camera_visible = (
        read.camera_id is not None and get_cameras(request.user).filter(pk=read.camera_id).exists()
    )
    return render(
        request,
        "traffic/read_detail.html",
        {"read": read, "hits": hits, "camera_visible": camera_visible},
    )


@require_GET
@login_required
def read_crop(request: HttpRequest, pk: int) -> FileResponse:
    """The plate image of a read, for those who may see the read."""
    read = access_read(request.user, pk)
    name = read.crop.name or ""
    if not name:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit.record("traffic.crop_viewed", obj=read, actor=request.user)
    content_type = "image/png" if name.endswith(".png") else "image/jpeg"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def hotlist(request: HttpRequest) -> HttpResponse:
    """The hot-list entries the user may see, and adding one to their organization's list."""
    if not actor_of(request.user).has_any(HOTLIST_POLICY.own[Action.VIEW]):
        raise PermissionDenied
    may_add = HOTLIST_POLICY.may_in_own(request.user, Action.CHANGE)
    initial = {"valid_until": timezone.localtime() + datetime.timedelta(days=90)}
    partners = partners_of(actor_of(request.user).organization_id)
    form = EntryForm(request.POST or None, initial=initial, partners=partners)
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                entry = do_create_entry(
                    own_organization(request.user), actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(
                    request, _("%(plate)s is on the hot-list.") % {"plate": entry.text}
                )
                return redirect(entry.get_absolute_url())
    now = timezone.now()
    entries = get_entries(request.user).filter(withdrawn_at__isnull=True, valid_until__gt=now)
    # A loaded list holds thousands of plates: a page of them, newest first.
    page = keyset_paginate(request, entries, ("-created_at", "-pk"))
    context = {"page": page, "form": form if may_add else None, "may_add": may_add}
    return render(request, "traffic/hotlist.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def hotlist_imports(request: HttpRequest) -> HttpResponse:
    """Load a hot-list file (CSV, XLSX): read it into a preview; and who loaded what."""
    if not actor_of(request.user).has_any(HOTLIST_POLICY.own[Action.VIEW]):
        raise PermissionDenied
    may_add = HOTLIST_POLICY.may_in_own(request.user, Action.CHANGE)
    partners = partners_of(actor_of(request.user).organization_id)
    form = HotlistImportForm(request.POST or None, request.FILES or None, partners=partners)
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                imported = do_preview_hotlist_import(
                    own_organization(request.user),
                    actor=request.user,
                    data=upload.read(MAX_HOTLIST_BYTES + 1),
                    file_name=upload.name,
                    list_name=form.cleaned_data["list_name"],
                    mode=form.cleaned_data["mode"],
                    valid_until=form.cleaned_data["valid_until"],
                    share_with=form.cleaned_data["share_with"],
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                return redirect(imported.get_absolute_url())
    context = {
        "form": form if may_add else None,
        "imports": keyset_paginate(request, get_imports(request.user), ("-created_at", "-pk")),
    }
    return render(
        request, "traffic/hotlist_imports.html", context, status=400 if form.errors else 200
    )


@require_GET
@login_required
def hotlist_import(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview of a hot-list file (what it would add, change, withdraw, and its problems);
    afterwards, the record of what it did."""
    imported = access_import(request.user, pk)
    problems = [
        {"line": problem["line"], "text": problem_text(problem)}
        for problem in imported.problems[:200]
    ]
    context = {
        "imported": imported,
        "counts": import_counts(imported),
        "problems": problems,
        "sample": [
            {**row, "reason_label": HotlistReason(row["reason"]).label}
            for row in imported.rows[:20]
        ],
        "can_change": can(request.user, Action.CHANGE, imported),
    }
    return render(request, "traffic/hotlist_import.html", context)


@require_POST
@login_required
def hotlist_import_step(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    """Load a previewed hot-list file, or drop it."""
    if op not in ("load", "cancel"):
        raise Http404
    imported = access_import(request.user, pk, Action.CHANGE)
    try:
        if op == "load":
            imported = do_apply_hotlist_import(imported, actor=request.user)
            messages.success(
                request,
                _("Loaded: %(added)s added, %(updated)s updated, %(withdrawn)s withdrawn.")
                % imported.counts,
            )
        else:
            do_cancel_hotlist_import(imported, actor=request.user)
            messages.success(request, _("The file was not loaded."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(imported.get_absolute_url())


def _entry_page(
    request: HttpRequest, entry: Any, share_form: Any = None, status: int = 200
) -> HttpResponse:
    can_share = can(request.user, Action.SHARE, entry)
    context = {
        "entry": entry,
        "hits": get_hits(request.user).filter(entry=entry)[:50],
        "partners": entry_partners(entry),
        "grants": entry_grants(entry) if can_share else [],
        "can_share": can_share,
        "can_change": can(request.user, Action.CHANGE, entry),
        "share_form": share_form
        or ShareEntryForm(organizations=partners_of(entry.organization_id)),
    }
    return render(request, "traffic/entry_detail.html", context, status=status)


@require_GET
@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A hot-list entry, its hits and the partners it is shared with."""
    return _entry_page(request, access_entry(request.user, pk))


@require_POST
@login_required
def entry_share(request: HttpRequest, pk: int) -> HttpResponse:
    """Share the entry with a partner organization: they see it and are alerted on hits."""
    entry = access_entry(request.user, pk, Action.SHARE)
    form = ShareEntryForm(request.POST, organizations=partners_of(entry.organization_id))
    if form.is_valid():
        try:
            do_share_entry(
                entry,
                grantee=form.cleaned_data["grantee"],
                purpose=form.cleaned_data["purpose"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                _("Shared with %(org)s.") % {"org": form.cleaned_data["grantee"]},
            )
            return redirect(entry.get_absolute_url())
    return _entry_page(request, entry, form, status=400)


@require_POST
@login_required
def entry_unshare(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    """Stop sharing the entry with one partner, at once."""
    entry = access_entry(request.user, pk, Action.SHARE)
    grant = entry_grants(entry).filter(pk=grant_pk).first()
    if grant is None:
        raise Http404
    do_revoke_grant(grant, actor=request.user)
    messages.success(request, _("No longer shared with %(org)s.") % {"org": grant.grantee})
    return redirect(entry.get_absolute_url())


@require_POST
@login_required
def entry_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the plate off the hot-list; its hits are kept."""
    entry = access_entry(request.user, pk, Action.CHANGE)
    do_withdraw_entry(entry, actor=request.user)
    messages.success(request, _("The entry is withdrawn from the hot-list."))
    return redirect("traffic:hotlist")


@require_GET
@login_required
def hits(request: HttpRequest) -> HttpResponse:
    """Every hit the user may see, newest first (paged by cursor: no count of the whole table)."""
    if not actor_of(request.user).has_any(HIT_POLICY.own[Action.VIEW] | {Role.SYS_ADMIN}):
        raise PermissionDenied  # volunteers and auditors, as on the traffic page
    page = keyset_paginate(request, get_hits(request.user), ("-time", "-pk"))
    return render(request, "traffic/hits.html", {"page": page})


@require_GET
@login_required
def hit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A hit: the plate image, camera and time, the entry, and who is alerted."""
    hit = access_hit(request.user, pk)
    audit.record("traffic.hit_viewed", obj=hit, actor=request.user)
    may_change = can(request.user, Action.CHANGE, hit)
    return _hit_page(request, hit, HitDecisionForm() if may_change else None)


def _hit_page(
    request: HttpRequest, hit: Any, form: HitDecisionForm | None, status: int = 200
) -> HttpResponse:
    context = {
        "hit": hit,
        "read": hit.read,
        "entry": hit.entry,
        "partners": entry_partners(hit.entry),
        "can_acknowledge": form is not None and hit.acknowledged_at is None,
        "decision_form": form,
    }
    return render(request, "traffic/hit_detail.html", context, status=status)


@require_POST
@login_required
def hit_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the operator's decision on a hit: confirmed, or a misread with the right plate."""
    hit = access_hit(request.user, pk, Action.CHANGE)
    form = HitDecisionForm(request.POST)
    done = run_action(form, lambda data: do_decide_hit(hit, actor=request.user, **data))
    if done is None:
        return _hit_page(request, hit, form, status=400)
    messages.success(request, _("The decision is recorded; the entry's owner is told."))
    return redirect(hit.get_absolute_url())


@require_POST
@login_required
def hit_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the hit as taken in hand."""
    hit = access_hit(request.user, pk, Action.CHANGE)
    do_acknowledge_hit(hit, actor=request.user)
    messages.success(request, _("Hit acknowledged."))
    return redirect(hit.get_absolute_url())


@require_http_methods(["GET", "POST"])
@login_required
def sections(request: HttpRequest) -> HttpResponse:
    """Speed sections the user may see, and defining a new one."""
    may_add = CAMERA_POLICY.may_in_own(request.user, Action.CHANGE)
    form = SectionForm(request.POST or None, cameras=get_cameras(request.user))
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                section = do_create_section(
                    own_organization(request.user), actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                return redirect(section.get_absolute_url())
    context = {"sections": get_sections(request.user), "form": form if may_add else None}
    return render(request, "traffic/sections.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def section_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Average speed of each vehicle through the section in a period, and those over the limit."""
    section = access_section(request.user, pk)
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = PeriodForm(
        request.GET or None, initial={"start": now - datetime.timedelta(days=1), "end": now}
    )
    start, end = now - datetime.timedelta(days=1), now
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    passages = section_passages(request.user, section, start, end)
    context = {
        "section": section,
        "form": form,
        "passages": passages,
        "speeding": speeding(passages),
    }
    return render(request, "traffic/section_detail.html", context)
