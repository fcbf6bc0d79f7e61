"""Public pages of activities (no login): certificate verification at /verify/<code>."""

from django.urls import path  # noqa: F401

app_name = "activities_public"

urlpatterns: list = []
