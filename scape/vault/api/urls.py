"""Vault API routes, included by scape/api/urls.py under v1/vault/."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from scape.vault.api import views

router = SimpleRouter()
router.register("items", views.EvidenceItemViewSet, basename="vault-item")
router.register("cases", views.CaseViewSet, basename="vault-case")
router.register("retention", views.RetentionViewSet, basename="vault-retention")

urlpatterns = [
    path("uploads/", views.UploadCollectionView.as_view(), name="vault-uploads"),
    path("bulk/", views.BulkView.as_view(), name="vault-bulk"),
    # Any text as the id, as the router's routes take it: one that is no number is a JSON 404.
    re_path(r"^exports/(?P<pk>[^/.]+)/$", views.ExportView.as_view(), name="vault-export"),
    re_path(
        r"^exports/(?P<pk>[^/.]+)/download/$",
        views.ExportDownloadView.as_view(),
        name="vault-export-download",
    ),
    path("uploads/<uuid:upload_id>/", views.UploadView.as_view(), name="vault-upload"),
    *router.urls,
]
