"""Joint operations API routes, included by scape/api/urls.py under v1/operations/."""

urlpatterns: list = []
