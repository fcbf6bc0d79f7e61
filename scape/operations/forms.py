"""Forms of the joint operations pages."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scape.core.forms import ShareForm
from scape.core.geojson import AreaError, valid_area
from scape.directory.models import Organization, Person
from scape.operations.choices import (
    IncidentStatus,
    LinkKind,
    MemberRole,
    PersonCategory,
    Severity,
    Transport,
)
from scape.operations.models import Incident, IncidentType

_LOCAL = {"type": "datetime-local"}
_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def _people() -> Any:
    """Active people of active organizations, for joint teams and assignments."""
    return (
        Person.objects.filter(is_active=True, organization__is_active=True)
        .select_related("user", "organization")
        .order_by("organization__code", "user__last_name", "user__first_name")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.organization.short_name or obj.organization.name})"


class IncidentForm(forms.Form):
    type = forms.ModelChoiceField(
        label=_("Type"), queryset=IncidentType.objects.filter(is_active=True)
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, initial=Severity.MEDIUM
    )
    occurred_at = forms.DateTimeField(
        label=_("Occurred"), widget=forms.DateTimeInput(attrs=_LOCAL, format=_LOCAL_FORMAT)
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=9, decimal_places=6,
        min_value=-90, max_value=90,
    )  # fmt: skip
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6,
        min_value=-180, max_value=180,
    )  # fmt: skip
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    involved_organizations = forms.ModelMultipleChoiceField(
        label=_("Involved organizations"),
        queryset=Organization.objects.filter(is_active=True),
        required=False,
    )
    is_exercise = forms.BooleanField(label=_("Exercise (not a real incident)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=IncidentStatus.choices)
    outcome = forms.CharField(
        label=_("Outcome (needed to close)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False)

    def __init__(self, *args: Any, incident: Incident, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["person"].queryset = _people().filter(organization__in=organizations)  # type: ignore[attr-defined]


class LogEntryForm(forms.Form):
    text = forms.CharField(
        label=_("Log entry"),
        widget=forms.Textarea(attrs={"rows": 2}),
        # Spaces only pass the browser's check; say what is wrong, not "this field is required".
        error_messages={"required": _("Write something in the entry.")},
    )


class IncidentPersonForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=PersonCategory.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    details = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LinkKind.choices)
    object_id = forms.IntegerField(label=_("Record number"), min_value=1)


class IncidentShareForm(ShareForm):
    include_people = forms.BooleanField(
        label=_("Include the people involved"),
        required=False,
        help_text=_("Only the partner's officers and coordinators will see them."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Incidents have no files to download.
        del self.fields["allow_download"]


class MapFilterForm(forms.Form):
    hours = forms.TypedChoiceField(
        label=_("Time"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("any time")),
            (6, _("last 6 hours")),
            (24, _("last 24 hours")),
            (168, _("last 7 days")),
            (720, _("last 30 days")),
        ],
    )
    type = forms.ModelChoiceField(
        label=_("Type"), required=False, queryset=IncidentType.objects.filter(is_active=True)
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        required=False,
        queryset=Organization.objects.filter(is_active=True),
    )

    patrol = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    incident = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def since(self) -> datetime.datetime | None:
        hours = self.cleaned_data.get("hours") if self.is_valid() else None
        return timezone.now() - datetime.timedelta(hours=hours) if hours else None


def parse_area(value: str) -> dict[str, Any]:
    """Return a drawn area (a GeoJSON FeatureCollection) or raise ValidationError."""
    if not value:
        return {}
    try:
        data = json.loads(value)
    except ValueError as exc:
        raise forms.ValidationError(_("The drawn area could not be read; draw it again.")) from exc
    try:
        return valid_area(data)
    except AreaError as exc:
        # The reason stays in English (for an API client's developer); the
        # person drawing gets the sentence they can act on.
        raise forms.ValidationError(
            _("The drawn area could not be read; draw it again."), params={"why": str(exc)}
        ) from exc


class PatrolForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Start"), widget=forms.DateTimeInput(attrs=_LOCAL, format=_LOCAL_FORMAT)
    )
    ends_at = forms.DateTimeField(
        label=_("End"), widget=forms.DateTimeInput(attrs=_LOCAL, format=_LOCAL_FORMAT)
    )
    area = forms.CharField(required=False, widget=forms.HiddenInput)
    route = forms.CharField(
        label=_("Route (or draw the area on the map)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    talk_group = forms.CharField(label=_("Radio talk group"), max_length=60, required=False)
    briefing = forms.CharField(
        label=_("Briefing notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    equipment = forms.ModelMultipleChoiceField(
        label=_("Equipment"), required=False, queryset=Organization.objects.none()
    )

    def __init__(self, *args: Any, assets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["equipment"].queryset = assets  # type: ignore[attr-defined]

    def clean_area(self) -> dict[str, Any]:
        return parse_area(self.cleaned_data.get("area") or "")


class MemberForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    transport = forms.ChoiceField(label=_("Transport"), choices=Transport.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people()  # type: ignore[attr-defined]


MemberFormSet = forms.formset_factory(MemberForm, extra=4, max_num=20)


class PatrolStartForm(forms.Form):
    check_out = forms.BooleanField(
        label=_("Check the assigned equipment out to the team"), required=False, initial=True
    )


class PatrolReportForm(forms.Form):
    report = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    incidents = forms.ModelMultipleChoiceField(
        label=_("Incidents created"), required=False, queryset=Incident.objects.none()
    )

    def __init__(self, *args: Any, incidents: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incidents"].queryset = incidents  # type: ignore[attr-defined]
        self.members = list(members)
        for member in self.members:
            self.fields[f"km_{member.pk}"] = forms.DecimalField(
                label=_("Km ridden: %(name)s (%(transport)s)")
                % {"name": member.person.full_name, "transport": member.get_transport_display()},
                required=False,
                min_value=0,
                max_value=1000,
                decimal_places=1,
            )

    def km(self) -> dict[int, Any]:
        return {m.pk: self.cleaned_data.get(f"km_{m.pk}") for m in self.members}
