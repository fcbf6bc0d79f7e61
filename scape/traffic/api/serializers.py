"""Serializers of the traffic API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scape.directory.models import Organization
from scape.traffic.choices import Country, Direction, HotlistReason
from scape.traffic.models import (
    Hit,
    HotlistEntry,
    HotlistImport,
    ImportMode,
    PlateRead,
    SpeedSection,
    TrafficCamera,
)


class CameraSerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = TrafficCamera
        fields = [
            "id", "organization", "name", "road", "direction", "latitude", "longitude",
            "zone", "asset", "active", "token_set_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class CameraInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    road = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.BOTH)
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    zone = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        required=False,
        default=list,
    )


class CameraCreatedSerializer(CameraSerializer):
    token = serializers.CharField(read_only=True)

    class Meta(CameraSerializer.Meta):
        fields = [*CameraSerializer.Meta.fields, "token"]
        read_only_fields = fields


class ReadSerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    crop_url = serializers.SerializerMethodField()

    class Meta:
        model = PlateRead
        fields = [
            "id", "organization", "camera", "time", "plate", "text", "country", "confidence",
            "source", "vault_item_id", "hit", "crop_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_crop_url(self, read: PlateRead) -> str | None:
        return reverse("traffic:crop", args=[read.pk]) if read.crop else None


class EntrySerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    country = serializers.ChoiceField(
        choices=[("", ""), *Country.choices], required=False, allow_blank=True, default=""
    )
    reason = serializers.ChoiceField(choices=HotlistReason.choices)

    class Meta:
        model = HotlistEntry
        fields = [
            "id", "organization", "plate", "text", "country", "reason", "note", "valid_until",
            "withdrawn_at", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "organization", "text", "withdrawn_at", "created_at"]


@extend_schema_field(OpenApiTypes.STR)
class _PartnerField(serializers.SlugRelatedField):
    """A partner organization by code, among those the view puts in the context as ``partners``.

    The view passes scape.directory.queries.partners_of the entry's organization.
    """

    def get_queryset(self) -> QuerySet[Organization]:
        return self.context["partners"]


class EntryInputSerializer(EntrySerializer):
    share_with = _PartnerField(slug_field="code", many=True, required=False)

    class Meta(EntrySerializer.Meta):
        fields = [*EntrySerializer.Meta.fields, "share_with"]


class HitSerializer(serializers.ModelSerializer):
    read = ReadSerializer(read_only=True)
    entry = EntrySerializer(read_only=True)
    camera = serializers.SerializerMethodField()
    acknowledged_by = serializers.CharField(
        source="acknowledged_by.username", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = Hit
        fields = [
            "id",
            "time",
            "exact",
            "read",
            "entry",
            "camera",
            "acknowledged_by",
            "acknowledged_at",
        ]
        read_only_fields = fields

    def get_camera(self, hit: Hit) -> dict[str, Any] | None:
        camera = hit.read.camera
        if camera is None:
            return None
        return {
            "id": camera.pk,
            "name": camera.name,
            "road": camera.road,
            "organization": camera.organization.code,
            "latitude": camera.latitude,
            "longitude": camera.longitude,
        }


class SectionSerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = SpeedSection
        fields = [
            "id", "organization", "name", "camera_a", "camera_b", "distance_m", "limit_kmh",
            "max_minutes",
        ]  # fmt: skip
        read_only_fields = ["id", "organization"]


class ImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or XLSX: plate, country, reason, valid until, note")
    list_name = serializers.CharField(max_length=100)
    mode = serializers.ChoiceField(choices=ImportMode.choices, default=ImportMode.MERGE)
    valid_until = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ImportSerializer(serializers.ModelSerializer):
    problems = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()

    class Meta:
        model = HotlistImport
        fields = [
            "id", "list_name", "file_name", "sha256", "mode", "valid_until", "state",
            "counts", "problems", "created_at", "applied_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_problems(self, imported: HotlistImport) -> list[dict[str, Any]]:
        """Each line left out, with why, in the caller's language."""
        from scape.traffic.hotlist_files import problem_text

        return [{"line": p["line"], "problem": problem_text(p)} for p in imported.problems]

    def get_counts(self, imported: HotlistImport) -> dict[str, int]:
        from scape.traffic.actions import import_counts

        return import_counts(imported)
