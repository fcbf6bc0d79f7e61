"""Joint trainings and events API routes, included by scape/api/urls.py under v1/activities/."""

urlpatterns: list = []
