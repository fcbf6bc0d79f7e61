"""Forms of the core pages: second factor, audit-log filters, sharing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def add_validation_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show an action's ValidationError on the form: per field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code has digits only."))
        return token


class ShareForm(forms.Form):
    # The view sets the queryset: the partners other than the record's owner.
    grantee: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Share with"), queryset=ContentType.objects.none()
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    expires_at = forms.DateTimeField(
        label=_("Expires"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    allow_download = forms.BooleanField(label=_("May download"), required=False)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grantee"].queryset = organizations  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("expires_at", timezone.now() + timedelta(days=30))
