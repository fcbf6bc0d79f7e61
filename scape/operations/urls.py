"""Incidents, joint patrols and the shared map."""

from django.urls import path

from scape.operations import views

app_name = "operations"

urlpatterns = [
    path("", views.incident_list, name="index"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("incidents/<int:pk>/status/", views.incident_status, name="incident_status"),
    path("incidents/<int:pk>/assign/", views.incident_assign, name="incident_assign"),
    path("incidents/<int:pk>/log/", views.incident_log, name="incident_log"),
    path("incidents/<int:pk>/people/", views.incident_person, name="incident_person"),
    path("incidents/<int:pk>/links/", views.incident_link, name="incident_link"),
    path("incidents/<int:pk>/share/", views.IncidentShareView.as_view(), name="incident_share"),
    path(
        "incidents/<int:pk>/share/<int:grant_pk>/revoke/",
        views.IncidentRevokeShareView.as_view(),
        name="incident_revoke",
    ),
    path("patrols/", views.patrol_list, name="patrols"),
    path("patrols/new/", views.patrol_create, name="patrol_create"),
    path("patrols/<int:pk>/", views.patrol_detail, name="patrol"),
    path("patrols/<int:pk>/start/", views.patrol_start, name="patrol_start"),
    path("patrols/<int:pk>/report/", views.patrol_report, name="patrol_report"),
    path("patrols/<int:pk>/briefing.pdf", views.patrol_briefing, name="patrol_briefing"),
    path("map/", views.map_page, name="map"),
    path("map/list/", views.map_list, name="map_list"),
    path("geo/<slug:name>.geojson", views.geo, name="geo"),
]
