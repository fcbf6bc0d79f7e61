"""Notices in the admin: read-only, since every write goes through the actions."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from scape.alerts.models import Notice, NoticeArea, NoticeInfo, SavedArea
from scape.core.admin import ReadOnlyAdmin


class _ReadOnly(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class InfoInline(_ReadOnly):
    model = NoticeInfo


class AreaInline(_ReadOnly):
    model = NoticeArea


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["identifier", "organization", "msg_type", "state", "sent"]
    list_filter = ["state", "msg_type", "organization"]
    search_fields = ["identifier", "event", "infos__headline"]
    inlines = [InfoInline, AreaInline]


@admin.register(SavedArea)
class SavedAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "organization"]
    list_filter = ["organization"]
