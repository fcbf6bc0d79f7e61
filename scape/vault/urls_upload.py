"""Resumable upload pages (tus 1.0); see scape/vault/uploads.py."""

from django.urls import path

from scape.vault import uploads

urlpatterns = [
    path("upload/", uploads.upload_page, name="upload_page"),
    path("uploads/", uploads.uploads_endpoint, name="uploads"),
    path("uploads/<uuid:upload_id>/", uploads.upload_endpoint, name="upload"),
]
