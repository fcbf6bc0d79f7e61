"""Forms of the traffic pages."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from scape.traffic.choices import Country, Direction, HitOutcome, HotlistReason
from scape.traffic.models import ImportMode


def _dt() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CameraForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    road = forms.CharField(label=_("Road"), max_length=40, required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    asset: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Equipment record"), queryset=None, required=False
    )
    zone = forms.CharField(
        label=_("Road zone"),
        required=False,
        help_text=_(
            "Optional: polygon in frame pixels as JSON, e.g. [[0,400],[1920,400],[1920,1080],[0,1080]]."
        ),
    )

    def __init__(self, *args: Any, assets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = assets  # type: ignore[attr-defined]

    def clean_zone(self) -> Any:
        raw = (self.cleaned_data.get("zone") or "").strip()
        if not raw:
            return []
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("The zone is a list of [x, y] points.")) from exc


class EntryForm(forms.Form):
    plate = forms.CharField(label=_("Plate"), max_length=24)
    country = forms.ChoiceField(
        label=_("Country"), choices=[("", _("unknown")), *Country.choices], required=False
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=HotlistReason.choices)
    valid_until = forms.DateTimeField(label=_("Valid until"), widget=_dt())
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    share_with: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Share with partners"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They see the entry and are alerted at once on its hits."),
    )

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["share_with"].queryset = partners  # type: ignore[attr-defined]


class ShareEntryForm(forms.Form):
    # The view sets the queryset: the partners other than the entry's owner.
    grantee: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Share with"),
        queryset=None,
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=1000, required=False)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grantee"].queryset = organizations  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    plate = forms.CharField(
        label=_("Plate"),
        max_length=24,
        required=False,
        help_text=_("? for one character you do not remember, * for several: AB?12*"),
    )
    since = forms.DateTimeField(
        label=_("From"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    until = forms.DateTimeField(
        label=_("Until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    cameras: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Cameras"), queryset=None, required=False
    )
    reason = forms.CharField(
        label=_("Reason for the search"),
        max_length=500,
        required=False,
        help_text=_("Required to search by plate; written to the audit log."),
    )

    def __init__(self, *args: Any, cameras: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cameras"].queryset = cameras  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("plate") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why you search for this plate."))
        since, until = data.get("since"), data.get("until")
        if since and until and since >= until:
            self.add_error("until", _("The end of the time window must come after its start."))
        return data


class EvidenceReadForm(forms.Form):
    item = forms.IntegerField(label=_("Evidence item number"), min_value=1)
    camera: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Camera"),
        queryset=None,
        required=False,
    )

    def __init__(self, *args: Any, cameras: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["camera"].queryset = cameras  # type: ignore[attr-defined]


class SectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    camera_a: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Entry camera"),
        queryset=None,
    )
    camera_b: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Exit camera"),
        queryset=None,
    )
    distance_m = forms.IntegerField(label=_("Distance (m)"), min_value=1)
    limit_kmh = forms.IntegerField(label=_("Speed limit (km/h)"), min_value=1, max_value=300)
    max_minutes = forms.IntegerField(
        label=_("Longest time between the cameras (minutes)"),
        min_value=1,
        max_value=1440,
        initial=60,
    )

    def __init__(self, *args: Any, cameras: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["camera_a"].queryset = cameras  # type: ignore[attr-defined]
        self.fields["camera_b"].queryset = cameras  # type: ignore[attr-defined]


class DayForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))


class PeriodForm(forms.Form):
    start = forms.DateTimeField(label=_("From"), widget=_dt())
    end = forms.DateTimeField(label=_("To"), widget=_dt())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] >= data["end"]:
            raise forms.ValidationError(_("The start is after the end."))
        return data


def parse_zone(text: str) -> list[list[int]]:
    """Parse "x1,y1 x2,y2 ..." (frame pixels) into [[x, y], ...]; [] for an empty text."""
    points: list[list[int]] = []
    for part in (text or "").split():
        xs, sep, ys = part.partition(",")
        if not sep or not xs.isdigit() or not ys.isdigit():
            raise forms.ValidationError(
                _(
                    "“%(point)s” is not a point: write each point as x,y with whole pixel "
                    "numbers of 0 or more, points separated by spaces."
                ),
                params={"point": part},
                code="point",
            )
        points.append([int(xs), int(ys)])
    if points and len(points) < 3:
        raise forms.ValidationError(
            _("A zone needs at least three points; leave it empty for the whole frame."),
            code="too_few",
        )
    return points


def format_zone(zone: Any) -> str:
    """Return a stored zone as the "x1,y1 x2,y2 ..." text of the edit form."""
    return " ".join(f"{x},{y}" for x, y in zone or [])


class CameraEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    road = forms.CharField(label=_("Road"), max_length=40, required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    zone = forms.CharField(
        label=_("Road zone"),
        required=False,
        max_length=4000,
        help_text=_(
            "Optional: the road's outline in frame pixels, as points x,y separated by spaces, "
            "e.g. 0,400 1920,400 1920,1080 0,1080. Empty: the whole frame."
        ),
    )
    asset: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Equipment record"), queryset=None, required=False
    )
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive camera's reads are refused."),
    )

    def __init__(self, *args: Any, assets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = assets  # type: ignore[attr-defined]

    def clean_zone(self) -> list[list[int]]:
        return parse_zone(self.cleaned_data.get("zone") or "")


class HitDecisionForm(forms.Form):
    """What the operator found when checking a hit."""

    outcome = forms.ChoiceField(
        label=_("What did you find?"), choices=HitOutcome.choices, widget=forms.RadioSelect
    )
    correct_plate = forms.CharField(
        label=_("The plate really was"),
        max_length=20,
        required=False,
        help_text=_("For a misread: the plate the vehicle has."),
    )
    action_taken = forms.CharField(
        label=_("Action taken"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HotlistImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (comma or semicolon, UTF-8 or Windows-1257) or Excel workbook, first row the "
            "column names: plate, country, reason, valid until, note (in English, Lithuanian "
            "or Latvian)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    list_name = forms.CharField(
        label=_("List"),
        max_length=100,
        help_text=_("The same name on a later file lets it replace this one's plates."),
    )
    mode = forms.ChoiceField(
        label=_("How"),
        choices=ImportMode.choices,
        initial=ImportMode.MERGE,
        widget=forms.RadioSelect,
    )
    valid_until = forms.DateTimeField(
        label=_("Valid until, for rows that give no date"), required=False, widget=_dt()
    )
    share_with: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Share the new entries with partners"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["share_with"].queryset = partners  # type: ignore[attr-defined]
