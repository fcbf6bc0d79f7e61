"""Forms of the equipment pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scape.directory.models import Person
from scape.equipment.choices import AssetKind, AssetStatus


class AssetFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *AssetKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *AssetStatus.choices]
    )


class CheckOutForm(forms.Form):
    """Choose who takes the asset and when it should come back."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    expected_return = forms.DateTimeField(
        label=_("Expected return"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(organization=organization, is_active=True)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )

    def clean_expected_return(self) -> Any:
        value = self.cleaned_data.get("expected_return")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("The expected return must be in the future."))
        return value


class CheckInForm(forms.Form):
    condition = forms.CharField(
        label=_("Condition on return"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class MonthForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)
