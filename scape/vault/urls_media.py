from django.urls import path

from scape.vault import views_media

# Player, streaming, thumbnails, downloads and job progress; see scape/vault/views_media.py.
urlpatterns = [
    path("items/<int:pk>/play/", views_media.item_play, name="item_play"),
    path("items/<int:pk>/stream/", views_media.item_stream, name="item_stream"),
    path("items/<int:pk>/thumbnail/", views_media.item_thumbnail, name="item_thumbnail"),
    path("items/<int:pk>/download/", views_media.item_download, name="item_download"),
    path("items/<int:pk>/jobs/", views_media.item_jobs_fragment, name="item_jobs"),
]
