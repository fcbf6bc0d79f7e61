from django.urls import path

from scape.vault import views_redaction

# Redacted copies: start, review, edit, render; see scape/vault/views_redaction.py.
urlpatterns = [
    path("items/<int:pk>/redact/", views_redaction.redaction_start, name="redaction_start"),
    path("redactions/<int:pk>/", views_redaction.redaction_review, name="redaction"),
    path(
        "redactions/<int:pk>/frames/<int:frame>.jpg",
        views_redaction.redaction_frame,
        name="redaction_frame",
    ),
    path("redactions/<int:pk>/remove/", views_redaction.redaction_remove, name="redaction_remove"),
    path("redactions/<int:pk>/add/", views_redaction.redaction_add, name="redaction_add"),
    path("redactions/<int:pk>/render/", views_redaction.redaction_render, name="redaction_render"),
]
