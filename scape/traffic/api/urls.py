"""Traffic API routes, included by scape/api/urls.py under v1/traffic/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from scape.traffic.api import views
from scape.traffic.api.ingest import ingest_read_view

router = SimpleRouter()
router.register("cameras", views.CameraViewSet, basename="traffic-camera")
router.register("reads", views.ReadViewSet, basename="traffic-read")
router.register("hotlist", views.EntryViewSet, basename="traffic-entry")
router.register("hits", views.HitViewSet, basename="traffic-hit")
router.register("sections", views.SectionViewSet, basename="traffic-section")
router.register("hotlist-imports", views.ImportViewSet, basename="traffic-import")

urlpatterns = [
    # Before the router: "reads/ingest/" must not be taken for a read's id.
    path("reads/ingest/", ingest_read_view, name="traffic-ingest"),
    *router.urls,
]
