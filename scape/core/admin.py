from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from scape.core import audit
from scape.core.models import AuditEvent, Grant, Job, WorkerHeartbeat


class ReadOnlyAdmin(admin.ModelAdmin):
    """Show records written by the actions; nobody adds, changes or deletes them here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Record every save and delete made in the admin in the audit chain."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            verb = "changed" if change else "created"
            audit.record(
                f"{obj._meta.app_label}.{obj._meta.model_name}_{verb}",
                obj=obj,
                actor=request.user,
                details={"fields": sorted(form.changed_data)},
            )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            audit.record(
                f"{obj._meta.app_label}.{obj._meta.model_name}_deleted", obj=obj, actor=request.user
            )
            super().delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is append-only everywhere, the admin included."""

    list_display = ["id", "time", "actor_username", "actor_org", "action", "object_type", "outcome"]
    list_filter = ["outcome", "actor_org"]
    search_fields = ["actor_username", "action", "object_id"]


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["content_type", "object_id", "owner", "grantee", "expires_at", "revoked_at"]
    list_filter = ["grantee", "owner"]
    readonly_fields = ["granted_by", "granted_at", "revoked_by", "revoked_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Sharing is done from the record's page, where it is checked and audited.
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "progress", "created_at"]
    list_filter = ["status", "kind"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "seen_at"]
