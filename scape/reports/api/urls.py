"""Reports and indicators API routes, included by scape/api/urls.py under v1/reports/."""

from django.urls import path

from scape.reports.api import views

urlpatterns = [
    path("indicators/", views.IndicatorListView.as_view(), name="reports-indicators"),
    path(
        "indicators/<slug:code>/",
        views.IndicatorDetailView.as_view(),
        name="reports-indicator",
    ),
]
