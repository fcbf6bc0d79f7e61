"""Admin for the incident types (editable reference data); every save is audited.

Incidents and patrols are written from the pages through the actions.
"""

from __future__ import annotations

from django.contrib import admin

from scape.core.admin import AuditedAdmin
from scape.operations.models import IncidentType


@admin.register(IncidentType)
class IncidentTypeAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_lt", "name_lv", "parent", "is_active"]
    list_filter = ["is_active", "parent"]
    search_fields = ["code", "name_en", "name_lt", "name_lv"]
