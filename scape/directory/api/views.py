from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from scape.core.access import actor_of
from scape.core.actions import do_share_record
from scape.core.api import GrantSerializer, RestrictedViewSetMixin, ShareSerializer
from scape.core.choices import Action, Role
from scape.directory.actions import (
    do_create_person,
    do_deactivate_person,
    do_set_roles,
    do_update_organization,
    do_update_person,
)
from scape.directory.api.serializers import (
    NotificationSerializer,
    NotificationsReadSerializer,
    OrganizationSerializer,
    PersonCreateSerializer,
    PersonSerializer,
)
from scape.directory.models import Notification, Organization, Person
from scape.directory.queries import partners_of


class OrganizationViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Partner organizations."""

    model = Organization
    serializer_class = OrganizationSerializer
    filterset_fields = ["country", "kind", "is_active"]
    search_fields = ["code", "name_lt", "name_lv", "name_en", "city"]
    ordering_fields = ["code", "country"]

    def perform_update(self, serializer: Any) -> None:
        do_update_organization(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class PersonViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """People of the partner organizations, with their roles."""

    model = Person
    serializer_class = PersonSerializer
    filterset_fields = ["organization__code", "is_active", "gender"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "badge_number"]
    ordering_fields = ["user__last_name", "organization__code"]
    access_actions = {"share": Action.SHARE}

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("user", "organization")
            .prefetch_related("role_assignments")
        )

    def get_serializer_class(self) -> Any:
        return PersonCreateSerializer if self.action == "create" else PersonSerializer

    def perform_create(self, serializer: Any) -> None:
        data = serializer.flat_changes()
        org = data.pop("organization")
        actor = actor_of(self.request.user)
        may = Role.SYS_ADMIN in actor.roles or (
            Role.ORG_ADMIN in actor.roles and actor.organization_id == org.pk
        )
        if not may:
            raise PermissionDenied
        roles = data.pop("role_codes", [])
        serializer.instance = do_create_person(
            organization=org, roles=roles, actor=self.request.user, **data
        )

    @transaction.atomic
    def perform_update(self, serializer: Any) -> None:
        data = serializer.flat_changes()
        roles = data.pop("role_codes", None)
        person = do_update_person(serializer.instance, actor=self.request.user, **data)
        if roles is not None:
            do_set_roles(person, roles, actor=self.request.user)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Deactivate the person (records about people are never erased here)."""
        do_deactivate_person(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ShareSerializer, responses={201: GrantSerializer})
    @action(detail=True, methods=["post"])
    def share(self, request: Request, pk: Any = None) -> Response:
        """Share this person's record with a partner organization."""
        person = self.get_object()
        partners = partners_of(person.organization_id)
        serializer = ShareSerializer(data=request.data, context={"organizations": partners})
        serializer.is_valid(raise_exception=True)
        grant = do_share_record(person, actor=request.user, **serializer.validated_data)
        return Response(GrantSerializer(grant).data, status=status.HTTP_201_CREATED)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications, newest first (what the top bar shows)."""

    serializer_class = NotificationSerializer
    filterset_fields = ["kind"]
    query_parameters = ("unread",)

    def get_queryset(self) -> Any:
        person = getattr(self.request.user, "person", None)
        if person is None:
            return Notification.objects.none()
        rows = Notification.objects.filter(recipient=person).order_by("-created_at", "-pk")
        unread = self.request.query_params.get("unread")
        if unread not in (None, "", "true", "false"):
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"unread": [_("Give true or false.")]})
        return rows.filter(read_at__isnull=True) if unread == "true" else rows

    @extend_schema(
        request=NotificationsReadSerializer,
        responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}},
    )
    @action(detail=False, methods=["post"])
    def read(self, request: Request) -> Response:
        """Mark the caller's notifications read (the given ones, or all)."""
        from scape.directory.actions import do_mark_notifications_read

        person = getattr(request.user, "person", None)
        if person is None:
            raise PermissionDenied
        serializer = NotificationsReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = do_mark_notifications_read(person, serializer.validated_data.get("ids"))
        return Response({"marked": marked})
