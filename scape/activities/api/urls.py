"""Joint trainings and events API routes, included by scape/api/urls.py under v1/activities/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from scape.activities.api import views

router = SimpleRouter()
router.register("activities", views.ActivityViewSet, basename="activities-activity")
router.register("registrations", views.RegistrationViewSet, basename="activities-registration")
router.register("attendance", views.AttendanceViewSet, basename="activities-attendance")
router.register("certificates", views.CertificateViewSet, basename="activities-certificate")

urlpatterns = [
    path("verify/<str:code>/", views.VerifyView.as_view(), name="activities-verify"),
    *router.urls,
]
