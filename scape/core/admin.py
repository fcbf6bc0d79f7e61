from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from scape.core.models import AuditEvent, Grant, Job, WorkerHeartbeat


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only everywhere, the admin included."""

    list_display = ["id", "time", "actor_username", "actor_org", "action", "object_type", "outcome"]
    list_filter = ["outcome", "actor_org"]
    search_fields = ["actor_username", "action", "object_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
