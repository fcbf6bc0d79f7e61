from django.urls import include, path

from scape.vault import views

app_name = "vault"

urlpatterns = [
    path("", views.item_list, name="items"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/category/", views.item_category, name="item_category"),
    path("items/<int:pk>/hold/", views.item_hold, name="item_hold"),
    path("items/<int:pk>/case/", views.item_add_to_case, name="item_add_to_case"),
    path("items/<int:pk>/restore/", views.item_restore, name="item_restore"),
    path("items/<int:pk>/custody.<str:fmt>", views.item_custody_export, name="item_custody"),
    path("<str:kind>/<int:pk>/share/", views.EvidenceShareView.as_view(), name="share"),
    path(
        "<str:kind>/<int:pk>/share/<int:grant_pk>/revoke/",
        views.EvidenceRevokeShareView.as_view(),
        name="revoke_grant",
    ),
    path("<str:kind>/<int:pk>/link/", views.external_link, name="link"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/export/", views.case_export, name="case_export"),
    path("retention/", views.retention, name="retention"),
    path("x/<str:token>/", views.public_link, name="public_link"),
    path("x/<str:token>/<int:item_pk>/", views.public_download, name="public_download"),
    path("", include("scape.vault.urls_upload")),
    path("", include("scape.vault.urls_media")),
    path("", include("scape.vault.urls_redaction")),
]
