"""Serializers of the activities API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from scape.activities.choices import ActivityKind
from scape.activities.models import Activity, Attendance, Certificate, Registration, Session
from scape.core.api import MomentField, record_id
from scape.directory.choices import Country
from scape.directory.models import Organization


class SessionSerializer(serializers.ModelSerializer):
    hours = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)

    class Meta:
        model = Session
        fields = ["id", "starts_at", "ends_at", "place", "hours"]
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    partners: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    competencies: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id", "kind", "status", "organization", "partners", "title_lt", "title_lv",
            "title_en", "description_lt", "description_lv", "description_en", "starts_at",
            "ends_at", "city", "country", "address", "latitude", "longitude", "topics",
            "competencies", "capacity", "audience", "sessions",
        ]  # fmt: skip
        read_only_fields = fields


class RegistrationSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    organization = serializers.CharField(source="person.organization.code", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id", "activity", "person", "person_name", "organization", "status", "position",
            "nominated_by", "created_at", "decided_at",
        ]  # fmt: skip
        read_only_fields = fields


class RegisterInputSerializer(serializers.Serializer):
    person = serializers.IntegerField(
        required=False, help_text="A person of your organization to nominate; you by default."
    )


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class AttendanceSerializer(serializers.ModelSerializer):
    activity = serializers.IntegerField(source="session.activity_id", read_only=True)
    hours = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "activity", "session", "person", "present", "hours", "marked_at"]
        read_only_fields = fields


class AttendanceInputSerializer(serializers.Serializer):
    session = record_id()
    present = serializers.ListField(child=record_id(), allow_empty=True)
    absent = serializers.ListField(
        child=record_id(), allow_empty=True, required=False, default=list
    )


class CertificateSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id", "activity", "person", "person_name", "code", "issued_at", "expires_at",
            "revoked_at", "revoked_reason", "language", "hours", "state",
        ]  # fmt: skip
        read_only_fields = fields


class RevokeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class VerificationSerializer(serializers.Serializer):
    """What anyone may learn about a certificate: nothing more personal than the holder's name."""

    code = serializers.CharField()
    holder = serializers.CharField()
    activity = serializers.CharField()
    kind = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    issued_on = serializers.DateField()
    issuers = serializers.ListField(child=serializers.CharField())
    expires_on = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    revoked_on = serializers.DateField(allow_null=True)


class ActivityInputSerializer(serializers.Serializer):
    """An activity as an integrator creates it (checked by the page's action)."""

    kind = serializers.ChoiceField(choices=ActivityKind.choices, default=ActivityKind.TRAINING)
    title_en = serializers.CharField(max_length=200)
    title_lt = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title_lv = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_en = serializers.CharField(required=False, allow_blank=True)
    description_lt = serializers.CharField(required=False, allow_blank=True)
    description_lv = serializers.CharField(required=False, allow_blank=True)
    starts_at = MomentField()
    ends_at = MomentField()
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    country = serializers.ChoiceField(
        choices=Country.choices, required=False, help_text="Default: the organization's"
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    partners = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Organization.objects.filter(is_active=True),
        required=False,
    )  # fmt: skip


class SessionInputSerializer(serializers.Serializer):
    starts_at = MomentField()
    ends_at = MomentField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
