"""Describing an item so that it is found again, and a person's saved searches."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scape.core.choices import Action
from scape.core.generic import report_errors
from scape.vault.actions.finding import do_delete_search, do_describe_item, do_save_search
from scape.vault.forms import DescribeForm, SaveSearchForm
from scape.vault.queries import access_item


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
