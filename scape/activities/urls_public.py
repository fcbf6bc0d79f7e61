"""Public pages of activities (no login): certificate verification at /verify/<code>."""

from django.urls import path

from scape.activities.views import public

app_name = "activities_public"

urlpatterns = [
    path("verify/<str:code>", public.verify, name="verify"),
    path("verify/<str:code>/", public.verify),
]
