"""Equipment API routes, included by scape/api/urls.py under v1/equipment/."""

from rest_framework.routers import SimpleRouter

from scape.equipment.api import views

router = SimpleRouter()
router.register("assets", views.AssetViewSet, basename="equipment-asset")

urlpatterns = router.urls
