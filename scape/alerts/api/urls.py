"""Public notices API routes, included by scape/api/urls.py under v1/alerts/."""

urlpatterns: list = []
