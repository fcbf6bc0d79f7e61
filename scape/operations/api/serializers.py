"""Serializers of the operations API: what is shown, and the input of each action."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scape.core.api import MomentField, record_id
from scape.directory.models import Organization, Person
from scape.directory.queries import get_partner_organizations
from scape.operations.choices import LinkKind, MemberRole, PersonCategory, Severity, Transport
from scape.operations.forms import parse_area
from scape.operations.models import (
    Incident,
    IncidentLink,
    IncidentPerson,
    LogEntry,
    Patrol,
    PatrolMember,
)
from scape.operations.queries import active_incident_types, team_candidates


def _user(field: serializers.Field) -> Any:
    """Return the user the serializer of `field` answers (the view puts the request in)."""
    return field.context["request"].user


@extend_schema_field(OpenApiTypes.STR)
class _PartnerOrganizationField(serializers.SlugRelatedField):
    """An active organization by code, among those the user may see."""

    def get_queryset(self) -> QuerySet[Organization]:
        return get_partner_organizations(_user(self))


@extend_schema_field(OpenApiTypes.INT)
class _TeamMemberField(serializers.PrimaryKeyRelatedField):
    """A person by id, among those the user may put on a patrol team."""

    def get_queryset(self) -> QuerySet[Person]:
        return team_candidates(_user(self))


class LogEntrySerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = LogEntry
        fields = ["id", "incident", "time", "author", "organization", "text"]
        read_only_fields = ["id", "incident", "time", "author", "organization"]


class LinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentLink
        fields = ["id", "kind", "object_id", "label", "added_at"]
        read_only_fields = fields


class IncidentPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentPerson
        fields = ["id", "category", "name", "details"]
        read_only_fields = fields


class IncidentSerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    type: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    assigned_organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    involved_organizations: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, many=True
    )
    links = LinkSerializer(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id", "reference", "organization", "type", "title", "description", "occurred_at",
            "latitude", "longitude", "address", "severity", "status", "outcome",
            "involved_organizations", "assigned_organization", "assigned_person",
            "is_exercise", "created_at", "closed_at", "links",
        ]  # fmt: skip
        read_only_fields = fields


class IncidentInputSerializer(serializers.Serializer):
    type = serializers.SlugRelatedField(slug_field="code", queryset=active_incident_types())
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    occurred_at = MomentField(required=False, allow_null=True, default=None)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.MEDIUM)
    is_exercise = serializers.BooleanField(default=False)
    involved_organizations = _PartnerOrganizationField(slug_field="code", many=True, required=False)


class StatusInputSerializer(serializers.Serializer):
    status = serializers.CharField()
    outcome = serializers.CharField(required=False, allow_blank=True, default="")


class LogInputSerializer(serializers.Serializer):
    text = serializers.CharField()


class PersonInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=PersonCategory.choices)
    name = serializers.CharField(max_length=200)
    details = serializers.CharField(required=False, allow_blank=True, default="")


class LinkInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LinkKind.choices)
    object_id = serializers.IntegerField(min_value=1)


class PatrolMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.full_name", read_only=True)
    organization = serializers.CharField(source="person.organization.code", read_only=True)

    class Meta:
        model = PatrolMember
        fields = ["person", "name", "organization", "role", "transport", "km"]
        read_only_fields = fields


class PatrolSerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    members = PatrolMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Patrol
        fields = [
            "id", "organization", "title", "starts_at", "ends_at", "area", "route",
            "talk_group", "briefing", "status", "equipment", "report", "incidents", "members",
        ]  # fmt: skip
        read_only_fields = fields


class MemberInputSerializer(serializers.Serializer):
    person = _TeamMemberField()
    role = serializers.ChoiceField(choices=MemberRole.choices, default=MemberRole.MEMBER)
    transport = serializers.ChoiceField(choices=Transport.choices, default=Transport.FOOT)


class PatrolInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    starts_at = MomentField()
    ends_at = MomentField()
    area = serializers.JSONField(required=False, default=dict)
    route = serializers.CharField(required=False, allow_blank=True, default="")
    talk_group = serializers.CharField(required=False, allow_blank=True, default="")
    briefing = serializers.CharField(required=False, allow_blank=True, default="")
    members = MemberInputSerializer(many=True)

    def validate_area(self, value: Any) -> Any:
        if not value:
            return {}
        try:
            return parse_area(json.dumps(value))
        except forms.ValidationError as exc:
            # An API client's developer also gets what exactly is wrong.
            why = (getattr(exc, "params", None) or {}).get("why")
            raise serializers.ValidationError([*exc.messages, *([why] if why else [])]) from exc


class PatrolStartSerializer(serializers.Serializer):
    check_out = serializers.BooleanField(
        required=False, default=False, help_text="Check the patrol's equipment out to the team."
    )


class PatrolStartedSerializer(serializers.Serializer):
    patrol = PatrolSerializer()
    problems = serializers.ListField(child=serializers.CharField())


class PatrolReportSerializer(serializers.Serializer):
    report = serializers.CharField(max_length=10000)
    incidents = serializers.ListField(child=record_id(), required=False, default=list)
    km = serializers.DictField(
        child=serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0),
        required=False,
        default=dict,
        help_text='Kilometres per team member: {"member id": 12.5}',
    )
