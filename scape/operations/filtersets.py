"""Filters of the operations lists (scape.core.generic.filtered)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from scape.directory.models import Organization
from scape.operations.choices import IncidentStatus
from scape.operations.models import Incident, IncidentType


class IncidentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=IncidentStatus.choices, empty_label="—"
    )
    # A type finds its own incidents and those of its subtypes.
    type = django_filters.ModelChoiceFilter(
        label=_("Type"), queryset=IncidentType.objects.filter(is_active=True), method="of_type"
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"), queryset=Organization.objects.filter(is_active=True)
    )

    class Meta:
        model = Incident
        fields: list[str] = []

    def of_type(
        self, rows: QuerySet[Incident], name: str, value: IncidentType
    ) -> QuerySet[Incident]:
        return rows.filter(Q(type=value) | Q(type__parent=value))
