"""Filters of the core lists: the audit log (scape.core.generic.filtered)."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.utils import timezone
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
    # Days in the reader's time zone, as ranges of the indexed time column
    # (``time__date`` would convert every row's time before comparing).
    date_from = django_filters.DateFilter(label=_("From"), method="_from_day", widget=_DATE)
    date_to = django_filters.DateFilter(label=_("To"), method="_to_day", widget=_DATE)

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = _DatesInOrder

    def _from_day(self, rows: Any, name: str, value: datetime.date) -> Any:
        return rows.filter(time__gte=_day_start(value))

    def _to_day(self, rows: Any, name: str, value: datetime.date) -> Any:
        return rows.filter(time__lt=_day_start(value + datetime.timedelta(days=1)))


def _day_start(day: datetime.date) -> datetime.datetime:
    """Return the first moment of a day in the active time zone."""
    return datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone())
