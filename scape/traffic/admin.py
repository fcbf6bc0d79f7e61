"""Admin for traffic: a read-only view for system administrators.

Cameras, tokens, the hot-list and hits are written from the pages and the API
through the actions (audited, with notifications); nothing is edited here.
Plate reads, hits and the hot-list are not shown either: every plate is
personal data, consulted on /traffic/ with a reason that is recorded.
"""

from __future__ import annotations

from django.contrib import admin

from scape.core.admin import ReadOnlyAdmin
from scape.traffic.models import SpeedSection, TrafficCamera


@admin.register(TrafficCamera)
class TrafficCameraAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "road", "direction", "active", "token_set_at"]
    list_filter = ["organization", "active"]
    exclude = ["token_hash"]


@admin.register(SpeedSection)
class SpeedSectionAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "camera_a", "camera_b", "distance_m", "limit_kmh"]
