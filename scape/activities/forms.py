"""Forms of the activities pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from scape.activities.choices import ActivityKind, ActivityStatus, Audience
from scape.activities.models import RATING_FIELDS, Competency, Feedback
from scape.core.choices import Action
from scape.directory.choices import Country
from scape.directory.models import Organization, Person
from scape.equipment.queries import get_assets

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_lt = forms.CharField(label=_("Title (Lithuanian)"), max_length=200, required=False)
    title_lv = forms.CharField(label=_("Title (Latvian)"), max_length=200, required=False)
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_lt = forms.CharField(
        label=_("Description (Lithuanian)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    description_lv = forms.CharField(
        label=_("Description (Latvian)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=_DT)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=_DT)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-90,
        max_value=90,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-180,
        max_value=180,
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Co-organizers"), queryset=Organization.objects.none(), required=False
    )
    topics = forms.CharField(
        label=_("Topics"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One topic per line."),
    )
    competencies = forms.ModelMultipleChoiceField(
        label=_("Competencies granted"), queryset=Competency.objects.all(), required=False
    )
    trainers = forms.ModelMultipleChoiceField(
        label=_("Trainers"), queryset=Person.objects.none(), required=False
    )
    equipment = forms.ModelMultipleChoiceField(
        label=_("Equipment used"), queryset=Person.objects.none(), required=False
    )
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, required=False, help_text=_("Leave empty for no limit.")
    )
    audience = forms.MultipleChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ActivityStatus.choices, initial=ActivityStatus.OPEN
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        querysets: dict[str, Any] = {
            "partners": Organization.objects.filter(is_active=True),
            # Trainers among the people the user may see; equipment through its own app's door.
            "trainers": Person.objects.restrict(user, Action.VIEW)
            .filter(is_active=True)
            .select_related("user"),
            "equipment": get_assets(user),
        }
        for name, queryset in querysets.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=_DT)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=_DT)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)


class NominateForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())

    def __init__(self, *args: Any, organization_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        people = Person.objects.filter(is_active=True).select_related("user")
        field.queryset = (
            people.filter(organization_id=organization_id) if organization_id else people.none()
        )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=300)


class FeedbackForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scale = [(str(n), str(n)) for n in range(1, 6)]
        for name in reversed(RATING_FIELDS):
            label = getattr(Feedback._meta.get_field(name), "verbose_name", name)
            self.fields = {
                name: forms.ChoiceField(
                    label=label,
                    choices=scale,
                    widget=forms.RadioSelect(attrs={"class": "rating"}),
                ),
                **self.fields,
            }


class ContactCardForm(forms.Form):
    role = forms.CharField(label=_("Role in the cooperation"), max_length=120, required=False)
    topics = forms.CharField(
        label=_("Call me about"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What to call you for, one per line."),
    )
    talk_group = forms.CharField(label=_("Radio talk group"), max_length=60, required=False)
    visible = forms.BooleanField(label=_("Show my card to the partners"), required=False)


class MatrixForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations if organizations is not None else Organization.objects.none()
