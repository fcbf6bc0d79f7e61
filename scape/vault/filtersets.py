"""Filters of the vault's lists (scape.core.generic.filtered)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scape.core.access import actor_of
from scape.core.api import StrictBooleanFilter
from scape.core.choices import Action
from scape.core.models import Grant
from scape.directory.models import Organization, Person
from scape.directory.queries import partners_of
from scape.vault.choices import Integrity, ItemStatus, MediaKind, SourceType
from scape.vault.models import Case, Category, EvidenceItem, ItemTag
from scape.vault.queries import get_cases, without_hidden_matches

Items = QuerySet[EvidenceItem]


RETENTION_STATES = (
    ("held", _("on legal hold")),
    ("review", _("due for review")),
    ("due", _("past its keep-until date")),
    ("bin", _("in the recovery bin")),
)


class ItemFilter(django_filters.FilterSet):
    """What a custodian looks for: words, people, devices, times, cases, tags, retention."""

    q = django_filters.CharFilter(
        label=_("Words"),
        method="by_words",
        max_length=100,
        help_text=_("In the title, notes, tags and file name."),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ItemStatus.choices, empty_label="—"
    )
    media_kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=MediaKind.choices, empty_label="—"
    )
    source_type = django_filters.ChoiceFilter(
        label=_("Source"), choices=SourceType.choices, empty_label="—"
    )
    officer = django_filters.ModelChoiceFilter(
        label=_("Officer"), queryset=Person.objects.none(), empty_label="—"
    )
    device = django_filters.CharFilter(
        label=_("Device serial"), field_name="device_serial", lookup_expr="icontains"
    )
    recorded_after = django_filters.DateFilter(
        label=_("Recorded from"),
        field_name="recorded_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    recorded_before = django_filters.DateFilter(
        label=_("Recorded until"),
        field_name="recorded_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.none(), empty_label="—"
    )
    case = django_filters.CharFilter(label=_("Case"), method="by_case", max_length=60)
    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"), queryset=Organization.objects.none(), empty_label="—"
    )
    tag = django_filters.CharFilter(label=_("Tag"), method="by_tag", max_length=40)
    retention = django_filters.ChoiceFilter(
        label=_("Retention"), choices=RETENTION_STATES, method="by_retention", empty_label="—"
    )
    shared_with = django_filters.ModelChoiceFilter(
        label=_("Shared with"),
        queryset=Organization.objects.none(),
        # An organization's id, as ?organization= (what the API schema documents).
        field_name="organization",
        method="by_grantee",
        empty_label="—",
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request is not None else None
        own = actor_of(user).organization_id
        filters = self.filters
        filters["officer"].queryset = (
            Person.objects.filter(organization=own)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        filters["category"].queryset = Category.objects.restrict(user, Action.VIEW)
        filters["organization"].queryset = Organization.objects.filter(is_active=True)
        filters["shared_with"].queryset = partners_of(own)

    def by_words(self, rows: Items, name: str, term: str) -> Items:
        term = term.strip()
        if not term:
            return rows
        tagged = ItemTag.objects.filter(name__icontains=term).values("item")
        open_to_all = rows.filter(Q(title__icontains=term) | Q(pk__in=tagged))
        # The original's name and the owner's notes are not searched for a
        # partner shown redacted copies only (scape.vault.queries.without_hidden_matches).
        private = without_hidden_matches(
            self.request.user,
            rows.filter(Q(original_name__icontains=term) | Q(notes__icontains=term)),
        )
        return rows.filter(Q(pk__in=open_to_all.values("pk")) | Q(pk__in=private.values("pk")))

    def by_case(self, rows: Items, name: str, reference: str) -> Items:
        cases = get_cases(self.request.user).filter(reference__icontains=reference.strip())
        return rows.filter(pk__in=cases.values("items"))

    def by_tag(self, rows: Items, name: str, tag: str) -> Items:
        wanted = " ".join(tag.split()).casefold()
        return rows.filter(pk__in=ItemTag.objects.filter(name=wanted).values("item"))

    def by_retention(self, rows: Items, name: str, state: str) -> Items:
        now = timezone.now()
        if state == "held":
            return rows.filter(legal_hold=True)
        if state == "review":
            return rows.filter(review_at__lte=now, legal_hold=False)
        if state == "due":
            return rows.filter(retain_until__lte=now, legal_hold=False).exclude(
                status=ItemStatus.DESTROYED
            )
        if state == "bin":
            return rows.filter(status=ItemStatus.IN_BIN)
        return rows

    def by_grantee(self, rows: Items, name: str, partner: Any) -> Items:
        """Items of the user's organization that ``partner`` sees: shared directly or in a case."""
        if partner is None:
            return rows
        grants = Grant.objects.active().filter(grantee=partner)
        direct = grants.for_model(EvidenceItem).values("object_id")
        cases = Case.objects.filter(pk__in=grants.for_model(Case).values("object_id"))
        own = actor_of(self.request.user).organization_id
        return rows.filter(organization=own).filter(
            Q(pk__in=direct) | Q(pk__in=cases.values("items"))
        )

    def only_uncategorised(self, rows: Items, name: str, value: bool) -> Items:
        return rows.filter(category__isnull=True) if value else rows

    def only_shared(self, rows: Items, name: str, value: bool) -> Items:
        own = actor_of(self.request.user).organization_id
        return rows.exclude(organization=own) if value else rows


class ItemApiFilter(ItemFilter):
    """The evidence list's filters through the API, with integrity and legal hold too."""

    integrity = django_filters.ChoiceFilter(choices=Integrity.choices)
    legal_hold = StrictBooleanFilter()

    class Meta(ItemFilter.Meta):
        fields: list[str] = []
