"""Filters of the core lists: the audit log (scape.core.generic.filtered)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from scape.core.choices import Outcome
from scape.core.models import AuditEvent

_DATE = forms.DateInput(attrs={"type": "date"})


class _DatesInOrder(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        label=_("Actor"), field_name="actor_username", lookup_expr="icontains", max_length=150
    )
    action = django_filters.CharFilter(label=_("Action"), lookup_expr="icontains", max_length=64)
    object_type = django_filters.CharFilter(
        label=_("Object type"), lookup_expr="icontains", max_length=64
    )
    object_id = django_filters.CharFilter(label=_("Object id"), max_length=64)
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=Outcome.choices, empty_label="—"
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="time", lookup_expr="date__gte", widget=_DATE
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="time", lookup_expr="date__lte", widget=_DATE
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = _DatesInOrder
