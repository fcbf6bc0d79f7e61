"""Reports and indicators API routes, included by scape/api/urls.py under v1/reports/."""

urlpatterns: list = []
