"""The small generic HTML view layer the apps' pages are built from.

- ``run_action(form, action)``: the one path from a form to an action. The
  action runs only on a valid form; its ``ValidationError`` is shown on the form,
  per field where it names one, and nothing is half-written (actions are
  atomic).
- ``report_errors(request, exc)`` and ``with reported(request):``: the same
  error shown as messages, for a button that posts no form (withdraw,
  approve, start).
- ``paginate(request, rows)``: one page of a list, 50 rows by default.
- ``keyset_paginate(request, rows, order)``: one page of a big list (reads,
  evidence, the audit log) after ``?after=`` or before ``?before=`` a cursor,
  with a capped count (scape.core.keyset).
- ``filtered(request, rows, filterset_class)``: a list narrowed by the app's
  ``filtersets.py``; an invalid filter shows its errors and lists nothing.
- ``ShareView`` and ``RevokeShareView``: share a record with a partner and
  revoke one of its shares, parameterised by the app's ``access_*`` function
  and share action. The record is fetched through the access door for
  ``Action.SHARE`` (404 when it cannot be seen, 403 when it may not be
  shared), and a grant is looked up among that record's grants only, so a
  grant id of another record answers 404.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from scape.core.actions import do_revoke_grant, do_share_record
from scape.core.choices import Action
from scape.core.forms import ShareForm, add_validation_errors
from scape.core.keyset import KeysetPage, keyset_page
from scape.core.models import Grant

T = TypeVar("T")


def run_action(form: forms.Form, action: Callable[[dict[str, Any]], T]) -> T | None:
    """Run ``action(cleaned_data)`` if the bound form is valid; return its result, or None.

    An action's ValidationError lands on the form (per field where it names
    one), so the page shows it beside what the user typed.
    """
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as exc:
        add_validation_errors(form, exc)
        return None


def report_errors(request: HttpRequest, exc: ValidationError) -> None:
    """Show an action's ValidationError as error messages (a button with no form)."""
    for message in exc.messages:
        messages.error(request, message)


@contextlib.contextmanager
def reported(request: HttpRequest) -> Iterator[None]:
    """Run the block; an action's ValidationError ends it and shows as error messages."""
    try:
        yield
    except ValidationError as exc:
        report_errors(request, exc)


def paginate(request: HttpRequest, rows: Any, per_page: int = 50) -> Page:
    """Return the page of ``rows`` asked for by ``?page=`` (the last one past the end)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def keyset_paginate(
    request: HttpRequest, rows: QuerySet, order: tuple[str, ...], per_page: int = 50
) -> KeysetPage:
    """Return the page of a big list after ``?after=`` or before ``?before=`` a cursor.

    Rendered by ``core/keyset_pagination.html``: "Newer" and "Older" links and
    the count, capped ("more than 10,000"), instead of page numbers.
    """
    return keyset_page(
        rows,
        order,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        per_page=per_page,
    )


def filtered(request: HttpRequest, rows: QuerySet, filterset_class: type) -> tuple[Any, QuerySet]:
    """Narrow ``rows`` by the app's FilterSet from ``request.GET``; return (filterset, rows).

    An invalid filter (a date that is no date) lists nothing rather than
    everything, and the filterset's form carries the error to show.
    """
    filterset = filterset_class(request.GET or None, queryset=rows, request=request)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, rows.none()
    return filterset, filterset.qs


class ShareView(LoginRequiredMixin, View):
    """GET: the share form beside the record's shares; POST: share it through the app's action.

    A subclass sets ``access`` (the app's ``access_*(user, pk, action)``),
    ``partners`` (``directory.queries.partners_of``), ``template_name`` and,
    where the app shares its own way, ``form_class`` and ``share``.
    """

    access: ClassVar[Callable[..., Any]]
    partners: ClassVar[Callable[..., QuerySet]]
    share: ClassVar[Callable[..., Grant]] = staticmethod(do_share_record)
    form_class: ClassVar[type[Any]] = ShareForm
    template_name: ClassVar[str]
    context_name: ClassVar[str] = "object"
    success_message: ClassVar[Any] = _("The record is now shared.")

    def get_object(self) -> Any:
        return type(self).access(self.request.user, self.kwargs["pk"], Action.SHARE)

    def get_success_url(self, obj: Any) -> str:
        return str(obj.get_absolute_url())

    def get_context(self, obj: Any, form: forms.Form) -> dict[str, Any]:
        return {
            self.context_name: obj,
            "target": obj,
            "form": form,
            "grants": Grant.objects.for_record(obj),
        }

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.form_class(organizations=type(self).partners(obj.organization_id))
        return render(request, self.template_name, self.get_context(obj, form))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.form_class(request.POST, organizations=type(self).partners(obj.organization_id))
        share = type(self).share
        if run_action(form, lambda data: share(obj, actor=request.user, **data)) is not None:
            messages.success(request, self.success_message)
            return redirect(self.get_success_url(obj))
        return render(request, self.template_name, self.get_context(obj, form))


class RevokeShareView(LoginRequiredMixin, View):
    """POST: revoke one share of the record, at once, through the app's revoke action."""

    http_method_names = ["post"]
    access: ClassVar[Callable[..., Any]]
    revoke: ClassVar[Callable[..., Grant]] = staticmethod(do_revoke_grant)
    success_message: ClassVar[Any] = _("The share was revoked.")

    def get_object(self) -> Any:
        return type(self).access(self.request.user, self.kwargs["pk"], Action.SHARE)

    def get_success_url(self, obj: Any) -> str:
        return str(obj.get_absolute_url())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        grant = get_object_or_404(Grant.objects.for_record(obj), pk=self.kwargs["grant_pk"])
        type(self).revoke(grant, actor=request.user)
        messages.success(request, self.success_message)
        return redirect(self.get_success_url(obj))
