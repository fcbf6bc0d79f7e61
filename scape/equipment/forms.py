"""Forms of the equipment pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scape.directory.models import Person
from scape.equipment.choices import AssetKind, AssetStatus, MaintenanceKind, MeterUnit


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


def _people(organization: Any) -> Any:
    return (
        Person.objects.filter(organization=organization, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def _when(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _number(label: Any, *, required: bool = True, places: int = 1) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=places,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )


class ReadingForm(forms.Form):
    """A meter reading taken from the asset's odometer, flight log or battery."""

    unit = forms.ChoiceField(label=_("Meter"), choices=MeterUnit.choices)
    value = _number(_("Reading"))
    replacement = forms.BooleanField(
        label=_("The meter was replaced"),
        required=False,
        help_text=_("Only then may a reading be lower than the last one."),
    )


class TripForm(forms.Form):
    """A trip made with a vehicle: who drove, when, how far, and the energy or fuel used."""

    driver = forms.ModelChoiceField(label=_("Driver"), queryset=Person.objects.none())
    started_at = _when(_("Start"))
    ended_at = _when(_("End"))
    km = _number(_("Distance (km)"))
    energy_kwh = _number(_("Energy (kWh)"), required=False, places=2)
    fuel_l = _number(_("Fuel (litres)"), required=False, places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = _people(organization)  # type: ignore[attr-defined]


class MaintenanceForm(forms.Form):
    """Work done on the asset."""

    kind = forms.ChoiceField(label=_("Kind of maintenance"), choices=MaintenanceKind.choices)
    done_on = forms.DateField(
        label=_("Done on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    cost = _number(_("Cost (EUR)"), required=False, places=2)
    meter_value = _number(_("Meter at the time"), required=False)


class FlightForm(forms.Form):
    """A drone flight: pilot, times, purpose, and the track file from the drone or its app."""

    pilot = forms.ModelChoiceField(label=_("Pilot"), queryset=Person.objects.none())
    started_at = _when(_("Take-off"))
    ended_at = _when(_("Landing"))
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    area = forms.CharField(label=_("Area"), required=False, max_length=200)
    max_altitude_m = forms.IntegerField(
        label=_("Maximum altitude (m)"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    incident_reference = forms.CharField(label=_("Incident"), required=False, max_length=60)
    track = forms.FileField(
        label=_("Track file"),
        required=False,
        help_text=_("GPX, DJI .SRT or CSV flight log."),
        widget=forms.ClearableFileInput(attrs={"accept": ".gpx,.srt,.csv"}),
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pilot"].queryset = _people(organization)  # type: ignore[attr-defined]
