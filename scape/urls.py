"""Root URLs."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes import views as contenttype_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView

from scape.core import views as core_views


def view_on_site(request: HttpRequest, content_type_id: int, object_id: Any) -> HttpResponse:
    """The admin's "view on site" shortcut, for superusers only.

    Django's opens to any staff user and redirects to the record's own URL,
    which for a certificate holds its unguessable verification code.
    """
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect_to_login(request.get_full_path())  # as the admin's other pages
    if not user.is_superuser:
        raise PermissionDenied
    return contenttype_views.shortcut(request, content_type_id, object_id)


admin.site.site_header = "SCAPE"
admin.site.site_title = "SCAPE"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # The admin logs in through SCAPE's own login, so the second factor applies.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="core:login", query_string=True),
    ),
    path("admin/r/<int:content_type_id>/<path:object_id>/", view_on_site),
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
