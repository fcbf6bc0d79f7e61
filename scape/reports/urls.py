"""Reports pages: the dashboard, a figure's records, and the exports."""

from django.urls import path

from scape.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.<str:fmt>", views.export, name="export"),
    path("export.<str:fmt>/prepare/", views.prepare_export, name="prepare_export"),
    path("refresh/", views.refresh, name="refresh"),
    path("<slug:code>/", views.indicator, name="indicator"),
]
