"""The audit log through the API, for auditors: the same events, filters and rule as the
page (an auditor reads their organization's events; a system administrator all), and
each consultation recorded in the log itself."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from scape.core import audit
from scape.core.api import KeysetPagination
from scape.core.filtersets import AuditFilter
from scape.core.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id", "time", "actor_username", "actor_org", "subject_org", "action",
            "object_type", "object_id", "object_repr", "outcome", "reason", "recipient",
            "details", "prev_hash", "hash",
        ]  # fmt: skip
        read_only_fields = fields


class AuditEventViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Audit events the caller may read (auditors), newest first."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditFilter
    pagination_class = KeysetPagination
    keyset_order = ("-time", "-pk")

    queryset = AuditEvent.objects.none()  # what the schema generator reads

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.objects.none()
        return audit.visible_events(self.request.user).order_by("-time", "-pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the events; the consultation (with its filters) is recorded."""
        response = super().list(request, *args, **kwargs)
        filters = {
            k: v
            for k, v in sorted(request.query_params.items())
            if v and k not in ("after", "before")
        }
        audit.record(
            "audit.read",
            object_type="core.auditevent",
            details={"filters": filters, "via": "api"},
        )
        return response


router = SimpleRouter()
router.register("events", AuditEventViewSet, basename="audit-event")
urlpatterns = [*router.urls]
