"""Serializers of the reports API: indicators with their values for a period."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scape.reports.queries import Result


@extend_schema_field({"type": "string", "nullable": True})
class _Number(serializers.Field):
    """A figure as a decimal string ("12.5"), or null for "no data"."""

    def to_representation(self, value: Any) -> Any:
        from scape.reports.charts import number

        return None if value is None else number(value)


class IndicatorValueSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    group = serializers.CharField(source="indicator.group")
    unit = serializers.CharField(source="indicator.unit")
    target = _Number(source="indicator.target")
    value = _Number(help_text="null means no data: the records are not kept in SCAPE yet")
    has_data = serializers.BooleanField()
    breakdown = serializers.SerializerMethodField()

    def get_breakdown(self, result: Result) -> dict[str, list[dict[str, Any]]]:
        from scape.reports.charts import number

        return {
            key: [{"label": label, "value": number(value)} for label, value in pairs]
            for key, pairs in result.figure.breakdown.items()
        }


class ReportPeriodSerializer(serializers.Serializer):
    kind = serializers.CharField()
    first = serializers.DateField()
    last = serializers.DateField()
    label = serializers.CharField()  # type: ignore[assignment]


class IndicatorReportSerializer(serializers.Serializer):
    period = ReportPeriodSerializer()
    organization = serializers.CharField(allow_null=True)
    results = IndicatorValueSerializer(many=True)


class IndicatorDetailSerializer(IndicatorValueSerializer):
    """One indicator's value, with the period and partner it was counted for."""

    period = ReportPeriodSerializer()
    organization = serializers.CharField(allow_null=True)
