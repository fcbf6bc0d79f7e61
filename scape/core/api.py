"""API building blocks shared by every app: the access door for DRF viewsets."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from scape.core.access import access_object, actor_of
from scape.core.choices import Action


class IsMember(permissions.BasePermission):
    """Allow users who belong to an organization with at least one role."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(actor_of(request.user).roles)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn a Django ValidationError raised by an action into a 400 answer."""
    # Imported here: DRF loads this module while rest_framework.views is importing.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = ValidationError(detail)
    return drf_exception_handler(exc, context)


_METHOD_ACTION = {
    "GET": Action.VIEW,
    "HEAD": Action.VIEW,
    "OPTIONS": Action.VIEW,
    "PUT": Action.CHANGE,
    "PATCH": Action.CHANGE,
    "DELETE": Action.DELETE,
}


class RestrictedViewSetMixin:
    """Serve only what the access door allows; 404 for what the user may not see."""

    model: type[models.Model]
    request: Any
    kwargs: dict[str, Any]
    action: Any
    # extra @action names mapped to the access action they need
    access_actions: dict[str, str] = {}

    def required_action(self) -> str:
        if self.action in self.access_actions:
            return self.access_actions[self.action]
        return _METHOD_ACTION.get(self.request.method or "GET", Action.CHANGE)

    def get_queryset(self) -> Any:
        return self.model._default_manager.restrict(self.request.user, Action.VIEW)  # type: ignore[attr-defined]

    def get_object(self) -> Any:
        return access_object(
            self.model, self.request.user, self.kwargs["pk"], self.required_action()
        )


@extend_schema_field(OpenApiTypes.STR)
class _OrganizationField(serializers.SlugRelatedField):
    """An organization by code, among those the view puts in the context."""

    def get_queryset(self) -> Any:
        return self.context["organizations"]


class ShareSerializer(serializers.Serializer):
    grantee = _OrganizationField(slug_field="code")
    purpose = serializers.CharField(max_length=1000)
    expires_at = serializers.DateTimeField()
    allow_download = serializers.BooleanField(default=False)
    redacted_only = serializers.BooleanField(default=False)


class GrantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    grantee = serializers.CharField(source="grantee.code")
    purpose = serializers.CharField()
    expires_at = serializers.DateTimeField()
    allow_download = serializers.BooleanField()
