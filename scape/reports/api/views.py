"""Reports API: read-only indicator values for a period (and partner)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scape.reports.api.serializers import (
    IndicatorDetailSerializer,
    IndicatorReportSerializer,
    IndicatorValueSerializer,
)
from scape.reports.choices import PeriodKind
from scape.reports.forms import ReportFilterForm
from scape.reports.queries import evaluate, evaluate_all, get_indicator

SLUG = r"^[-a-zA-Z0-9_]+$"
FILTERS = [
    # The values ReportFilterForm takes; anything else is answered 400.
    OpenApiParameter(
        "period", OpenApiTypes.STR, enum=list(PeriodKind.values), description="the period's kind"
    ),
    OpenApiParameter("year", {"type": "integer", "minimum": 2000, "maximum": 2100}),
    OpenApiParameter("quarter", OpenApiTypes.INT, enum=[1, 2, 3, 4]),
    OpenApiParameter("month", OpenApiTypes.INT, enum=list(range(1, 13))),
    OpenApiParameter("start", OpenApiTypes.DATE, description="first day of a custom range"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="last day of a custom range"),
    OpenApiParameter("organization", OpenApiTypes.STR, description="partner code"),
]


def _filter(request: Request) -> ReportFilterForm:
    form = ReportFilterForm(request.query_params or None)
    if form.is_bound and not form.is_valid():
        raise ValidationError(form.errors.get_json_data())
    return form


def _header(form: ReportFilterForm) -> dict[str, Any]:
    period = form.the_period
    organization = form.the_organization
    return {
        "period": {
            "kind": str(period.kind),
            "first": period.first,
            "last": period.last,
            "label": period.label,
        },
        "organization": organization.code if organization else None,
    }


class IndicatorListView(APIView):
    """Every active indicator with its value for the period; counts cover all partners."""

    @extend_schema(
        operation_id="reports_indicators_list",
        parameters=FILTERS,
        responses=IndicatorReportSerializer,
    )
    def get(self, request: Request) -> Response:
        form = _filter(request)
        results = evaluate_all(form.the_period, form.the_organization)
        return Response(IndicatorReportSerializer({**_header(form), "results": results}).data)


class IndicatorDetailView(APIView):
    """One indicator with its value for the period."""

    @extend_schema(
        operation_id="reports_indicators_retrieve",
        parameters=[
            # the URL's <slug:code>: anything else is not this operation's URL
            OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=SLUG),
            *FILTERS,
        ],
        responses=IndicatorDetailSerializer,
    )
    def get(self, request: Request, code: str) -> Response:
        form = _filter(request)
        result = evaluate(get_indicator(code), form.the_period, form.the_organization)
        return Response({**_header(form), **IndicatorValueSerializer(result).data})
