"""Organizations and people in the admin.

People are managed on the directory pages, where ranks bound every change
(nobody edits someone who outranks them): here they are read-only. An
organization's details are saved through the same actions as its page, and
its units are recorded in the audit chain like every admin edit.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from scape.core.admin import AuditedAdmin, ReadOnlyAdmin, ReadOnlyInline
from scape.directory.actions import (
    check_webhook_secret,
    do_create_organization,
    do_update_organization,
)
from scape.directory.models import Organization, Person, RoleAssignment, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        # The webhook secret is set on the organization's page, never shown here.
        fields = [
            "code", "name_lt", "name_lv", "name_en", "short_name", "country", "kind",
            "street", "postal_code", "city", "phone", "email", "website",
            "requires_two_factor_for_all", "is_active", "webhook_url",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        probe = Organization(
            webhook_url=data.get("webhook_url", ""), webhook_secret=self.instance.webhook_secret
        )
        try:
            check_webhook_secret(probe)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["webhook_secret"]) from exc
        return data


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    form = OrganizationForm
    list_display = ["code", "name_en", "country", "kind", "city", "is_active"]
    list_filter = ["country", "kind", "is_active"]
    search_fields = ["code", "name_lt", "name_lv", "name_en"]
    inlines = [UnitInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Records and checkpoints name an organization by its code: fixed once made.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting one would take its evidence, people and audit trail with it.
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            saved = do_update_organization(
                Organization.objects.get(pk=obj.pk), actor=request.user, **fields
            )
        else:
            saved = do_create_organization(actor=request.user, **form.cleaned_data)
        obj.pk = saved.pk
        obj.refresh_from_db()


class RoleInline(ReadOnlyInline):
    model = RoleAssignment
    fk_name = "person"


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "organization", "position", "is_active"]
    list_filter = ["organization", "is_active", "role_assignments__role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "badge_number"]
    inlines = [RoleInline]
