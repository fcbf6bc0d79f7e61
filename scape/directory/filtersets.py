"""Filters of the directory's lists (scape.core.generic.filtered)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from scape.core.choices import Role
from scape.directory.models import Organization, Person
from scape.directory.queries import get_partner_organizations


def _visible_organizations(request: Any) -> QuerySet[Organization]:
    return get_partner_organizations(request.user) if request else Organization.objects.none()


class PeopleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)
    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"), queryset=_visible_organizations
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"),
        field_name="role_assignments__role",
        choices=Role.choices,
        empty_label="—",
        distinct=True,
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def search(self, rows: QuerySet[Person], name: str, term: str) -> QuerySet[Person]:
        return rows.filter(
            Q(user__first_name__icontains=term)
            | Q(user__last_name__icontains=term)
            | Q(user__username__icontains=term)
            | Q(badge_number__icontains=term)
        )
