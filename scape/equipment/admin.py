"""Admin for equipment reference data: schedules (shown) and emission factors.

Assets, custody, readings, trips and flights are written from the pages through
the actions, and so are maintenance schedules (shown here, not edited); only
reference data is edited here, and every save is audited.
"""

from __future__ import annotations

from django.contrib import admin

from scape.core.admin import AuditedAdmin, ReadOnlyAdmin
from scape.equipment.models import (
    EmissionFactor,
    MaintenanceSchedule,
)


@admin.register(EmissionFactor)
class EmissionFactorAdmin(AuditedAdmin):
    list_display = ["kind", "country", "year", "value", "source"]
    list_filter = ["kind", "country"]


@admin.register(MaintenanceSchedule)
class MaintenanceScheduleAdmin(ReadOnlyAdmin):
    list_display = ["kind", "organization", "asset", "asset_kind", "every_days", "every_meter"]
    list_filter = ["organization", "kind"]
    raw_id_fields = ["asset"]
