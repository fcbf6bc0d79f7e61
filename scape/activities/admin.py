"""Admin for activities' reference data: competencies and who holds them."""

from django.contrib import admin
from django.http import HttpRequest

from scape.activities.models import Activity, Certificate, Competency, ContactCard, PersonCompetency
from scape.core.admin import AuditedAdmin


@admin.register(Competency)
class CompetencyAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_lt", "name_lv", "validity_days"]


@admin.register(PersonCompetency)
class PersonCompetencyAdmin(AuditedAdmin):
    list_display = ["person", "competency", "valid_from", "valid_until", "revoked"]
    list_filter = ["competency", "revoked"]
    raw_id_fields = ["person"]


@admin.register(Activity)
class ActivityAdmin(AuditedAdmin):
    list_display = ["title_en", "kind", "organization", "starts_at", "status"]
    list_filter = ["kind", "status"]
    filter_horizontal = ["partners", "competencies"]
    raw_id_fields = ["trainers", "equipment"]


@admin.register(Certificate)
class CertificateAdmin(AuditedAdmin):
    list_display = ["code", "person", "activity", "issued_at", "expires_at", "revoked_at"]
    raw_id_fields = ["person", "activity"]
    readonly_fields = ["code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Certificates are issued by the action, which also grants the competencies.
        return False


@admin.register(ContactCard)
class ContactCardAdmin(AuditedAdmin):
    list_display = ["person", "role", "talk_group", "visible"]
    raw_id_fields = ["person"]
