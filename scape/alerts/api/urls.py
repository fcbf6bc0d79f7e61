"""Public notices API routes, included by scape/api/urls.py under v1/alerts/."""

from rest_framework.routers import SimpleRouter

from scape.alerts.api import views

router = SimpleRouter()
router.register("notices", views.NoticeViewSet, basename="alerts-notice")

urlpatterns = router.urls
