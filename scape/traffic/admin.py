"""Admin for traffic: a read-only view for system administrators.

Cameras, tokens, the hot-list and hits are written from the pages and the API
through the actions (audited, with notifications); nothing is edited here.
"""

from __future__ import annotations

from django.contrib import admin

from scape.core.admin import ReadOnlyAdmin
from scape.traffic.models import Hit, HotlistEntry, PlateRead, SpeedSection, TrafficCamera


@admin.register(TrafficCamera)
class TrafficCameraAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "road", "direction", "active", "token_set_at"]
    list_filter = ["organization", "active"]
    exclude = ["token_hash"]


@admin.register(HotlistEntry)
class HotlistEntryAdmin(ReadOnlyAdmin):
    list_display = ["text", "country", "reason", "organization", "valid_until", "withdrawn_at"]
    list_filter = ["organization", "reason"]


@admin.register(Hit)
class HitAdmin(ReadOnlyAdmin):
    list_display = ["read", "entry", "time", "exact", "acknowledged_at"]


@admin.register(PlateRead)
class PlateReadAdmin(ReadOnlyAdmin):
    list_display = ["text", "country", "camera", "time", "source", "hit"]
    list_filter = ["source", "hit", "organization"]
    # No search box: looking a plate up needs a reason, given on /traffic/reads/.


@admin.register(SpeedSection)
class SpeedSectionAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "camera_a", "camera_b", "distance_m", "limit_kmh"]
