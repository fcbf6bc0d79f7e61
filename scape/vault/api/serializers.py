"""Serializers of the vault API."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scape.core.access import actor_of
from scape.core.api import record_id
from scape.core.models import AuditEvent
from scape.vault.actions.finding import BULK_OPS
from scape.vault.choices import DerivativeKind
from scape.vault.disclosure import redacted_file, redacted_name
from scape.vault.models import Case, DeletionList, Derivative, EvidenceItem
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
    tags: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )
    # The case ids the caller may see, found once per response (not per item).
    _visible_cases: set[int] | None = None

    class Meta:
        model = EvidenceItem
        fields = [
            "id", "organization", "original_name", "title", "notes", "tags", "sha256", "size",
            "media_kind",
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
            notes="",
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


class DescribeSerializer(serializers.Serializer):
    """What an item shows: its title, notes and tags (the whole description, replaced)."""

    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list, max_length=20
    )


class BulkSerializer(serializers.Serializer):
    """One step on many items: the ids, or every item matching the evidence list's ``query``."""

    op = serializers.ChoiceField(choices=list(BULK_OPS))
    items = serializers.ListField(child=record_id(), required=False)
    query = serializers.CharField(
        required=False,
        max_length=2000,
        help_text="A query string of the evidence list's filters, e.g. q=pier&retention=held",
    )
    options = serializers.DictField(
        required=False,
        default=dict,
        help_text=(
            "category (id or null), tags (list or text), case (id), reason, partner (id), "
            "purpose, days, redacted_only, allow_download: as the step needs"
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("items")) == bool(attrs.get("query")):
            raise serializers.ValidationError(_("Give either the items or a search, not both."))
        return attrs


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    progress = serializers.FloatField()
    title = serializers.CharField(source="shown_title")
    message = serializers.CharField(source="shown_message")


class CaseInputSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=60)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class CaseItemsSerializer(serializers.Serializer):
    items = serializers.ListField(child=record_id(), min_length=1, max_length=500)


class HoldSerializer(serializers.Serializer):
    hold = serializers.BooleanField()
    reason = serializers.CharField(min_length=5, max_length=1000)


class ExportInputSerializer(serializers.Serializer):
    reason = serializers.CharField(min_length=5, max_length=300)
    recipient = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    redacted = serializers.BooleanField(required=False, default=False)
    choices = serializers.DictField(
        child=serializers.ChoiceField(choices=["original", "leave"]),
        required=False,
        default=dict,
        help_text='For items without a redacted copy: {"item id": "original" | "leave"}',
    )


class ExportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.CharField(source="case.reference")
    job = serializers.IntegerField(source="job_id", allow_null=True)
    use_redacted = serializers.BooleanField()
    choices = serializers.DictField()
    expires_at = serializers.DateTimeField()
    ready = serializers.SerializerMethodField(help_text="The ZIP is built and may be downloaded.")
    sha256 = serializers.CharField(help_text="The ZIP's SHA-256, once built.")
    size = serializers.IntegerField()
    download = serializers.SerializerMethodField(
        help_text="Where the ZIP is downloaded with the same token, once built."
    )

    def get_ready(self, export: Any) -> bool:
        return bool(export.file_name)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, export: Any) -> str | None:
        if not export.file_name:
            return None
        path = reverse("api:vault-export-download", args=[export.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class CaseLinkInputSerializer(serializers.Serializer):
    recipient = serializers.CharField(max_length=200)
    purpose = serializers.CharField(max_length=1000)
    expires_at = serializers.DateTimeField()
    max_downloads = serializers.IntegerField(min_value=1, max_value=100, default=5)
    use_redacted = serializers.BooleanField(required=False, default=False)


class CaseLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="Shown once: SCAPE keeps only its hash.")
    expires_at = serializers.DateTimeField()
    max_downloads = serializers.IntegerField()


class RedactInputSerializer(serializers.Serializer):
    faces = serializers.BooleanField(required=False, default=True)
    plates = serializers.BooleanField(required=False, default=False)


class RedactionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    item = serializers.IntegerField(source="item_id")
    status = serializers.CharField()
    job = serializers.IntegerField(source="job_id", allow_null=True)
    review_url = serializers.CharField(source="get_absolute_url", help_text="Its review page")


class DeletionListSerializer(serializers.ModelSerializer):
    items: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    confirmed_by = serializers.CharField(
        source="confirmed_by.username", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = DeletionList
        fields = ["id", "status", "items", "created_at", "confirmed_by", "confirmed_at"]
        read_only_fields = fields
