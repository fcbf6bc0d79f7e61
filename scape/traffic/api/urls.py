"""Traffic cameras and plate reading API routes, included by scape/api/urls.py under v1/traffic/."""

urlpatterns: list = []
