from rest_framework.routers import SimpleRouter

from scape.directory.api import views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("people", views.PersonViewSet, basename="person")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = router.urls
