"""Joint operations API routes, included by scape/api/urls.py under v1/operations/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from scape.operations.api import views

router = SimpleRouter()
router.register("incidents", views.IncidentViewSet, basename="operations-incident")
router.register("patrols", views.PatrolViewSet, basename="operations-patrol")

urlpatterns = [
    *router.urls,
    path("geo/<slug:name>/", views.GeoLayerView.as_view(), name="operations-geo"),
]
