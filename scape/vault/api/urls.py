"""Vault API routes, included by scape/api/urls.py under v1/vault/."""

from django.urls import path

from scape.vault.api import uploads

urlpatterns = [
    path("uploads/", uploads.UploadCollectionView.as_view(), name="vault-uploads"),
    path("uploads/<uuid:upload_id>/", uploads.UploadView.as_view(), name="vault-upload"),
]
