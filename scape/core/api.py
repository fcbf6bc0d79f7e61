"""API building blocks shared by every app: the access door for DRF viewsets."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
import django_filters.rest_framework
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, permissions, serializers
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from scape.core.access import access_object, actor_of
from scape.core.choices import Action, TokenScope
from scape.core.keyset import COUNT_CAP, keyset_page

# The largest primary key either database holds (a signed 64-bit integer).
MAX_RECORD_ID = 2**63 - 1


def record_id(**kwargs: Any) -> serializers.IntegerField:
    """An input field naming a record by its id: 1 up to the largest id a database holds.

    A bigger number is refused with a 400, never sent to the database (where it
    overflows: a 500).
    """
    return serializers.IntegerField(min_value=1, max_value=MAX_RECORD_ID, **kwargs)


class FirstRenderer(BaseContentNegotiation):
    """Answer with the view's first renderer (JSON) whatever the Accept header says.

    For endpoints whose answer is not one of DRF's renderings (a camera's
    read, a ZIP file): a client asking ``Accept: application/zip`` gets the
    file, or its refusal as JSON, never a 406.
    """

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return (renderers[0], renderers[0].media_type)


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
    # list actions answered whole, as an array (the schema says so: scape.core.api_schema)
    unpaginated_actions: frozenset[str] = frozenset()

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

    def paginated(self, rows: Any, serializer_class: Any) -> Response:
        """A list action's rows (an asset's trips, an incident's log) in pages like every list.

        ``count``/``next``/``previous``/``results`` and ``?page=``, as the
        schema documents them; the rows are serialized a page at a time.
        """
        view: Any = self  # a GenericViewSet's pager
        page = view.paginate_queryset(rows)
        if page is None:
            return Response(serializer_class(rows, many=True).data)
        return view.get_paginated_response(serializer_class(page, many=True).data)


class MomentField(serializers.DateTimeField):
    """A date and time SCAPE records: from the year 1900 on.

    Earlier moments have no standard offset in the time zones SCAPE shows
    (Vilnius was at +01:41:16 local mean time), so they could not be answered
    back as the RFC 3339 date-time the schema promises; none is a real record.
    """

    def to_internal_value(self, value: Any) -> datetime.datetime:
        moment = super().to_internal_value(value)
        if moment.year < 1900:
            raise ValidationError(_("Enter a date and time from the year 1900 on."))
        return moment


@extend_schema_field(OpenApiTypes.STR)
class _OrganizationField(serializers.SlugRelatedField):
    """An organization by code, among those the view puts in the context."""

    def get_queryset(self) -> Any:
        return self.context["organizations"]


class ShareSerializer(serializers.Serializer):
    grantee = _OrganizationField(slug_field="code")
    purpose = serializers.CharField(max_length=1000)
    expires_at = MomentField()
    allow_download = serializers.BooleanField(default=False)
    redacted_only = serializers.BooleanField(default=False)


class GrantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    grantee = serializers.CharField(source="grantee.code")
    purpose = serializers.CharField()
    expires_at = serializers.DateTimeField()
    allow_download = serializers.BooleanField()


class ScopedTokenAuthentication(TokenAuthentication):
    """API tokens that expire and carry a scope.

    A token is refused after its expiry (chosen when it is made, at most
    ``SCAPE_API_TOKEN_DAYS``; a token made before scopes existed expires that
    many days after it was made). A read-only token may only read. A token is
    deleted when its user's password changes or the user is deactivated
    (scape/core/signals.py). Cameras do not use these: each posts plate reads
    with its own camera token.
    """

    def authenticate_credentials(self, key: str) -> Any:
        from scape.core.models import ApiTokenScope

        user, token = super().authenticate_credentials(key)
        policy = ApiTokenScope.objects.filter(token_id=token.pk).first()
        days = int(getattr(settings, "SCAPE_API_TOKEN_DAYS", 90))
        expires = policy.expires_at if policy else token.created + datetime.timedelta(days=days)
        if expires <= timezone.now():
            raise exceptions.AuthenticationFailed(
                _("This API token has expired. Make a new one on your profile page.")
            )
        token.scape_scope = policy.scope if policy else TokenScope.INTEGRATOR
        return user, token

    def authenticate(self, request: Any) -> Any:
        found = super().authenticate(request)
        if found is not None:
            scope = getattr(found[1], "scape_scope", TokenScope.INTEGRATOR)
            if scope == TokenScope.READ and request.method not in permissions.SAFE_METHODS:
                raise exceptions.PermissionDenied(
                    _("This API token is read-only: make one that may write.")
                )
        return found


class KeysetPagination(PageNumberPagination):
    """Pages of a big list (reads, evidence) by the last row sent, with a capped count.

    ``next`` and ``previous`` are ``?after=``/``?before=`` cursors
    (scape.core.keyset), which cost the same on the first page and the
    thousandth; ``count`` stops at ``COUNT_CAP`` and ``count_capped`` says so.
    A client that asks for ``?page=`` gets the numbered pages it always had.
    The order is the one ``?ordering=`` chose, else the view's
    ``keyset_order``, else the model's; an order on a field that may be empty
    falls back to numbered pages.
    """

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self.keyset = None
        order = self._order(queryset, view)
        if "page" in request.query_params or order is None:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        self.keyset = keyset_page(
            queryset,
            order,
            after=request.query_params.get("after", ""),
            before=request.query_params.get("before", ""),
            per_page=self.get_page_size(request) or 50,
        )
        return self.keyset.object_list

    def _order(self, queryset: Any, view: Any) -> tuple[str, ...] | None:
        chosen = [str(name) for name in queryset.query.order_by]
        order = (
            chosen or list(getattr(view, "keyset_order", ())) or list(queryset.model._meta.ordering)
        )
        if not order or not all(isinstance(name, str) for name in order):
            return None
        if order[-1].lstrip("-") not in ("pk", "id"):
            order.append("-pk" if order[0].startswith("-") else "pk")
        for name in order:
            column = name.lstrip("-")
            if column == "pk":
                continue
            try:
                if queryset.model._meta.get_field(column).null:
                    return None
            except FieldDoesNotExist:
                return None
        return tuple(order)

    def _link(self, key: str, cursor: str) -> str | None:
        if not cursor or self.request is None:
            return None
        url = self.request.build_absolute_uri()
        for other in ("after", "before", "page"):
            url = remove_query_param(url, other)
        return replace_query_param(url, key, cursor)

    def get_paginated_response(self, data: Any) -> Response:
        if self.keyset is None:
            return super().get_paginated_response(data)
        page = self.keyset
        return Response(
            {
                "count": page.count,
                "count_capped": page.count_capped,
                "next": self._link("after", page.next_cursor),
                "previous": self._link("before", page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"true when there are more than {COUNT_CAP} rows (count stops there)",
        }
        return described


_TRUE, _FALSE = ("true", "True", "1"), ("false", "False", "0")


class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """A yes/no filter that answers 400 to a value it does not know.

    django-filter's own turns ``?is_active=garbage`` into "no filter" and so
    lists everything, which a client takes for an answer.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [(v, v) for v in (*_TRUE, *_FALSE)])
        kwargs.setdefault("coerce", lambda value: value in _TRUE)
        super().__init__(*args, **kwargs)


class ApiFilterSet(django_filters.rest_framework.FilterSet):
    """The filter sets the API builds from ``filterset_fields``: booleans strict."""

    FILTER_DEFAULTS = {
        **django_filters.rest_framework.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }


# Query parameters every list understands: paging (numbered and by cursor), order,
# search and DRF's ?format=.
COMMON_PARAMETERS = frozenset({"page", "after", "before", "ordering", "search", "format"})


class StrictFilterBackend(django_filters.rest_framework.DjangoFilterBackend):
    """DjangoFilterBackend that answers 400 to a value or a parameter it does not understand.

    Generated filter sets reject values they do not know (StrictBooleanFilter);
    a parameter no filter, pager or ordering reads (``?organisation=`` for
    ``?organization=``, a filter this list does not have) is refused by name
    instead of being ignored, which would answer the whole list as if it were
    the filtered one. A view that reads parameters of its own names them in
    ``query_parameters``.
    """

    filterset_base = ApiFilterSet

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        unknown = sorted(set(request.query_params) - self._understood(request, queryset, view))
        if unknown:
            raise ValidationError(
                {name: [_("This list has no such query parameter.")] for name in unknown}
            )
        return super().filter_queryset(request, queryset, view)

    def _understood(self, request: Any, queryset: Any, view: Any) -> set[str]:
        names = set(COMMON_PARAMETERS) | set(getattr(view, "query_parameters", ()))
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            names |= set(filterset_class.base_filters)
        return names
