"""Serializers of the vault API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from scape.core.access import actor_of
from scape.core.models import AuditEvent
from scape.vault.choices import DerivativeKind
from scape.vault.disclosure import redacted_file, redacted_name
from scape.vault.models import Case, Derivative, EvidenceItem
from scape.vault.queries import visible_case_ids


class DerivativeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Derivative
        fields = ["id", "kind", "name", "sha256", "size", "content_type", "created_at"]


class EvidenceItemSerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    category: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    officer = serializers.CharField(
        source="officer.user.username", default=None, read_only=True, allow_null=True
    )
    cases: serializers.SlugRelatedField[Case] = serializers.SlugRelatedField(
        slug_field="reference", many=True, read_only=True
    )
    derivatives = DerivativeSerializer(many=True, read_only=True)
    # The case ids the caller may see, found once per response (not per item).
    _visible_cases: set[int] | None = None

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

    def to_representation(self, instance: EvidenceItem) -> dict[str, Any]:
        """Describe the item; to a partner shown redacted copies only, only the redacted copy.

        The view puts the ids of such items in the context as ``redacted_only``.
        """
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and instance.organization_id != actor_of(user).organization_id:
            # A partner learns only the cases it may open itself: the owner's case
            # references often say whom they are about.
            visible = self._visible_cases
            if visible is None:
                visible = self._visible_cases = set(visible_case_ids(user))
            data["cases"] = [c.reference for c in instance.cases.all() if c.pk in visible]
        if instance.pk not in self.context.get("redacted_only", ()):
            return data
        redacted = redacted_file(instance)
        data.update(
            original_name=redacted.name if redacted else "",
            sha256=redacted.sha256 if redacted else "",
            size=redacted.size if redacted else None,
            content_type=redacted.content_type if redacted else "",
            device_serial="",
            officer=None,
            metadata={},
            unreadable_reason="",
            derivatives=[d for d in data["derivatives"] if d["kind"] == DerivativeKind.REDACTED],
        )
        for d in data["derivatives"]:
            d["name"] = redacted_name(instance, d["name"])
        return data


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


class LimitedCustodyEventSerializer(serializers.ModelSerializer):
    """A custody event as a partner shown redacted copies only reads it (no reasons, recipients)."""

    class Meta:
        model = AuditEvent
        fields = ["id", "time", "actor_username", "actor_org", "action", "outcome", "hash"]
        read_only_fields = fields


class CustodyEventSerializer(serializers.ModelSerializer):
    # Left out (LimitedCustodyEventSerializer) for a partner shown redacted copies only.
    reason = serializers.CharField(required=False, help_text="left out for a redacted-only partner")
    recipient = serializers.CharField(
        required=False, help_text="left out for a redacted-only partner"
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id", "time", "actor_username", "actor_org", "action", "outcome", "reason",
            "recipient", "hash",
        ]  # fmt: skip
        read_only_fields = fields
