"""Traffic cameras, plate reads, the shared hot-list, hits, counts and section speed."""

from django.urls import path

from scape.traffic import views

app_name = "traffic"

urlpatterns = [
    path("", views.index, name="index"),
    path("geo/cameras.geojson", views.cameras_geojson, name="cameras_geojson"),
    path("geo/hits.geojson", views.hits_geojson, name="hits_geojson"),
    path("cameras/new/", views.camera_new, name="camera_new"),
    path("cameras/<int:pk>/", views.camera_detail, name="camera"),
    path("cameras/<int:pk>/edit/", views.camera_edit, name="camera_edit"),
    path("cameras/<int:pk>/token/", views.camera_token, name="camera_token"),
    path("cameras/<int:pk>/active/", views.camera_active, name="camera_active"),
    path("cameras/<int:pk>/counts/", views.camera_counts, name="counts"),
    path("reads/", views.reads, name="reads"),
    path("reads/<int:pk>/", views.read_detail, name="read"),
    path("reads/<int:pk>/crop/", views.read_crop, name="crop"),
    path("hotlist/", views.hotlist, name="hotlist"),
    path("hotlist/import/", views.hotlist_imports, name="imports"),
    path("hotlist/import/<int:pk>/", views.hotlist_import, name="import"),
    path("hotlist/import/<int:pk>/<str:op>/", views.hotlist_import_step, name="import_step"),
    path("hotlist/<int:pk>/", views.entry_detail, name="entry"),
    path("hotlist/<int:pk>/share/", views.entry_share, name="entry_share"),
    path("hotlist/<int:pk>/withdraw/", views.entry_withdraw, name="entry_withdraw"),
    path(
        "hotlist/<int:pk>/grants/<int:grant_pk>/revoke/",
        views.entry_unshare,
        name="entry_unshare",
    ),
    path("hits/", views.hits, name="hits"),
    path("hits/<int:pk>/", views.hit_detail, name="hit"),
    path("hits/<int:pk>/acknowledge/", views.hit_acknowledge, name="hit_acknowledge"),
    path("hits/<int:pk>/decide/", views.hit_decide, name="hit_decide"),
    path("sections/", views.sections, name="sections"),
    path("sections/<int:pk>/", views.section_detail, name="section"),
]
