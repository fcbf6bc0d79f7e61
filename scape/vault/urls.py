"""The vault's pages: evidence and cases, media, redaction, uploads (tus) and public links."""

from django.urls import path

from scape.vault import tus
from scape.vault.views import finding, items, media, playback, redaction, upload

app_name = "vault"

urlpatterns = [
    path("", items.item_list, name="items"),
    path("items/<int:pk>/", items.item_detail, name="item"),
    path("items/<int:pk>/category/", items.item_category, name="item_category"),
    path("items/<int:pk>/describe/", finding.item_describe, name="item_describe"),
    path("searches/", finding.search_save, name="search_save"),
    path("bulk/", finding.bulk, name="bulk"),
    path("searches/<int:pk>/delete/", finding.search_delete, name="search_delete"),
    path("items/<int:pk>/hold/", items.item_hold, name="item_hold"),
    path("items/<int:pk>/case/", items.item_add_to_case, name="item_add_to_case"),
    path("items/<int:pk>/restore/", items.item_restore, name="item_restore"),
    path("items/<int:pk>/custody.<str:fmt>", items.item_custody_export, name="item_custody"),
    path("<str:kind>/<int:pk>/share/", items.EvidenceShareView.as_view(), name="share"),
    path(
        "<str:kind>/<int:pk>/share/<int:grant_pk>/revoke/",
        items.EvidenceRevokeShareView.as_view(),
        name="revoke_grant",
    ),
    path("<str:kind>/<int:pk>/link/", items.external_link, name="link"),
    path("cases/", items.case_list, name="cases"),
    path("cases/<int:pk>/", items.case_detail, name="case"),
    path("cases/<int:pk>/export/", items.case_export, name="case_export"),
    path("cases/<int:pk>/play/", playback.case_play, name="case_play"),
    path("cases/<int:pk>/exports/", items.case_exports_fragment, name="case_exports"),
    path("exports/<int:pk>/download/", items.export_download, name="export_download"),
    path("retention/", items.retention, name="retention"),
    path("x/<str:token>/", items.public_link, name="public_link"),
    path("x/<str:token>/<int:item_pk>/", items.public_download, name="public_download"),
    # Player, streaming, thumbnails, downloads and job progress.
    path("items/<int:pk>/play/", media.item_play, name="item_play"),
    path("items/<int:pk>/stream/", media.item_stream, name="item_stream"),
    path("items/<int:pk>/thumbnail/", media.item_thumbnail, name="item_thumbnail"),
    path("items/<int:pk>/download/", media.item_download, name="item_download"),
    path("items/<int:pk>/jobs/", media.item_jobs_fragment, name="item_jobs"),
    # Redacted copies: start, review, edit, render.
    path("items/<int:pk>/redact/", redaction.redaction_start, name="redaction_start"),
    path("redactions/<int:pk>/", redaction.redaction_review, name="redaction"),
    path(
        "redactions/<int:pk>/frames/<int:frame>.jpg",
        redaction.redaction_frame,
        name="redaction_frame",
    ),
    path("redactions/<int:pk>/remove/", redaction.redaction_remove, name="redaction_remove"),
    path("redactions/<int:pk>/add/", redaction.redaction_add, name="redaction_add"),
    path("redactions/<int:pk>/render/", redaction.redaction_render, name="redaction_render"),
    path("redactions/<int:pk>/sound/", redaction.redaction_sound, name="redaction_sound"),
    # Resumable uploads (tus 1.0) and their page.
    path("upload/", upload.upload_page, name="upload_page"),
    path("uploads/", tus.uploads_endpoint, name="uploads"),
    path("uploads/<uuid:upload_id>/", tus.upload_endpoint, name="upload"),
]
