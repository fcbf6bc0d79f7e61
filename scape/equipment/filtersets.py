"""Filters of the equipment lists (scape.core.generic.filtered)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from scape.equipment.choices import AssetKind, AssetStatus
from scape.equipment.models import Asset


class AssetFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AssetKind.choices, empty_label="—")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=AssetStatus.choices, empty_label="—"
    )

    class Meta:
        model = Asset
        fields: list[str] = []
