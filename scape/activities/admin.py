"""Admin for activities' reference data: competencies and who holds them."""

from django.contrib import admin

from scape.activities.models import Competency, PersonCompetency
from scape.core.admin import AuditedAdmin


@admin.register(Competency)
class CompetencyAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_lt", "name_lv", "validity_days"]


@admin.register(PersonCompetency)
class PersonCompetencyAdmin(AuditedAdmin):
    list_display = ["person", "competency", "valid_from", "valid_until", "revoked"]
    list_filter = ["competency", "revoked"]
    raw_id_fields = ["person"]
