"""Admin for the indicator definitions and the list of solutions; every save is audited."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from scape.core.admin import AuditedAdmin
from scape.reports.indicators import REGISTRY
from scape.reports.models import Indicator, Solution


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code", "name_lt", "name_lv", "name_en", "unit", "target", "query", "group",
            "order", "active",
        ]  # fmt: skip

    def clean_query(self) -> str:
        query = self.cleaned_data["query"]
        if query not in REGISTRY:
            raise forms.ValidationError(
                _("No registered query is called %(query)s."), params={"query": query}
            )
        return query


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    form = IndicatorForm
    list_display = ["code", "name_en", "group", "unit", "target", "order", "active"]
    list_filter = ["group", "active"]
    search_fields = ["code", "name_en", "name_lt", "name_lv"]


@admin.register(Solution)
class SolutionAdmin(AuditedAdmin):
    list_display = ["name_en", "organization", "introduced_on", "active"]
    list_filter = ["organization", "active"]
    search_fields = ["name_en", "name_lt", "name_lv"]
