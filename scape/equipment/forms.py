"""Forms of the equipment pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scape.core.tracks import ACCEPT
from scape.directory.models import Person, Unit
from scape.equipment.actions import SETTABLE_STATUSES
from scape.equipment.choices import (
    ALL_DETAIL_FIELDS,
    AssetKind,
    AssetStatus,
    InformingType,
    MaintenanceKind,
    MeterUnit,
)


class CheckOutForm(forms.Form):
    """Choose who takes the asset and when it should come back."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    expected_return = forms.DateTimeField(
        label=_("Expected return"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, organization: Any, only_user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        people = Person.objects.filter(organization=organization, is_active=True)
        if only_user is not None:
            # Self-service: an officer takes equipment for themselves only.
            people = people.filter(user=only_user)
            field.empty_label = None  # type: ignore[attr-defined]
        field.queryset = people.select_related("user").order_by(  # type: ignore[attr-defined]
            "user__last_name", "user__first_name"
        )

    def clean_expected_return(self) -> Any:
        value = self.cleaned_data.get("expected_return")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("The expected return must be in the future."))
        return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the action that stores it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class CheckInForm(forms.Form):
    condition = forms.CharField(
        label=_("Condition on return"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    photos = MultipleFileField(
        label=_("Photos of its condition"),
        required=False,
        help_text=_("JPEG, PNG or WebP; several may be chosen."),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)


_DETAIL_LABELS = {
    "issi": _("ISSI (radio subscriber number)"),
    "call_sign": _("Call sign"),
    "registration": _("Drone registration number"),
    "plate": _("Licence plate"),
    "battery_kwh": _("Battery capacity (kWh)"),
    "seats": _("Seats"),
    "informing_type": _("Type of informing equipment"),
}


class AssetForm(forms.Form):
    """The description of a piece of equipment; fields of other kinds are ignored."""

    kind = forms.ChoiceField(label=_("Kind"), choices=AssetKind.choices)
    tag = forms.CharField(label=_("Asset tag"), max_length=40)
    serial = forms.CharField(label=_("Serial number"), required=False, max_length=80)
    make = forms.CharField(label=_("Make"), required=False, max_length=80)
    model = forms.CharField(label=_("Model"), required=False, max_length=80)
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.none())
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in SETTABLE_STATUSES],
        initial=AssetStatus.AVAILABLE,
    )
    location = forms.CharField(label=_("Location"), required=False, max_length=200)
    purchase_date = forms.DateField(
        label=_("Purchase date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    price = forms.DecimalField(
        label=_("Price (EUR)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    funding_source = forms.CharField(
        label=_("Funding source"),
        required=False,
        max_length=200,
        help_text=_("For example the cross-border programme that paid for it."),
    )
    issi = forms.CharField(
        label=_DETAIL_LABELS["issi"],
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("Radios only."),
    )
    call_sign = forms.CharField(
        label=_DETAIL_LABELS["call_sign"],
        required=False,
        max_length=40,
        help_text=_("Radios only."),
    )
    registration = forms.CharField(
        label=_DETAIL_LABELS["registration"],
        required=False,
        max_length=40,
        help_text=_("Drones only."),
    )
    plate = forms.CharField(
        label=_DETAIL_LABELS["plate"],
        required=False,
        max_length=40,
        help_text=_("Cars and minibuses only."),
    )
    battery_kwh = forms.DecimalField(
        label=_DETAIL_LABELS["battery_kwh"],
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        help_text=_("Electric vehicles only."),
    )
    seats = forms.IntegerField(
        label=_DETAIL_LABELS["seats"],
        required=False,
        min_value=1,
        max_value=60,
        help_text=_("Minibuses only."),
    )
    informing_type = forms.ChoiceField(
        label=_DETAIL_LABELS["informing_type"],
        required=False,
        choices=[("", "—"), *InformingType.choices],
        help_text=_("Informing equipment only."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, organization: Any, checked_out: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        ).order_by("name")
        if checked_out:
            # Only the check-in changes the status of an asset someone holds.
            del self.fields["status"]

    def action_fields(self) -> dict[str, Any]:
        """Return the cleaned data in the shape the asset actions take."""
        data = dict(self.cleaned_data)
        details = {name: data.pop(name) for name in ALL_DETAIL_FIELDS}
        data["details"] = {k: v for k, v in details.items() if v not in (None, "")}
        return data

    @staticmethod
    def initial_for(asset: Any) -> dict[str, Any]:
        initial = {
            name: getattr(asset, name)
            for name in (
                "kind", "tag", "serial", "make", "model", "unit", "status", "location",
                "purchase_date", "price", "funding_source", "notes",
            )
        }  # fmt: skip
        initial.update({k: v for k, v in (asset.details or {}).items() if k in ALL_DETAIL_FIELDS})
        return initial


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Inventory file"),
        help_text=_("CSV or XLSX, one asset a row, with a header row (see the columns below)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class ImportConfirmForm(forms.Form):
    strict = forms.BooleanField(
        label=_("Import nothing if any row has an error"),
        required=False,
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


def _when(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
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
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("Invoice, report or picture (PDF, image or office document)."),
    )


class FlightForm(forms.Form):
    """A drone flight: pilot, purpose, and the log from the drone or its app.

    Take-off, landing and maximum altitude left empty are taken from the log.
    """

    pilot = forms.ModelChoiceField(label=_("Pilot"), queryset=Person.objects.none())
    started_at = _when(
        _("Take-off"), required=False, help_text=_("Left empty, taken from the track file.")
    )
    ended_at = _when(
        _("Landing"), required=False, help_text=_("Left empty, taken from the track file.")
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    area = forms.CharField(label=_("Area"), required=False, max_length=200)
    max_altitude_m = forms.IntegerField(
        label=_("Maximum altitude (m)"),
        required=False,
        min_value=0,
        help_text=_("Left empty, taken from the track file."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    incident_reference = forms.CharField(label=_("Incident"), required=False, max_length=60)
    track = forms.FileField(
        label=_("Track file"),
        required=False,
        help_text=_(
            "GPX, KML, DJI .SRT, or a CSV export of AirData, Litchi or PhantomHelp. "
            "Duration, distance and maximum altitude are computed from it."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pilot"].queryset = _people(organization)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("track") and not (data.get("started_at") and data.get("ended_at")):
            raise forms.ValidationError(
                _("Give the take-off and landing times, or attach the flight's track file.")
            )
        return data


class ShiftTripForm(forms.Form):
    """One trip of a shift's bulk entry; a row left empty is skipped."""

    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=Person.objects.none())
    driver = forms.ModelChoiceField(label=_("Driver"), queryset=Person.objects.none())
    started_at = _when(_("Start"))
    ended_at = _when(_("End"))
    km = _number(_("Distance (km)"))
    energy_kwh = _number(_("Energy (kWh)"), required=False, places=2)
    fuel_l = _number(_("Fuel (litres)"), required=False, places=2)

    def __init__(self, *args: Any, organization: Any, vehicles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = vehicles  # type: ignore[attr-defined]
        self.fields["driver"].queryset = _people(organization)  # type: ignore[attr-defined]


class BaseShiftFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, organization: Any, vehicles: Any, **kwargs: Any) -> None:
        self.organization = organization
        self.vehicles = vehicles
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: Any) -> dict[str, Any]:
        return {"organization": self.organization, "vehicles": self.vehicles}


ShiftFormSet = forms.formset_factory(
    ShiftTripForm, formset=BaseShiftFormSet, extra=6, max_num=30, validate_max=True
)


class ScheduleForm(forms.Form):
    """Recurring maintenance: every so many days and/or meter units."""

    kind = forms.ChoiceField(label=_("Kind of maintenance"), choices=MaintenanceKind.choices)
    every_days = forms.IntegerField(
        label=_("Every (days)"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    every_meter = _number(_("Every (meter units)"), required=False)
    meter_unit = forms.ChoiceField(
        label=_("Meter"), required=False, choices=[("", "—"), *MeterUnit.choices]
    )
    warn_days = forms.IntegerField(label=_("Remind days before"), min_value=0, initial=14)
    whole_kind = forms.BooleanField(
        label=_("For every asset of this kind"),
        required=False,
        help_text=_("Otherwise for this asset only."),
    )
