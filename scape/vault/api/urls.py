"""Vault API routes, included by scape/api/urls.py under v1/vault/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from scape.vault.api import items, uploads

router = SimpleRouter()
router.register("items", items.EvidenceItemViewSet, basename="vault-item")
router.register("cases", items.CaseViewSet, basename="vault-case")

urlpatterns = [
    path("uploads/", uploads.UploadCollectionView.as_view(), name="vault-uploads"),
    path("uploads/<uuid:upload_id>/", uploads.UploadView.as_view(), name="vault-upload"),
    *router.urls,
]
