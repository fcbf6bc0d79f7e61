"""Describing an item so that it is found again, a person's saved searches, and one
step on many items at once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scape.core.access import actor_of
from scape.core.choices import Action
from scape.core.generic import report_errors
from scape.core.models import Job
from scape.directory.queries import partners_of
from scape.vault.actions.finding import (
    do_delete_search,
    do_describe_item,
    do_save_search,
    do_start_bulk,
)
from scape.vault.choices import CaseStatus
from scape.vault.forms import BulkForm, DescribeForm, SaveSearchForm
from scape.vault.models import EVIDENCE_POLICY
from scape.vault.queries import access_item, get_cases


@require_POST
@login_required
def item_describe(request: HttpRequest, pk: int) -> HttpResponse:
    """Set an item's title, notes and tags."""
    item = access_item(request.user, pk, Action.CHANGE)
    form = DescribeForm(request.POST)
    if form.is_valid():
        try:
            do_describe_item(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            report_errors(request, exc)
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Nothing was saved: correct the form below."))
    return redirect(item)


@require_POST
@login_required
def search_save(request: HttpRequest) -> HttpResponse:
    """Keep the evidence list's current search under a name."""
    form = SaveSearchForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        try:
            do_save_search(request.user, name=form.cleaned_data["name"], query=query)
        except ValidationError as exc:
            report_errors(request, exc)
        else:
            messages.success(request, _("The search is saved."))
    else:
        messages.error(request, _("Name the search."))
    return redirect(reverse("vault:items") + (f"?{query}" if query else ""))


@require_POST
@login_required
def search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Forget one of the user's saved searches."""
    do_delete_search(request.user, pk)
    return redirect("vault:items")


def bulk_form(request: HttpRequest, data: Any = None, query: str = "") -> BulkForm:
    """Return the bulk form for the user: their organization's categories, cases, partners."""
    own = actor_of(request.user).organization_id
    return BulkForm(
        data,
        initial={"query": query},
        organization=own,
        cases=get_cases(request.user).filter(organization=own, status=CaseStatus.OPEN),
        partners=partners_of(own),
    )


def may_bulk(user: Any) -> bool:
    """Whether the user may do anything to many of their organization's items."""
    return actor_of(user).has_any(
        EVIDENCE_POLICY.own[Action.CHANGE] | EVIDENCE_POLICY.own[Action.SHARE]
    )


@require_POST
@login_required
def bulk(request: HttpRequest) -> HttpResponse:
    """Start one step on the ticked items, or on all that match the search."""
    if not may_bulk(request.user):
        raise PermissionDenied
    query = request.POST.get("query", "")
    back = reverse("vault:items") + (f"?{query}" if query else "")
    form = bulk_form(request, request.POST, query)
    if not form.is_valid():
        messages.error(request, _("Nothing was started: choose what to do and with which items."))
        return redirect(back)
    everything = form.cleaned_data["scope"] == "all"
    try:
        job = do_start_bulk(
            request.user,
            op=form.cleaned_data["op"],
            options=form.options(),
            ids=None if everything else request.POST.getlist("items"),
            query=QueryDict(query) if everything else None,
        )
    except ValidationError as exc:
        report_errors(request, exc)
        return redirect(back)
    messages.success(
        request,
        _("Started for %(count)s items: the progress is shown above the list.")
        % {"count": job.params["count"]},
    )
    return redirect(back)


def bulk_jobs(user: Any) -> Any:
    """Return the user's recent bulk steps, newest first."""
    return Job.objects.filter(kind="vault.bulk", created_by=user).order_by("-created_at")[:5]
