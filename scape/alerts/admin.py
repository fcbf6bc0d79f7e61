"""Notices and saved areas in the admin: read-only, since every write goes through the actions."""

from django.contrib import admin

from scape.alerts.models import Notice, NoticeArea, NoticeInfo, SavedArea
from scape.core.admin import ReadOnlyAdmin, ReadOnlyInline


class InfoInline(ReadOnlyInline):
    model = NoticeInfo


class AreaInline(ReadOnlyInline):
    model = NoticeArea


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["identifier", "organization", "msg_type", "state", "sent"]
    list_filter = ["state", "msg_type", "organization"]
    search_fields = ["identifier", "event", "infos__headline"]
    inlines = [InfoInline, AreaInline]


@admin.register(SavedArea)
class SavedAreaAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization"]
    list_filter = ["organization"]
