"""Activities in the admin: competencies are reference data edited here (audited);
activities, certificates, held competencies and contact cards are written on the
pages through the actions and only shown here."""

from django.contrib import admin

from scape.activities.models import (
    Activity,
    Certificate,
    Competency,
    ContactCard,
    KindRequirement,
    PersonCompetency,
)
from scape.core.admin import AuditedAdmin, ReadOnlyAdmin


@admin.register(Competency)
class CompetencyAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_lt", "name_lv", "validity_days"]


@admin.register(KindRequirement)
class KindRequirementAdmin(AuditedAdmin):
    """Which competency a kind of equipment needs (checked at check-out)."""

    list_display = ["kind", "competency"]


@admin.register(PersonCompetency)
class PersonCompetencyAdmin(ReadOnlyAdmin):
    list_display = ["person", "competency", "valid_from", "valid_until", "revoked"]
    list_filter = ["competency", "revoked"]
    raw_id_fields = ["person"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title_en", "kind", "organization", "starts_at", "status"]
    list_filter = ["kind", "status"]
    filter_horizontal = ["partners", "competencies"]
    raw_id_fields = ["trainers", "equipment"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["code", "person", "activity", "issued_at", "expires_at", "revoked_at"]
    raw_id_fields = ["person", "activity"]


@admin.register(ContactCard)
class ContactCardAdmin(ReadOnlyAdmin):
    list_display = ["person", "role", "talk_group", "visible"]
    raw_id_fields = ["person"]
