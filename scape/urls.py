"""Root URLs."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from scape.core import views as core_views

admin.site.site_header = "SCAPE"
admin.site.site_title = "SCAPE"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # The admin logs in through SCAPE's own login, so the second factor applies.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="core:login", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("api/", include("scape.api.urls")),
    path("vault/", include("scape.vault.urls")),
    path("equipment/", include("scape.equipment.urls")),
    path("traffic/", include("scape.traffic.urls")),
    path("activities/", include("scape.activities.urls")),
    path("operations/", include("scape.operations.urls")),
    path("alerts/", include("scape.alerts.urls")),
    path("reports/", include("scape.reports.urls")),
    path("", include("scape.activities.urls_public")),
    path("", include("scape.directory.urls")),
    path("", include("scape.core.urls")),
]

handler403 = "scape.core.views.permission_denied"
handler404 = "scape.core.views.page_not_found"
handler500 = "scape.core.views.server_error"
