"""The OpenAPI schema of the API: drf-spectacular's, with the error answers documented.

A module of its own: scape.core.api is imported while DRF loads its settings,
before drf-spectacular's AutoSchema can be.
"""

from __future__ import annotations

from typing import Any

import uritemplate
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers


class ApiSchema(AutoSchema):
    """drf-spectacular's schema, with the error answers every operation can give.

    DRF answers these on its own, whatever the view documents: 400 for a body
    or a query parameter it refuses (StrictFilterBackend), 401 without
    credentials, 403 for a role or token scope that may not, 404 for a record
    the user may not see or a page past the last. Documented once here, so an
    integrator's generated client knows them (tests/test_api_contract.py).
    """

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            responses.setdefault(code, self._error_response(code))
        return responses

    def _error_codes(self) -> list[str]:
        codes = []
        lists = self.method == "GET" and self._is_list_view()
        queried = any(p["in"] == "query" for p in self._get_parameters())
        if self.method not in ("GET", "DELETE") or queried:
            codes.append("400")
        if not all(isinstance(p, permissions.AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        if uritemplate.variables(self.path) or (lists and self._get_paginator()):
            codes.append("404")
        return codes

    def _error_response(self, code: str) -> dict[str, Any]:
        if code != "400":
            return self._get_response_for_code(error_response(code), code)
        component = ResolvedComponent(
            name="ValidationError",
            type=ResolvedComponent.SCHEMA,
            object="ValidationError",
            schema=_VALIDATION_ERROR,
        )
        self.registry.register_on_missing(component)
        return {
            "description": _ERROR_DESCRIPTIONS[code],
            "content": {"application/json": {"schema": component.ref}},
        }

    def _get_paginator(self) -> Any:
        # DRF pages only what a list GET answers: a POST that answers several
        # records (issue-certificates, attendance) answers them as an array, and
        # so does an action its view names in ``unpaginated_actions`` (an item's
        # chain of custody, exported and audited whole).
        if self.method != "GET":
            return None
        if getattr(self.view, "action", None) in getattr(self.view, "unpaginated_actions", ()):
            return None
        return super()._get_paginator()


class ErrorSerializer(serializers.Serializer):
    """DRF's answer to a refused request: why, in the caller's language."""

    detail = serializers.CharField()


def error_response(code: int | str) -> OpenApiResponse:
    """An error answer for ``extend_schema(responses=...)`` where a view gives one more."""
    return OpenApiResponse(ErrorSerializer, description=_ERROR_DESCRIPTIONS[str(code)])


_ERROR_DESCRIPTIONS = {
    "400": "The request's body or query parameters were refused, each with why.",
    "401": "No credentials, or an API token that expired.",
    "403": "The user's roles or the token's scope do not allow this.",
    "404": "No such record the user may see, or a page past the last.",
}
_VALIDATION_ERROR = {
    "description": "Messages by field name (or `detail`, `non_field_errors`), or a list of messages.",
    "oneOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {"type": "string"}},
    ],
}
