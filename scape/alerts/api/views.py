"""Notices through the API: anyone reads the published ones; members of an organization
write its notices and move them through the workflow with the actions."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from scape.alerts.actions import (
    do_approve_notice,
    do_create_notice,
    do_derive_notice,
    do_edit_notice,
    do_publish_notice,
    do_return_notice,
    do_submit_notice,
)
from scape.alerts.api.serializers import NoticeInputSerializer, NoticeSerializer
from scape.alerts.choices import MsgType
from scape.alerts.queries import access_notice, readable_notices
from scape.core.api import IsMember

_STEPS = {
    "submit": do_submit_notice,
    "approve": do_approve_notice,
    "publish": do_publish_notice,
    "send_back": do_return_notice,
}


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Published notices for everyone; a member also sees their organization's drafts."""

    serializer_class = NoticeSerializer
    filterset_fields = ["msg_type", "state", "status", "scope"]
    ordering_fields = ["sent", "created_at"]

    def get_permissions(self) -> list[Any]:
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        return [IsMember()]

    def get_queryset(self) -> Any:
        return readable_notices(self.request.user)

    @extend_schema(request=NoticeInputSerializer, responses={201: NoticeSerializer})
    def create(self, request: Request) -> Response:
        """Write a draft notice of the caller's organization."""
        person = getattr(request.user, "person", None)
        if person is None:
            raise PermissionDenied
        serializer = NoticeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notice = do_create_notice(
            person.organization, actor=request.user, **serializer.action_input()
        )
        return Response(NoticeSerializer(notice).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NoticeInputSerializer, responses={200: NoticeSerializer})
    def update(self, request: Request, pk: Any = None) -> Response:
        """Replace a draft's fields, texts and areas (an Update or Cancel too, before it is
        submitted): the same check and audit as the composer page."""
        from scape.core.choices import Action

        notice = access_notice(request.user, pk, Action.CHANGE)
        serializer = NoticeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notice = do_edit_notice(notice, actor=request.user, **serializer.action_input())
        return Response(NoticeSerializer(notice).data)

    def _step(self, request: Request, pk: Any, name: str) -> Response:
        notice = access_notice(request.user, pk)
        notice = _STEPS[name](notice, actor=request.user)
        return Response(NoticeSerializer(notice).data)

    @extend_schema(request=None, responses={200: NoticeSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        """Send the draft for approval."""
        return self._step(request, pk, "submit")

    @extend_schema(request=None, responses={200: NoticeSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        """Approve the submitted notice (a coordinator of the issuing organization)."""
        return self._step(request, pk, "approve")

    @extend_schema(request=None, responses={200: NoticeSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        """Publish the approved notice."""
        return self._step(request, pk, "publish")

    @extend_schema(request=None, responses={200: NoticeSerializer})
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, pk: Any = None) -> Response:
        """Send the submitted notice back to its author as a draft."""
        return self._step(request, pk, "send_back")

    @extend_schema(request=None, responses={201: NoticeSerializer})
    @action(detail=True, methods=["post"], url_path="update")
    def update_notice(self, request: Request, pk: Any = None) -> Response:
        """Start an update of the published notice (a new draft that refers to it)."""
        derived = do_derive_notice(
            access_notice(request.user, pk), MsgType.UPDATE, actor=request.user
        )
        return Response(NoticeSerializer(derived).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: NoticeSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        """Start a cancel of the published notice (a new draft that refers to it)."""
        derived = do_derive_notice(
            access_notice(request.user, pk), MsgType.CANCEL, actor=request.user
        )
        return Response(NoticeSerializer(derived).data, status=status.HTTP_201_CREATED)
