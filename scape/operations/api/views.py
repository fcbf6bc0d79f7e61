"""Joint operations through the API: incidents, their log, patrols and the map layers.

Every write calls an action of scape.operations.actions; a refused action
(Django ValidationError) becomes a 400 answer with its messages.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scape.core.api import GrantSerializer, RestrictedViewSetMixin, ShareSerializer
from scape.core.choices import Action
from scape.directory.queries import partners_of
from scape.operations import actions
from scape.operations.api.serializers import (
    IncidentInputSerializer,
    IncidentPersonSerializer,
    IncidentSerializer,
    LinkInputSerializer,
    LinkSerializer,
    LogEntrySerializer,
    LogInputSerializer,
    PatrolInputSerializer,
    PatrolReportSerializer,
    PatrolSerializer,
    PatrolStartedSerializer,
    PatrolStartSerializer,
    PersonInputSerializer,
    StatusInputSerializer,
)
from scape.operations.models import Incident, Patrol
from scape.operations.queries import (
    LAYERS,
    incident_grant,
    layer,
    may_see_people,
    may_write_log,
)


def _input(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class IncidentViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Incidents the caller may see: their organization's and those shared with it."""

    model = Incident
    serializer_class = IncidentSerializer
    filterset_fields = ["status", "severity", "is_exercise"]
    search_fields = ["reference", "title", "address"]
    ordering_fields = ["occurred_at", "severity", "status"]
    access_actions = {"status": Action.VIEW, "log": Action.VIEW, "people": Action.VIEW,
                      "links": Action.VIEW, "share": Action.SHARE,
                      "revoke": Action.SHARE}  # fmt: skip

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("organization", "type", "assigned_organization")
            .prefetch_related("involved_organizations", "links")
        )

    @extend_schema(request=IncidentInputSerializer, responses={201: IncidentSerializer})
    def create(self, request: Request) -> Response:
        """Report an incident for the caller's organization."""
        data = _input(IncidentInputSerializer, request)
        incident = actions.do_create_incident(actor=request.user, **data)
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StatusInputSerializer, responses={200: IncidentSerializer})
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: Any = None) -> Response:
        """Move the incident along its workflow (closing needs an outcome)."""
        incident = self.get_object()
        data = _input(StatusInputSerializer, request)
        incident = actions.do_change_status(
            incident, data["status"], outcome=data["outcome"], actor=request.user
        )
        return Response(IncidentSerializer(incident).data)

    @extend_schema(methods=["GET"], request=None, responses={200: LogEntrySerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=LogInputSerializer, responses={201: LogEntrySerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def log(self, request: Request, pk: Any = None) -> Response:
        """List the incident's log (every organization's entries), or add one."""
        incident = self.get_object()
        if request.method == "GET":
            entries = incident.log.select_related("author", "organization")
            return self.paginated(entries, LogEntrySerializer)
        data = _input(LogInputSerializer, request)
        entry = actions.do_add_log_entry(incident, data["text"], actor=request.user)
        return Response(LogEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"], request=None, responses={200: IncidentPersonSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"], request=PersonInputSerializer, responses={201: IncidentPersonSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def people(self, request: Request, pk: Any = None) -> Response:
        """List the people involved (only for those entitled), or record one."""
        incident = self.get_object()
        if request.method == "GET":
            if not may_see_people(request.user, incident):
                raise PermissionDenied
            people = self.paginate_queryset(incident.people.all())
            shown = people if people is not None else list(incident.people.all())
            # The audit notes the people this answer shows: one page of them.
            actions.do_note_people_viewed(incident, actor=request.user, count=len(shown))
            rows = IncidentPersonSerializer(shown, many=True).data
            return self.get_paginated_response(rows) if people is not None else Response(rows)
        if not (may_see_people(request.user, incident) and may_write_log(request.user, incident)):
            # Before the body is read: a caller who may not record people learns
            # nothing from which fields would have been refused.
            raise PermissionDenied(_("You may not record the people involved in this incident."))
        data = _input(PersonInputSerializer, request)
        person = actions.do_add_person(incident, actor=request.user, **data)
        return Response(IncidentPersonSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LinkInputSerializer, responses={201: LinkSerializer})
    @action(detail=True, methods=["post"])
    def links(self, request: Request, pk: Any = None) -> Response:
        """Link a record of another app the caller may see."""
        incident = self.get_object()
        data = _input(LinkInputSerializer, request)
        link = actions.do_link_record(incident, data["kind"], data["object_id"], actor=request.user)
        return Response(LinkSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ShareSerializer, responses={201: GrantSerializer})
    @action(detail=True, methods=["post"])
    def share(self, request: Request, pk: Any = None) -> Response:
        """Share the incident with a partner (purpose, expiry; redacted_only leaves the people out)."""
        incident = self.get_object()
        partners = partners_of(incident.organization_id)
        serializer = ShareSerializer(data=request.data, context={"organizations": partners})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        grant = actions.do_share_incident(
            incident,
            grantee=data["grantee"],
            purpose=data["purpose"],
            expires_at=data["expires_at"],
            include_people=not data["redacted_only"],
            actor=request.user,
        )
        return Response(GrantSerializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"], url_path=r"revoke/(?P<grant_pk>\d+)")
    def revoke(self, request: Request, pk: Any = None, grant_pk: Any = None) -> Response:
        """Revoke one share of the incident at once."""
        incident = self.get_object()
        grant = incident_grant(incident, grant_pk)
        if grant is None:
            raise NotFound
        actions.do_revoke_incident_share(grant, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PatrolViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Patrols the caller may see: their organization's and those with a colleague on the team."""

    model = Patrol
    serializer_class = PatrolSerializer
    filterset_fields = ["status"]
    ordering_fields = ["starts_at"]

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("organization")
            .prefetch_related(
                "members__person__user", "members__person__organization", "equipment", "incidents"
            )
        )

    @extend_schema(request=PatrolInputSerializer, responses={201: PatrolSerializer})
    def create(self, request: Request) -> Response:
        """Plan a patrol with a team from one or more organizations."""
        data = _input(PatrolInputSerializer, request)
        patrol = actions.do_plan_patrol(actor=request.user, **data)
        return Response(PatrolSerializer(patrol).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PatrolStartSerializer, responses={200: PatrolStartedSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: Any = None) -> Response:
        """Start the patrol (optionally checking its equipment out to the team)."""
        patrol = self.get_object()
        data = _input(PatrolStartSerializer, request)
        problems = actions.do_start_patrol(patrol, check_out=data["check_out"], actor=request.user)
        patrol = self.get_queryset().get(pk=patrol.pk)
        return Response({"patrol": PatrolSerializer(patrol).data, "problems": problems})

    @extend_schema(request=PatrolReportSerializer, responses={200: PatrolSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: Any = None) -> Response:
        """Close the patrol with its report: what it did, its incidents, km per member."""
        patrol = self.get_object()
        data = _input(PatrolReportSerializer, request)
        incidents = list(Incident.objects.filter(pk__in=data["incidents"]))
        if len(incidents) != len(set(data["incidents"])):
            raise ValidationError({"incidents": [_("Choose incidents you may see.")]})
        actions.do_report_patrol(
            patrol, report=data["report"], incidents=incidents, km=data["km"], actor=request.user
        )
        return Response(PatrolSerializer(self.get_queryset().get(pk=patrol.pk)).data)


class GeoLayerView(APIView):
    """One layer of the shared map as GeoJSON, only what the caller may see."""

    @extend_schema(
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, enum=list(LAYERS))],
        responses={(200, "application/geo+json"): OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, name: str) -> Response:
        if name not in LAYERS:
            raise NotFound  # with a body, like every other 404 of the API
        # GeoJSON's own media type (RFC 7946, 12), as the map pages' layers.
        return Response(layer(request.user, name), content_type="application/geo+json")
