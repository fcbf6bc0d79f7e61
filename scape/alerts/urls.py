"""Public notice pages (no login), the CAP messages and feed, and the staff pages."""

from django.urls import path

from scape.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed.atom", views.feed, name="feed"),
    path("areas.geojson", views.areas_geojson, name="areas"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.compose, name="compose"),
    path("manage/distribution/", views.distribution, name="distribution"),
    path("manage/<int:pk>/", views.manage_notice, name="manage_notice"),
    path("manage/<int:pk>/edit/", views.edit, name="edit"),
    path("manage/<int:pk>/preview.xml", views.manage_cap, name="manage_cap"),
    path(
        "manage/<int:pk>/<str:name>/",
        views.step,
        name="step",
    ),
    path("<slug:identifier>.xml", views.notice_cap, name="cap"),
    path("<slug:identifier>/", views.notice_page, name="notice"),
]
