"""Serializers of the notices API: what is shown, and the input of a new notice."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from scape.alerts.choices import (
    Category,
    Certainty,
    Language,
    ResponseType,
    Scope,
    Severity,
    Status,
    Urgency,
)
from scape.alerts.models import Notice, NoticeArea, NoticeInfo


class InfoSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoticeInfo
        fields = ["language", "headline", "event", "description", "instruction", "area_desc"]
        read_only_fields = fields


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoticeArea
        fields = ["area_desc", "descs", "polygon", "circle_lat", "circle_lon", "circle_radius_km"]
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    infos = InfoSerializer(many=True, read_only=True)
    areas = AreaSerializer(many=True, read_only=True)
    cap_url = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id", "identifier", "organization", "sender", "sender_name", "status", "msg_type",
            "scope", "restriction", "references", "category", "event", "response_type",
            "urgency", "severity", "certainty", "effective", "onset", "expires", "contact",
            "web", "state", "sent", "infos", "areas", "cap_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_cap_url(self, notice: Notice) -> str:
        return f"/alerts/{notice.identifier}.xml"


class InfoInputSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices)
    headline = serializers.CharField(max_length=160)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    instruction = serializers.CharField(required=False, allow_blank=True, default="")
    event = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200,
        help_text="the event in this language; empty: the notice's event",
    )  # fmt: skip
    area_desc = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200,
        help_text="the drawn areas described in this language; empty: each area's area_desc",
    )  # fmt: skip


class AreaInputSerializer(serializers.Serializer):
    area_desc = serializers.CharField(max_length=200)
    polygon = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
        required=False,
        help_text="[[lat, lon], ...]",
    )
    circle = serializers.ListField(
        child=serializers.FloatField(),
        min_length=3,
        max_length=3,
        required=False,
        help_text="[lat, lon, radius_km]",
    )


class NoticeInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, default=Status.ACTUAL)
    scope = serializers.ChoiceField(choices=Scope.choices, default=Scope.PUBLIC)
    restriction = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.ListField(child=serializers.ChoiceField(choices=Category.choices))
    event = serializers.CharField(max_length=200)
    response_type = serializers.ListField(
        child=serializers.ChoiceField(choices=ResponseType.choices), required=False, default=list
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    certainty = serializers.ChoiceField(choices=Certainty.choices)
    effective = serializers.DateTimeField(required=False, allow_null=True, default=None)
    onset = serializers.DateTimeField(required=False, allow_null=True, default=None)
    expires = serializers.DateTimeField(required=False, allow_null=True, default=None)
    sender_name = serializers.CharField(required=False, allow_blank=True, default="")
    contact = serializers.CharField(required=False, allow_blank=True, default="")
    web = serializers.URLField(required=False, allow_blank=True, default="")
    infos = InfoInputSerializer(many=True)
    areas = AreaInputSerializer(many=True)

    def action_input(self) -> dict[str, Any]:
        """Return the keyword arguments of do_create_notice."""
        data = dict(self.validated_data)
        infos = {info["language"]: info for info in data.pop("infos")}
        for info in infos.values():
            info.pop("language", None)
        return {"infos": infos, **data}
