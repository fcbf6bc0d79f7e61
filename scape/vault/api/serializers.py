"""Serializers of the vault API."""

from __future__ import annotations

from rest_framework import serializers

from scape.core.models import AuditEvent
from scape.vault.models import Case, Derivative, EvidenceItem


class DerivativeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Derivative
        fields = ["id", "kind", "name", "sha256", "size", "content_type", "created_at"]


class EvidenceItemSerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    category: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    officer = serializers.CharField(source="officer.user.username", default=None, read_only=True)
    cases: serializers.SlugRelatedField[Case] = serializers.SlugRelatedField(
        slug_field="reference", many=True, read_only=True
    )
    derivatives = DerivativeSerializer(many=True, read_only=True)

    class Meta:
        model = EvidenceItem
        fields = [
            "id", "organization", "original_name", "sha256", "size", "media_kind",
            "content_type", "source_type", "device_serial", "officer", "recorded_at",
            "ingested_at", "category", "status", "unreadable_reason", "metadata",
            "integrity", "verified_at", "legal_hold", "retain_until", "review_at", "cases",
            "derivatives",
        ]  # fmt: skip
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    items: serializers.PrimaryKeyRelatedField[EvidenceItem] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Case
        fields = [
            "id", "organization", "reference", "title", "description", "status",
            "legal_hold", "created_at", "closed_at", "items",
        ]  # fmt: skip
        read_only_fields = fields


class CustodyEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id", "time", "actor_username", "actor_org", "action", "outcome", "reason",
            "recipient", "hash",
        ]  # fmt: skip
        read_only_fields = fields
