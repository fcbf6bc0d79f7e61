"""Vault pages: evidence lists, an item with its custody history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scape.core import audit
from scape.core.access import actor_of, can
from scape.core.choices import Action, JobStatus, Role
from scape.core.forms import add_validation_errors
from scape.core.generic import (
    RevokeShareView,
    ShareView,
    filtered,
    keyset_paginate,
    paginate,
    report_errors,
    reported,
)
from scape.directory.queries import partners_of
from scape.vault import storage
from scape.vault.actions import (
    do_add_to_case,
    do_confirm_deletion,
    do_count_link_download,
    do_create_case,
    do_create_external_link,
    do_propose_deletion,
    do_restore_item,
    do_revoke_link,
    do_set_case_hold,
    do_set_case_status,
    do_set_category,
    do_set_item_hold,
    do_share_evidence,
    find_link,
)
from scape.vault.choices import DerivativeKind, ItemStatus, MediaKind
from scape.vault.custody import custody_csv, custody_pdf
from scape.vault.disclosure import NotRedactedError, file_for, files_for, redacted_file
from scape.vault.exports import do_start_case_export, export_response
from scape.vault.filtersets import ItemFilter
from scape.vault.forms import (
    AddToCaseForm,
    CaseForm,
    CategoryForm,
    DescribeForm,
    EvidenceShareForm,
    ExternalLinkForm,
    HoldForm,
    ReasonForm,
    SaveSearchForm,
)
from scape.vault.models import EvidenceItem, ExternalLink, SavedSearch
from scape.vault.queries import (
    access_case,
    access_deletion_list,
    access_export,
    access_item,
    case_exports,
    custody_history,
    get_cases,
    get_items,
    item_cases,
    links_of,
    name_items,
    redacted_only_for,
    redacted_only_ids,
    retention_organization,
    retention_queues,
)
from scape.vault.views.finding import bulk_form, bulk_jobs, may_bulk

CASE_OPENERS = frozenset({Role.OFFICER, Role.COORDINATOR, Role.CUSTODIAN, Role.ORG_ADMIN})


@require_GET
@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    """List evidence the user may see: their organization's and what was shared with it."""
    items = get_items(request.user)
    if not request.GET:
        items = items.exclude(status=ItemStatus.DESTROYED)  # until a filter asks for them
    filterset, items = filtered(request, items, ItemFilter)
    page = keyset_paginate(request, items.prefetch_related("tags"), ("-ingested_at", "-pk"))
    page.object_list = list(page.object_list)
    name_items(request.user, page.object_list)
    form = filterset.form
    query = request.GET.copy()
    for cursor in ("after", "before", "page"):
        query.pop(cursor, None)
    context = {
        "page": page,
        "form": form,
        "basic_fields": [form[name] for name in BASIC_FILTERS],
        "more_fields": [form[name] for name in form.fields if name not in BASIC_FILTERS],
        "more_open": any(
            request.GET.get(name) for name in form.fields if name not in BASIC_FILTERS
        ),
        "my_org": actor_of(request.user).organization_id,
        "saved_searches": SavedSearch.objects.filter(user_id=request.user.pk or 0),
        "save_form": SaveSearchForm(initial={"query": query.urlencode()}),
        "query": query.urlencode(),
    }
    if may_bulk(request.user):
        context["bulk_form"] = bulk_form(request, query=query.urlencode())
        context["bulk_jobs"] = bulk_jobs(request.user)
    if actor_of(request.user).has_any(CASE_OPENERS):
        context["upload_url"] = _upload_url()
    return render(request, "vault/item_list.html", context)


def _upload_url() -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse("vault:upload_page")
    except NoReverseMatch:
        return ""


# The filters always shown; the others fold under "More filters".
BASIC_FILTERS = ("q", "status", "media_kind", "source_type")


@require_GET
@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an item: what is known about it, its derived files and its custody history."""
    item = access_item(request.user, pk)
    limited = redacted_only_for(request.user, item)
    audit.record("vault.item_viewed", obj=item, actor=request.user)
    context = {
        "item": item,
        # A partner shown redacted copies only reads the redacted copy's name
        # and hash, never the original's (see scape.vault.disclosure).
        "limited": limited,
        "redacted": redacted_file(item) if limited else None,
        "shared": item.organization_id != actor_of(request.user).organization_id,
        "history": custody_history(item),
        "derivatives": item.derivatives.filter(kind=DerivativeKind.REDACTED)
        if limited
        else item.derivatives.all(),
        "cases": item_cases(request.user, item),
        "can_change": can(request.user, Action.CHANGE, item),
        "can_share": can(request.user, Action.SHARE, item),
        "can_download": can(request.user, Action.DOWNLOAD, item),
        "can_delete": can(request.user, Action.DELETE, item),
        "category_form": CategoryForm(
            initial={"category": item.category_id}, organization=item.organization_id
        ),
        "hold_form": HoldForm(initial={"hold": not item.legal_hold}),
        "tags": [tag.name for tag in item.tags.all()],
        "describe_form": DescribeForm(
            initial={
                "title": item.title,
                "notes": item.notes,
                "tags": ", ".join(tag.name for tag in item.tags.all()),
            }
        ),
        "case_form": AddToCaseForm(organization=item.organization_id),
    }
    return render(request, "vault/item_detail.html", context)


@require_POST
@login_required
def item_category(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the category of an item."""
    item = access_item(request.user, pk, Action.CHANGE)
    form = CategoryForm(request.POST, organization=item.organization_id)
    if form.is_valid():
        do_set_category(item, form.cleaned_data["category"], actor=request.user)
        messages.success(request, _("The category was changed; retention follows it."))
    else:
        messages.error(request, _("Choose a category of the item's organization."))
    return redirect(item)


@require_POST
@login_required
def item_hold(request: HttpRequest, pk: int) -> HttpResponse:
    """Put an item on legal hold or release it."""
    item = access_item(request.user, pk, Action.CHANGE)
    form = HoldForm(request.POST)
    if form.is_valid():
        do_set_item_hold(
            item, form.cleaned_data["hold"], reason=form.cleaned_data["reason"], actor=request.user
        )
        messages.success(request, _("The legal hold was changed."))
    else:
        messages.error(request, _("Give a reason of at least five characters."))
    return redirect(item)


@require_POST
@login_required
def item_add_to_case(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an item to an open case of its organization."""
    item = access_item(request.user, pk, Action.CHANGE)
    form = AddToCaseForm(request.POST, organization=item.organization_id)
    if form.is_valid():
        do_add_to_case(form.cleaned_data["case"], item, actor=request.user)
        messages.success(request, _("The item was added to the case."))
    else:
        messages.error(request, _("Choose an open case."))
    return redirect(item)


class EvidenceShareView(ShareView):
    """Share an item or a case with a partner organization (purpose, expiry, rights)."""

    partners = staticmethod(partners_of)
    share = staticmethod(do_share_evidence)
    form_class = EvidenceShareForm
    template_name = "vault/share.html"

    def get_object(self) -> Any:
        return _target(self.request, self.kwargs["kind"], self.kwargs["pk"], Action.SHARE)

    def get_context(self, obj: Any, form: Any) -> dict[str, Any]:
        return {**super().get_context(obj, form), "kind": self.kwargs["kind"]}


class EvidenceRevokeShareView(RevokeShareView):
    """Revoke one share of an item or a case."""

    def get_object(self) -> Any:
        return _target(self.request, self.kwargs["kind"], self.kwargs["pk"], Action.SHARE)

    def get_success_url(self, obj: Any) -> str:
        return reverse("vault:share", args=[self.kwargs["kind"], obj.pk])


def _target(request: HttpRequest, kind: str, pk: int, action: str) -> Any:
    if kind == "item":
        return access_item(request.user, pk, action)
    if kind == "case":
        return access_case(request.user, pk, action)
    raise Http404


@require_http_methods(["GET", "POST"])
@login_required
def external_link(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Create a signed, expiring link for a prosecutor or court; list and revoke links."""
    target = _target(request, kind, pk, Action.SHARE)
    initial = {"expires_at": timezone.now() + timedelta(days=14)}
    form = ExternalLinkForm(request.POST or None, initial=initial)
    new_url = ""
    if request.method == "POST" and request.POST.get("revoke"):
        link = get_object_or_404(links_of(target), pk=request.POST["revoke"])
        do_revoke_link(link, actor=request.user)
        messages.success(request, _("The link was revoked."))
        return redirect(reverse("vault:link", args=[kind, pk]))
    if request.method == "POST" and form.is_valid():
        try:
            _link, token = do_create_external_link(target, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            new_url = request.build_absolute_uri(reverse("vault:public_link", args=[token]))
            form = ExternalLinkForm(initial=initial)
    links = links_of(target)
    context = {"target": target, "form": form, "links": links, "new_url": new_url, "kind": kind}
    return render(request, "vault/external_link.html", context)


def _link_items(link: ExternalLink) -> list[EvidenceItem]:
    if link.item is not None:
        return [link.item] if link.item.status != ItemStatus.DESTROYED else []
    assert link.case is not None
    return list(link.case.items.exclude(status=ItemStatus.DESTROYED))


@require_GET
def public_link(request: HttpRequest, token: str) -> HttpResponse:
    """What a recipient sees: the files behind the link, while it is usable (no login)."""
    link = find_link(token)
    if link is None:
        raise Http404
    files = []
    if link.usable:
        try:
            files = files_for(_link_items(link), redacted=link.use_redacted)
        except NotRedactedError as exc:
            # A redacted copy was removed after the link was made: show what
            # is missing instead of falling back to an original.
            return render(
                request,
                "vault/public_link.html",
                {"link": link, "files": [], "token": token, "refused": str(exc)},
                status=409,
            )
    context = {"link": link, "files": files, "token": token}
    return render(request, "vault/public_link.html", context, status=200 if link.usable else 410)


@require_GET
def public_download(request: HttpRequest, token: str, item_pk: int) -> HttpResponse | FileResponse:
    """Download one file through an external link; counted and logged."""
    link = find_link(token)
    if link is None:
        raise Http404
    item = next((i for i in _link_items(link) if i.pk == item_pk), None)
    # A link for redacted copies gives the redacted copy or nothing, never the original.
    chosen = file_for(item, redacted=link.use_redacted) if item is not None else None
    if item is None or chosen is None:
        raise Http404
    if not do_count_link_download(link, item, ip=request.META.get("REMOTE_ADDR")):
        return render(request, "vault/public_link.html", {"link": link, "files": []}, status=410)
    key, name = chosen.storage_key, chosen.name
    try:
        handle = storage.open_stream(key)
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=chosen.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- cases


@require_http_methods(["GET", "POST"])
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """List the cases the user may see; open a new one."""
    actor = actor_of(request.user)
    form = CaseForm(request.POST or None)
    if request.method == "POST":
        if not actor.has_any(CASE_OPENERS):
            raise PermissionDenied
        if form.is_valid():
            try:
                case = do_create_case(
                    organization=request.user.person.organization,  # type: ignore[union-attr]
                    actor=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                return redirect(case)
    page = paginate(request, get_cases(request.user))
    return render(
        request,
        "vault/case_list.html",
        {
            "page": page,
            "form": form,
            "can_open": actor.has_any(CASE_OPENERS),
            "my_org": actor.organization_id,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a case: its items, status, hold; close, reopen, hold, export."""
    case = access_case(request.user, pk)
    if request.method == "POST":
        case = access_case(request.user, pk, Action.CHANGE)
        op = request.POST.get("op")
        try:
            if op in ("closed", "open"):
                do_set_case_status(case, op, actor=request.user)
            elif op == "hold":
                do_set_case_hold(
                    case,
                    request.POST.get("hold") == "on",
                    reason=request.POST.get("reason", ""),
                    actor=request.user,
                )
        except ValidationError as exc:
            report_errors(request, exc)
        return redirect(case)
    items = list(case.items.all())
    name_items(request.user, items)
    context = {
        "case": case,
        "items": items,
        "shared": case.organization_id != actor_of(request.user).organization_id,
        "can_change": can(request.user, Action.CHANGE, case),
        "can_share": can(request.user, Action.SHARE, case),
        "can_export": can(request.user, Action.DOWNLOAD, case),
        "export_form": ReasonForm(),
        "has_videos": any(item.media_kind == MediaKind.VIDEO for item in items),
    }
    if context["can_export"]:
        context.update(_exports_context(request.user, case))
        context["unredacted"] = _without_redacted_copy(request.user, items)
    return render(request, "vault/case_detail.html", context)


def _without_redacted_copy(user: Any, items: list[Any]) -> list[tuple[Any, bool]]:
    """Return (item, original allowed) for each item of a case that has no redacted copy."""
    live = [item for item in items if item.status != ItemStatus.DESTROYED]
    limited = redacted_only_ids(user, live)
    return [(item, item.pk not in limited) for item in live if redacted_file(item) is None]


@require_POST
@login_required
def case_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the court export of a case (reason and recipient recorded); it appears on the case page."""
    case = access_case(request.user, pk, Action.DOWNLOAD)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason of at least five characters."))
        return redirect(case)
    try:
        do_start_case_export(
            case,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            recipient=form.cleaned_data["recipient"],
            use_redacted=request.POST.get("redacted") == "on",
            choices={
                key.removeprefix("item-"): request.POST.get(key, "")
                for key in request.POST
                if key.startswith("item-")
            },
        )
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect(case)
    messages.success(
        request, _("The export is being built; it appears under Court export when it is ready.")
    )
    return redirect(f"{case.get_absolute_url()}#exports")


@require_GET
@login_required
def case_exports_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the user's exports of a case with their progress (polled while one is built)."""
    case = access_case(request.user, pk, Action.DOWNLOAD)
    return render(request, "vault/_exports.html", _exports_context(request.user, case))


def _exports_context(user: Any, case: Any) -> dict[str, Any]:
    exports = list(case_exports(user, case)[:5])
    active = any(e.job and e.job.status in (JobStatus.QUEUED, JobStatus.RUNNING) for e in exports)
    return {"case": case, "exports": exports, "exports_active": active}


@require_GET
@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    """Send a built court export to the person who asked for it (recorded)."""
    export = access_export(request.user, pk)
    try:
        return export_response(export, actor=request.user)
    except FileNotFoundError as exc:
        raise Http404 from exc


@require_GET
@login_required
def item_custody_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Download an item's custody history as CSV or PDF."""
    item = access_item(request.user, pk)
    if fmt not in ("csv", "pdf"):
        raise Http404
    shown = None
    if redacted_only_for(request.user, item):
        shown = redacted_file(item)
        if shown is None:
            raise Http404  # nothing of this item may be disclosed to them yet
    audit.record("vault.custody_exported", obj=item, details={"format": fmt})
    if fmt == "csv":
        response = HttpResponse(custody_csv(item, shown), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(custody_pdf(item, shown), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="custody-{item.pk}.{fmt}"'
    return response


# ---------------------------------------------------------------- retention


@require_http_methods(["GET", "POST"])
@login_required
def retention(request: HttpRequest) -> HttpResponse:
    """Preview what retention will delete in the next 30 days; propose and confirm lists."""
    org = retention_organization(request.user)
    if request.method == "POST":
        op = request.POST.get("op")
        with reported(request):
            if op == "propose":
                if do_propose_deletion(org, actor=request.user) is None:
                    messages.info(request, _("Nothing is due for deletion now."))
            elif op == "confirm":
                proposal = access_deletion_list(request.user, request.POST.get("list"))
                binned = do_confirm_deletion(proposal, actor=request.user)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s item was moved to the recovery bin.",
                        "%(count)s items were moved to the recovery bin.",
                        len(binned),
                    )
                    % {"count": len(binned)},
                )
        return redirect("vault:retention")
    context = {
        **retention_queues(request.user, within_days=30),
        "is_custodian": Role.CUSTODIAN in actor_of(request.user).roles,
    }
    return render(request, "vault/retention.html", context)


@require_POST
@login_required
def item_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Take an item back out of the recovery bin."""
    item = access_item(request.user, pk, Action.DELETE)
    try:
        do_restore_item(item, reason=request.POST.get("reason", ""), actor=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
    else:
        messages.success(request, _("The item was restored."))
    return redirect(item)
