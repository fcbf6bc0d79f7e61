"""The v1 API root: each app's api/urls.py, plus the OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

app_name = "api"

urlpatterns = [
    path("v1/", include("scape.directory.api.urls")),
    path("v1/vault/", include("scape.vault.api.urls")),
    path("v1/equipment/", include("scape.equipment.api.urls")),
    path("v1/traffic/", include("scape.traffic.api.urls")),
    path("v1/activities/", include("scape.activities.api.urls")),
    path("v1/operations/", include("scape.operations.api.urls")),
    path("v1/alerts/", include("scape.alerts.api.urls")),
    path("v1/reports/", include("scape.reports.api.urls")),
    path("v1/audit/", include("scape.core.audit_api")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
