from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scape.core.api import record_id
from scape.core.choices import Role
from scape.directory.choices import Gender, SpokenLanguage
from scape.directory.models import Notification, Organization, Person
from scape.directory.queries import get_organizations


class OrganizationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id", "code", "name", "name_lt", "name_lv", "name_en", "short_name", "country",
            "kind", "street", "postal_code", "city", "phone", "email", "website",
            "requires_two_factor_for_all", "is_active",
        ]  # fmt: skip
        read_only_fields = ["id", "code", "country", "kind", "is_active"]


class PersonSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    first_name = serializers.CharField(source="user.first_name", max_length=150)
    last_name = serializers.CharField(source="user.last_name", max_length=150)
    email = serializers.EmailField(source="user.email", required=False, allow_blank=True)
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=SpokenLanguage.choices), required=False
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), source="role_codes", required=False
    )

    class Meta:
        model = Person
        fields = [
            "id", "username", "first_name", "last_name", "email", "organization", "unit",
            "position", "badge_number", "languages", "phone", "radio_call_sign", "gender",
            "roles", "is_active",
        ]  # fmt: skip
        read_only_fields = ["id", "username", "organization", "is_active"]

    def validate_phone(self, value: str) -> str:
        if value and not re.fullmatch(r"\+?[0-9 ()-]{5,40}", value):
            raise serializers.ValidationError(
                _("Enter a phone number: digits and spaces, optionally starting with +.")
            )
        return value

    def flat_changes(self) -> dict[str, Any]:
        """Return the validated data flattened into action keyword arguments."""
        data = dict(self.validated_data)
        data.update(data.pop("user", {}))
        return data


@extend_schema_field(OpenApiTypes.STR)
class _VisibleOrganizationField(serializers.SlugRelatedField):
    """An organization by code, among those the requesting user may see."""

    def get_queryset(self) -> QuerySet[Organization]:
        return get_organizations(self.context["request"].user)


class PersonCreateSerializer(PersonSerializer):
    username = serializers.RegexField(r"^[\w.@+-]{3,150}$", max_length=150, source="user.username")
    organization = _VisibleOrganizationField(slug_field="code")

    class Meta(PersonSerializer.Meta):
        read_only_fields = ["id", "is_active"]


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class NotificationsReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=record_id(),
        max_length=1000,
        required=False,
        help_text="The notifications to mark read; none given: all of them.",
    )
