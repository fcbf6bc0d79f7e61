"""Filters of the activities lists (scape.core.generic.filtered)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scape.activities.choices import ActivityKind
from scape.activities.models import Activity

WHEN = [("upcoming", _("Upcoming")), ("past", _("Past")), ("all", _("All"))]


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ActivityKind.choices, empty_label=_("All kinds")
    )
    # Upcoming (soonest first) unless the list asks for the past or all of them.
    when = django_filters.ChoiceFilter(
        label=_("When"), choices=WHEN, method="by_time", empty_label=None, null_label=None
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    @property
    def qs(self) -> QuerySet[Activity]:
        rows = super().qs
        when = self.form.cleaned_data.get("when") if self.is_bound and self.is_valid() else None
        return rows if when else self.by_time(rows, "when", "upcoming")

    def by_time(self, rows: QuerySet[Activity], name: str, when: str) -> QuerySet[Activity]:
        now = timezone.now()
        if when == "upcoming":
            return rows.filter(ends_at__gte=now).order_by("starts_at")
        if when == "past":
            return rows.filter(ends_at__lt=now).order_by("-starts_at")
        return rows
