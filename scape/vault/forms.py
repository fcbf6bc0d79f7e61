"""Forms of the vault pages."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from scape.core.forms import ShareForm
from scape.directory.models import Organization
from scape.vault.choices import CaseStatus
from scape.vault.models import Case, Category


class ReasonForm(forms.Form):
    """The reason a person must give before viewing, streaming or downloading evidence."""

    reason = forms.CharField(
        label=_("Reason (recorded in the custody history)"),
        min_length=5,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"min_length": _("Give a reason of at least five characters.")},
    )
    recipient = forms.CharField(label=_("Recipient, if any"), required=False, max_length=200)


class CategoryForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        field.queryset = Category.objects.filter(organization=organization)  # type: ignore[attr-defined]


class HoldForm(forms.Form):
    hold = forms.BooleanField(label=_("Legal hold"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, min_length=5)


class CaseForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AddToCaseForm(forms.Form):
    case = forms.ModelChoiceField(label=_("Case"), queryset=Case.objects.none())

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        field.queryset = Case.objects.filter(  # type: ignore[attr-defined]
            organization=organization, status=CaseStatus.OPEN
        )


class ExternalLinkForm(forms.Form):
    recipient = forms.CharField(label=_("Recipient (prosecutor, court)"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    expires_at = forms.DateTimeField(
        label=_("Expires"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    max_downloads = forms.IntegerField(
        label=_("Maximum downloads"), min_value=1, max_value=100, initial=5
    )
    use_redacted = forms.BooleanField(
        label=_("Redacted copies instead of originals"), required=False
    )


class EvidenceShareForm(ShareForm):
    """Share evidence with a partner, optionally in redacted form only."""

    # Ticked unless the sharer decides otherwise: a bystander's face goes
    # across the border only when someone chose to send the original.
    redacted_only = forms.BooleanField(
        label=_("Redacted copies only (faces and plates hidden)"), required=False, initial=True
    )


class DescribeForm(forms.Form):
    """What an item shows, so that it is found again."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    tags = forms.CharField(
        label=_("Tags"),
        max_length=1000,
        required=False,
        help_text=_("Separated by commas: pier, fight, night"),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of this search"), max_length=80)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class BulkForm(forms.Form):
    """One step on many items: the selected ones, or all that match the search."""

    op = forms.ChoiceField(
        label=_("With the items"),
        choices=[
            ("categorise", _("set the category")),
            ("tag", _("add tags")),
            ("add_to_case", _("add to a case")),
            ("hold", _("put on legal hold")),
            ("release", _("release the legal hold")),
            ("share", _("share with a partner")),
            ("redact", _("start redacted copies")),
        ],
    )
    scope = forms.ChoiceField(
        label=_("Which items"),
        choices=[
            ("selected", _("the ones ticked")),
            ("all", _("all that match this search")),
        ],
        initial="selected",
        widget=forms.RadioSelect,
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    tags = forms.CharField(label=_("Tags"), max_length=1000, required=False)
    case = forms.ModelChoiceField(label=_("Case"), queryset=Case.objects.none(), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Organization.objects.none(), required=False
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=1000, required=False)
    days = forms.IntegerField(
        label=_("Shared for (days)"), min_value=1, max_value=365, initial=30, required=False
    )
    redacted_only = forms.BooleanField(label=_("Redacted copies only"), required=False)
    allow_download = forms.BooleanField(label=_("May download"), required=False)

    # The fields each step reads; the page shows only the chosen step's (scape.js).
    STEP_FIELDS: ClassVar[dict[str, list[str]]] = {
        "categorise": ["category"],
        "tag": ["tags"],
        "add_to_case": ["case"],
        "hold": ["reason"],
        "release": ["reason"],
        "share": ["partner", "purpose", "days", "redacted_only", "allow_download"],
        "redact": [],
    }

    def __init__(self, *args: Any, organization: Any, cases: Any, partners: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(organization=organization)  # type: ignore[attr-defined]
        self.fields["case"].queryset = cases  # type: ignore[attr-defined]
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]

    def step_fields_json(self) -> str:
        """The fields of each step, prefixed as rendered, for the page's script."""
        return json.dumps(
            {op: [self[name].html_name for name in names] for op, names in self.STEP_FIELDS.items()}
        )

    def options(self) -> dict[str, Any]:
        """What the chosen step needs, as do_start_bulk takes it."""
        data = self.cleaned_data
        return {
            "category": data["category"].pk if data.get("category") else None,
            "tags": data.get("tags") or "",
            "case": data["case"].pk if data.get("case") else None,
            "reason": data.get("reason") or "",
            "partner": data["partner"].pk if data.get("partner") else None,
            "purpose": data.get("purpose") or "",
            "days": data.get("days") or 30,
            "redacted_only": bool(data.get("redacted_only")),
            "allow_download": bool(data.get("allow_download")),
        }
