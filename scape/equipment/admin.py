"""Admin for equipment reference data: competencies, requirements, schedules, emission factors.

Assets, custody, readings, trips and flights are written from the pages through
the actions; only reference data is edited here, and every save is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from scape.core import audit
from scape.equipment.models import (
    Competency,
    EmissionFactor,
    KindRequirement,
    MaintenanceSchedule,
    PersonCompetency,
)


class AuditedAdmin(admin.ModelAdmin):
    """Record every save and delete made in the admin in the audit chain."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            verb = "changed" if change else "created"
            audit.record(
                f"equipment.{obj._meta.model_name}_{verb}",
                obj=obj,
                actor=request.user,
                details={"fields": sorted(form.changed_data)},
            )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            audit.record(f"equipment.{obj._meta.model_name}_deleted", obj=obj, actor=request.user)
            super().delete_model(request, obj)


@admin.register(EmissionFactor)
class EmissionFactorAdmin(AuditedAdmin):
    list_display = ["kind", "country", "year", "value", "source"]
    list_filter = ["kind", "country"]


@admin.register(Competency)
class CompetencyAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_lt", "name_lv", "validity_days"]


@admin.register(KindRequirement)
class KindRequirementAdmin(AuditedAdmin):
    list_display = ["kind", "competency"]


@admin.register(PersonCompetency)
class PersonCompetencyAdmin(AuditedAdmin):
    list_display = ["person", "competency", "valid_from", "valid_until", "revoked"]
    list_filter = ["competency", "revoked"]
    raw_id_fields = ["person"]


@admin.register(MaintenanceSchedule)
class MaintenanceScheduleAdmin(AuditedAdmin):
    list_display = ["kind", "organization", "asset", "asset_kind", "every_days", "every_meter"]
    list_filter = ["organization", "kind"]
    raw_id_fields = ["asset"]
