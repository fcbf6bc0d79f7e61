"""Forms of the notice pages: the composer, with one block of texts per language."""

from __future__ import annotations

import datetime
import json
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from scape.alerts.areas import area_from_shape, areas_from_geojson
from scape.alerts.choices import (
    LANGUAGE_ORDER,
    Category,
    Certainty,
    Language,
    ResponseType,
    Scope,
    Severity,
    Status,
    Urgency,
)
from scape.alerts.models import Notice, SavedArea

_TIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME_FIELDS = ("effective", "onset", "expires")
# What each language block of a notice holds.
PARTS = ("headline", "event", "description", "instruction", "area_desc")


def _local(moment: datetime.datetime | None, zone: ZoneInfo) -> datetime.datetime | None:
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


_CHOOSE = ("", "—")


class NoticeForm(forms.Form):
    """Compose or change a draft; times are the issuing organization's local time."""

    event = forms.CharField(
        label=_("Event"), max_length=200, help_text=_("For example “Beach closure”.")
    )
    category = forms.MultipleChoiceField(
        label=_("Category"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    # No preselected value: "Immediate / Extreme / Observed" as defaults made
    # routine notices read as emergencies. The author chooses each one.
    urgency = forms.ChoiceField(label=_("Urgency"), choices=[_CHOOSE, *Urgency.choices])
    severity = forms.ChoiceField(label=_("Severity"), choices=[_CHOOSE, *Severity.choices])
    certainty = forms.ChoiceField(label=_("Certainty"), choices=[_CHOOSE, *Certainty.choices])
    response_type = forms.MultipleChoiceField(
        label=_("What people should do"),
        choices=ResponseType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    effective = forms.DateTimeField(label=_("Effective from"), required=False, widget=_TIME)
    onset = forms.DateTimeField(label=_("Onset"), required=False, widget=_TIME)
    expires = forms.DateTimeField(label=_("Expires"), required=False, widget=_TIME)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, initial=Status.ACTUAL)
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.PUBLIC)
    restriction = forms.CharField(
        label=_("Who may read it (partners only)"), max_length=300, required=False
    )
    sender_name = forms.CharField(
        label=_("Sender name"),
        max_length=200,
        required=False,
        help_text=_("Left empty: the organization's name."),
    )
    contact = forms.CharField(label=_("Contact"), max_length=300, required=False)
    web = forms.URLField(label=_("Web link"), max_length=200, required=False, assume_scheme="https")
    area_desc = forms.CharField(
        label=_("Description of the drawn areas"), max_length=200, required=False
    )
    saved_areas = forms.ModelMultipleChoiceField(
        label=_("Saved areas"),
        queryset=SavedArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    drawn = forms.CharField(
        required=False, widget=forms.HiddenInput(attrs={"id": "id_areas"}), max_length=200_000
    )

    def __init__(self, *args: Any, saved: Any, time_zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(time_zone)
        self.fields["saved_areas"].queryset = saved  # type: ignore[attr-defined]
        for language in LANGUAGE_ORDER:
            self.fields[f"headline_{language}"] = forms.CharField(
                label=_("Headline"), max_length=160, required=False
            )
            self.fields[f"description_{language}"] = forms.CharField(
                label=_("Description"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"instruction_{language}"] = forms.CharField(
                label=_("Instruction"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"event_{language}"] = forms.CharField(
                label=_("Event in this language"),
                max_length=200,
                required=False,
                help_text=_("Empty: the event above."),
            )
            self.fields[f"area_desc_{language}"] = forms.CharField(
                label=_("Drawn areas in this language"),
                max_length=200,
                required=False,
                help_text=_("Empty: the description of the drawn areas below."),
            )
            for part in PARTS:
                self.fields[f"{part}_{language}"].widget.attrs["lang"] = language

    @classmethod
    def initial_for(cls, notice: Notice, time_zone: str) -> dict[str, Any]:
        """Return the form's initial data for a notice being changed."""
        zone = ZoneInfo(time_zone)
        initial: dict[str, Any] = {
            name: getattr(notice, name)
            for name in (
                "event", "category", "urgency", "severity", "certainty", "response_type",
                "status", "scope", "restriction", "sender_name", "contact", "web",
            )
        }  # fmt: skip
        for name in TIME_FIELDS:
            initial[name] = _local(getattr(notice, name), zone)
        for info in notice.infos.all():
            for part in PARTS:
                initial[f"{part}_{info.language}"] = getattr(info, part)
        features = [
            {
                "type": "Feature",
                "properties": {
                    "title": area.area_desc,
                    "radius": (area.circle_radius_km or 0) * 1000,
                },
                "geometry": area.geojson_geometry(),
            }
            for area in notice.areas.all()
        ]
        initial["drawn"] = json.dumps({"type": "FeatureCollection", "features": features})
        return initial

    def language_blocks(self) -> list[tuple[str, Any, list[Any]]]:
        """Return (code, name, bound fields) for each language block of the template."""
        return [
            (
                str(code),
                Language(code).label,
                [self[f"{part}_{code}"] for part in PARTS],
            )
            for code in LANGUAGE_ORDER
        ]

    def group(self, *names: str) -> list[Any]:
        return [self[name] for name in names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in TIME_FIELDS:
            moment = data.get(name)
            if moment is not None:
                # The browser sends local wall time: read it in the organization's zone.
                data[name] = moment.replace(tzinfo=None).replace(tzinfo=self.zone)
        return data

    def notice_input(self) -> dict[str, Any]:
        """Return the keyword arguments of do_create_notice / do_edit_notice."""
        data = self.cleaned_data
        fields = {
            name: data.get(name)
            for name in (
                "event", "category", "urgency", "severity", "certainty", "response_type",
                "effective", "onset", "expires", "status", "scope", "restriction",
                "sender_name", "contact", "web",
            )
        }  # fmt: skip
        infos = {
            code: {part: data.get(f"{part}_{code}", "") for part in PARTS}
            for code in LANGUAGE_ORDER
        }
        desc = data.get("area_desc") or data.get("event") or ""
        areas = areas_from_geojson(data.get("drawn") or "", desc)
        for saved in data.get("saved_areas") or []:
            areas.append(area_from_shape(saved, saved.name, saved.names or {}))
        return {"infos": infos, "areas": areas, **fields}


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What to change"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DistributionForm(forms.Form):
    """How an organization's published notices go out, and its two-person rule."""

    two_person_rule = forms.BooleanField(
        label=_("Two-person rule"),
        required=False,
        help_text=_("A coordinator who wrote or changed a notice may not approve it."),
    )
    email_to = forms.CharField(
        label=_("E-mail list"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text=_("Addresses that receive every published notice, one a line."),
    )
    sms_gateway_url = forms.CharField(
        label=_("SMS gateway URL"),
        required=False,
        max_length=200,
        widget=forms.URLInput(),
        help_text=_(
            "Each published notice is posted here as short texts per language, signed "
            "with the secret, for the gateway to send as SMS."
        ),
    )
    sms_gateway_secret = forms.CharField(
        label=_("SMS gateway secret"),
        required=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the secret set before."),
    )
