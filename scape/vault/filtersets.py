"""Filters of the vault's lists (scape.core.generic.filtered)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from scape.core.access import actor_of
from scape.vault.choices import ItemStatus, MediaKind, SourceType
from scape.vault.models import EvidenceItem
from scape.vault.queries import without_hidden_matches

Items = QuerySet[EvidenceItem]


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("File name"), method="by_name", max_length=100)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ItemStatus.choices, empty_label="—"
    )
    media_kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=MediaKind.choices, empty_label="—"
    )
    source_type = django_filters.ChoiceFilter(
        label=_("Source"), choices=SourceType.choices, empty_label="—"
    )
    uncategorised = django_filters.BooleanFilter(
        label=_("Uncategorised only"), method="only_uncategorised", widget=forms.CheckboxInput
    )
    shared = django_filters.BooleanFilter(
        label=_("Shared with us only"), method="only_shared", widget=forms.CheckboxInput
    )

    class Meta:
        model = EvidenceItem
        fields: list[str] = []

    def by_name(self, rows: Items, name: str, term: str) -> Items:
        return without_hidden_matches(self.request.user, rows.filter(original_name__icontains=term))

    def only_uncategorised(self, rows: Items, name: str, value: bool) -> Items:
        return rows.filter(category__isnull=True) if value else rows

    def only_shared(self, rows: Items, name: str, value: bool) -> Items:
        own = actor_of(self.request.user).organization_id
        return rows.exclude(organization=own) if value else rows
