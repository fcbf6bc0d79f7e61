"""The period and partner filter of the dashboard, its drill-downs, exports and API."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scape.directory.queries import active_organizations, organizations_with
from scape.reports.choices import PeriodKind
from scape.reports.periods import Period

if TYPE_CHECKING:
    from scape.directory.models import Organization

# The longest custom range, so that one request cannot ask for centuries.
MAX_RANGE_DAYS = 3660


class ReportFilterForm(forms.Form):
    """Choose a reporting period and, optionally, one partner."""

    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        choices=[("", "—"), *((q, f"Q{q}") for q in range(1, 5))],
        required=False,
        empty_value=None,
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        choices=[("", "—"), *((m, f"{m:02d}") for m in range(1, 13))],
        required=False,
        empty_value=None,
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    organization = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=organizations_with([]),
        to_field_name="code",
        required=False,
        empty_label=_("All partners"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = active_organizations()  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.fields["year"].initial = today.year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        kind = data.get("period") or PeriodKind.YEAR
        year = data.get("year") or timezone.localdate().year
        try:
            if kind == PeriodKind.YEAR:
                period = Period.year(year)
            elif kind == PeriodKind.QUARTER:
                if not data.get("quarter"):
                    raise forms.ValidationError({"quarter": _("Choose a quarter.")})
                period = Period.quarter(year, data["quarter"])
            elif kind == PeriodKind.MONTH:
                if not data.get("month"):
                    raise forms.ValidationError({"month": _("Choose a month.")})
                period = Period.month(year, data["month"])
            else:
                period = self._custom(data)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        data["the_period"] = period
        return data

    def _custom(self, data: dict[str, Any]) -> Period:
        start, end = data.get("start"), data.get("end")
        if not start or not end:
            raise forms.ValidationError(_("Give the first and the last day of the range."))
        if end < start:
            raise forms.ValidationError(_("The start date is after the end date."))
        if end - start > datetime.timedelta(days=MAX_RANGE_DAYS):
            raise forms.ValidationError(_("A range may cover at most ten years."))
        return Period(start, end, PeriodKind.CUSTOM)

    @property
    def the_period(self) -> Period:
        """Return the chosen period; the current year when the form is not valid."""
        if self.is_valid():
            return self.cleaned_data["the_period"]
        return Period.year(timezone.localdate().year)

    @property
    def the_organization(self) -> Organization | None:
        return self.cleaned_data.get("organization") if self.is_valid() else None

    def export_params(self) -> dict[str, str]:
        """Return the query parameters that repeat this filter."""
        params = self.the_period.query()
        if self.the_organization is not None:
            params["organization"] = self.the_organization.code
        return params

    def query(self) -> str:
        """Return the query string that repeats this filter."""
        from urllib.parse import urlencode

        return urlencode(self.export_params())
