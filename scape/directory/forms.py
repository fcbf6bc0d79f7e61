"""Forms of the directory pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from scape.core.choices import Role
from scape.directory.choices import Gender, SpokenLanguage
from scape.directory.models import Person, Unit


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    badge_number = forms.CharField(label=_("Badge or ID number"), max_length=40, required=False)
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^\+?[0-9 ()-]{5,40}$",
        required=False,
        error_messages={
            "invalid": _("Enter a phone number: digits and spaces, optionally starting with +.")
        },
    )
    radio_call_sign = forms.CharField(label=_("Radio call sign"), max_length=40, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=SpokenLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["unit"]
        units.queryset = Unit.objects.filter(organization=person.organization_id)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.update(
                {
                    "first_name": person.user.first_name,
                    "last_name": person.user.last_name,
                    "email": person.user.email,
                    "unit": person.unit_id,
                    "position": person.position,
                    "badge_number": person.badge_number,
                    "phone": person.phone,
                    "radio_call_sign": person.radio_call_sign,
                    "gender": person.gender,
                    "languages": person.languages,
                    "roles": person.role_codes(),
                }
            )
