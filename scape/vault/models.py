"""Evidence: stored originals, items, derivatives, cases, retention, external links."""

from __future__ import annotations

import uuid
from dataclasses import replace

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from scape.core.access import Policy, RestrictedManager
from scape.core.choices import Action, Role
from scape.core.translated import in_language
from scape.vault.choices import (
    CaseStatus,
    DeletionStatus,
    DerivativeKind,
    Integrity,
    ItemStatus,
    MediaKind,
    SourceType,
)

# Who reaches evidence in their own organization. Auditors read the audit log
# and nothing else of evidence; volunteers and specialists none of it.
_EVIDENCE_VIEW = frozenset({Role.OFFICER, Role.COORDINATOR, Role.CUSTODIAN, Role.ORG_ADMIN})
_CUSTODY = frozenset({Role.CUSTODIAN, Role.ORG_ADMIN})
_SHARE = frozenset({Role.CUSTODIAN, Role.COORDINATOR})

EVIDENCE_POLICY = Policy(
    own={
        Action.VIEW: _EVIDENCE_VIEW,
        Action.DOWNLOAD: _EVIDENCE_VIEW,
        Action.CHANGE: _CUSTODY | {Role.COORDINATOR},
        Action.DELETE: frozenset({Role.CUSTODIAN}),
        Action.SHARE: _SHARE,
    },
    granted=frozenset({Action.VIEW, Action.DOWNLOAD}),
)
ITEM_POLICY = replace(EVIDENCE_POLICY, shared_through=(("cases", "vault.Case"),))


class Blob(models.Model):
    """Stored bytes of an original, addressed by SHA-256 and written once."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size"))
    storage_key = models.CharField(_("storage key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("stored"), default=timezone.now)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return self.sha256


class Category(models.Model):
    """An evidence category of one organization (e.g. traffic offence, assault)."""

    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, verbose_name=_("organization")
    )
    code = models.SlugField(_("code"), max_length=40)
    name_lt = models.CharField(_("name (Lithuanian)"), max_length=120)
    name_lv = models.CharField(_("name (Latvian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    objects = RestrictedManager()
    access_policy = Policy(
        own={Action.VIEW: _EVIDENCE_VIEW, Action.CHANGE: _CUSTODY},
        granted=frozenset(),
    )

    class Meta:
        ordering = ["organization", "code"]
        verbose_name = _("evidence category")
        verbose_name_plural = _("evidence categories")
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="category_unique_code")
        ]

    def __str__(self) -> str:
        return in_language(self, "name")


class RetentionPolicy(models.Model):
    """How long evidence is kept: per category, per source type, or the organization default.

    Where several policies apply to an item, the longest keep wins.
    """

    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, verbose_name=_("organization")
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("category")
    )
    source_type = models.CharField(
        _("source type"), max_length=20, choices=SourceType.choices, blank=True
    )
    keep_days = models.PositiveIntegerField(_("keep for (days)"))
    review_days = models.PositiveIntegerField(
        _("review after (days)"),
        null=True,
        blank=True,
        help_text=_("Items kept longer than this appear on the review list."),
    )

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "category", "source_type"],
                name="retention_policy_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.organization_id}: {self.category or self.source_type or '*'} {self.keep_days}d"
        )


class EvidenceItem(models.Model):
    """One piece of evidence: an original file and what is known about it."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("organization"),
    )
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, null=True, related_name="items")
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size"))
    original_name = models.CharField(_("file name"), max_length=255)
    # What the custodian or officer says the item shows; searched with its tags.
    title = models.CharField(_("title"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    media_kind = models.CharField(_("kind"), max_length=10, choices=MediaKind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    source_type = models.CharField(
        _("source"), max_length=20, choices=SourceType.choices, default=SourceType.UPLOAD
    )
    device_serial = models.CharField(_("device serial"), max_length=80, blank=True)
    officer = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer"),
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    ingested_at = models.DateTimeField(_("ingested"), default=timezone.now)
    ingested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("category")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.AVAILABLE
    )
    unreadable_reason = models.TextField(_("why unreadable"), blank=True)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    gps_track = models.JSONField(_("GPS track"), default=list, blank=True)
    integrity = models.CharField(
        _("integrity"), max_length=12, choices=Integrity.choices, default=Integrity.UNCHECKED
    )
    verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    hold_reason = models.TextField(_("hold reason"), blank=True)
    retain_until = models.DateTimeField(_("keep until"), null=True, blank=True, db_index=True)
    review_at = models.DateTimeField(_("review on"), null=True, blank=True)
    binned_at = models.DateTimeField(_("moved to recovery bin"), null=True, blank=True)
    destroy_after = models.DateTimeField(_("bytes destroyed after"), null=True, blank=True)

    objects = RestrictedManager()
    access_policy = ITEM_POLICY

    class Meta:
        ordering = ["-ingested_at"]
        # The evidence list pages by (ingested_at, id) (scape.core.keyset).
        indexes = [models.Index(fields=["ingested_at", "id"], name="vault_item_ingested")]
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")
        constraints = [
            # One original per organization per content: a second ingest is a duplicate.
            models.UniqueConstraint(
                fields=["organization", "sha256"], name="item_unique_content_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("vault:item", args=[self.pk])

    @property
    def in_open_case(self) -> bool:
        return self.cases.filter(status=CaseStatus.OPEN).exists()

    @property
    def protected(self) -> bool:
        """Return whether nothing may delete this item now (hold or open case)."""
        return (
            self.legal_hold
            or self.cases.filter(Q(status=CaseStatus.OPEN) | Q(legal_hold=True)).exists()
        )


class Derivative(models.Model):
    """A file made from an item (proxy, thumbnail, redacted copy) or attached to it."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="derivatives")
    kind = models.CharField(_("kind"), max_length=16, choices=DerivativeKind.choices)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    storage_key = models.CharField(_("storage key"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    name = models.CharField(_("file name"), max_length=255)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["item", "kind", "created_at"]
        verbose_name = _("derived file")
        verbose_name_plural = _("derived files")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.item_id}"


class ItemTag(models.Model):
    """A word an item is tagged with (lower case), for finding it again."""

    item = models.ForeignKey(
        EvidenceItem, on_delete=models.CASCADE, related_name="tags", verbose_name=_("item")
    )
    name = models.CharField(_("tag"), max_length=40, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.UniqueConstraint(fields=["item", "name"], name="item_tag_once")]

    def __str__(self) -> str:
        return self.name


class SavedSearch(models.Model):
    """A search of the evidence list a person kept under a name (their own only)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("search"), max_length=2000)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_search_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """A case groups evidence items; items of an open case are never deleted by retention."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("organization"),
    )
    reference = models.CharField(_("reference"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    members = models.ManyToManyField(
        "directory.Person", blank=True, related_name="cases", verbose_name=_("members")
    )
    items = models.ManyToManyField(
        EvidenceItem, blank=True, related_name="cases", verbose_name=_("items")
    )
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    hold_reason = models.TextField(_("hold reason"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = RestrictedManager()
    access_policy = EVIDENCE_POLICY

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"], name="case_unique_reference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("vault:case", args=[self.pk])


class DeletionList(models.Model):
    """Items retention would delete, proposed and then confirmed by a custodian."""

    organization = models.ForeignKey("directory.Organization", on_delete=models.PROTECT)
    status = models.CharField(
        _("status"), max_length=12, choices=DeletionStatus.choices, default=DeletionStatus.PROPOSED
    )
    items = models.ManyToManyField(EvidenceItem, related_name="deletion_lists")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("deletion list")
        verbose_name_plural = _("deletion lists")

    def __str__(self) -> str:
        return f"{self.organization_id} {self.created_at:%Y-%m-%d} {self.status}"


class ExternalLink(models.Model):
    """A signed, expiring, counted link for a prosecutor or court; revocable."""

    organization = models.ForeignKey("directory.Organization", on_delete=models.PROTECT)
    item = models.ForeignKey(
        EvidenceItem, on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    recipient = models.CharField(_("recipient"), max_length=200)
    purpose = models.TextField(_("purpose"))
    use_redacted = models.BooleanField(_("redacted copies instead of originals"), default=False)
    expires_at = models.DateTimeField(_("expires"))
    max_downloads = models.PositiveIntegerField(_("maximum downloads"), default=5)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("external link")
        verbose_name_plural = _("external links")
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False) ^ Q(case__isnull=False),
                name="external_link_item_xor_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} ({self.expires_at:%Y-%m-%d})"

    @property
    def usable(self) -> bool:
        return (
            self.revoked_at is None
            and self.expires_at > timezone.now()
            and self.downloads < self.max_downloads
        )


class Upload(models.Model):
    """A resumable upload in progress (tus 1.0): bytes received so far, and for what."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("upload", "in progress")
        COMPLETE = "complete", pgettext_lazy("upload", "complete")
        FAILED = "failed", pgettext_lazy("upload", "failed")
        EXPIRED = "expired", pgettext_lazy("upload", "expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey("directory.Organization", on_delete=models.CASCADE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    filename = models.CharField(_("file name"), max_length=255)
    length = models.PositiveBigIntegerField(_("size"))
    offset = models.PositiveBigIntegerField(_("received"), default=0)
    staging_name = models.CharField(max_length=100)
    # On an object store (docs/storage.md, "Uploads across machines") the
    # received bytes are parts of an S3 multipart upload plus a short "tail"
    # object not yet a whole part, and the running SHA-256 of every byte
    # received is kept here, so the next chunk may reach any web node.
    multipart_id = models.CharField(max_length=1024, blank=True)
    parts = models.JSONField(default=list, blank=True)
    tail_key = models.CharField(max_length=300, blank=True)
    hash_state = models.BinaryField(blank=True, default=b"")
    sha256 = models.CharField(max_length=64, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True)
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True)
    source_type = models.CharField(
        max_length=20, choices=SourceType.choices, default=SourceType.UPLOAD
    )
    device_serial = models.CharField(max_length=80, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    result = models.CharField(_("result"), max_length=300, blank=True)
    item = models.ForeignKey(
        EvidenceItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")

    def __str__(self) -> str:
        return f"{self.filename} {self.offset}/{self.length}"


class CaseExport(models.Model):
    """A court export of a case, built by a worker and kept for download for a few days.

    Only the person who asked for it downloads it (scape.vault.queries.access_export),
    and only while they still may download the case.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    job = models.OneToOneField("core.Job", on_delete=models.SET_NULL, null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    use_redacted = models.BooleanField(_("redacted copies where made"), default=False)
    # For items without a redacted copy when use_redacted: {"item id": "original" | "leave"}.
    choices = models.JSONField(
        _("choices for items without a redacted copy"), default=dict, blank=True
    )
    # Where the ZIP lies in the default storage (the bucket when one is set).
    file_name = models.CharField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("kept until"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("court export")
        verbose_name_plural = _("court exports")

    def __str__(self) -> str:
        return f"{self.case.reference} {self.created_at:%Y-%m-%d %H:%M}"


class RedactionSession(models.Model):
    """One redacted copy in the making: detected boxes, reviewed by a person, then rendered.

    The box list is a JSON Lines file in the engine's format (see
    scape.vision.boxes), written once per version into evidence storage under
    its own SHA-256; each edit stores a new version and points here to it.
    """

    class Status(models.TextChoices):
        DETECTING = "detecting", pgettext_lazy("redaction", "detecting")
        REVIEW = "review", pgettext_lazy("redaction", "awaiting review")
        RENDERING = "rendering", pgettext_lazy("redaction", "rendering")
        DONE = "done", pgettext_lazy("redaction", "done")
        FAILED = "failed", pgettext_lazy("redaction", "failed")

    class Mode(models.TextChoices):
        BLUR = "blur", _("Blur")
        PIXELATE = "pixelate", _("Pixelate")
        SOLID = "solid", _("Solid box")

    class Sound(models.TextChoices):
        MUTE = "mute", _("Silence")
        BLEEP = "bleep", _("Bleep")

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="redactions")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DETECTING
    )
    faces = models.BooleanField(_("faces"), default=True)
    plates = models.BooleanField(_("licence plates"), default=False)
    mode = models.CharField(_("mask"), max_length=10, choices=Mode.choices, default=Mode.BLUR)
    boxes_key = models.CharField(_("box list storage key"), max_length=200, blank=True)
    boxes_sha256 = models.CharField(_("box list SHA-256"), max_length=64, blank=True)
    # Stretches of the sound to take out of the copy, [[start_s, end_s], ...] sorted.
    sound_ranges = models.JSONField(_("sound taken out"), default=list, blank=True)
    sound = models.CharField(
        _("sound taken out with"), max_length=10, choices=Sound.choices, default=Sound.MUTE
    )
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    job = models.ForeignKey(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result = models.ForeignKey(
        Derivative, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("redaction")
        verbose_name_plural = _("redactions")

    def __str__(self) -> str:
        return f"{self.item_id} {self.created_at:%Y-%m-%d} {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("vault:redaction", args=[self.pk])


class BulkAction(models.Model):
    """Work asked for on many items at once: what, with what, on which items.

    A worker does it item by item through the same action as the item page
    (one audited event per item); the Job shows its progress and outcome.
    """

    job = models.OneToOneField("core.Job", on_delete=models.CASCADE, related_name="+")
    op = models.CharField(_("what"), max_length=20)
    options = models.JSONField(_("with"), default=dict, blank=True)
    item_ids = models.JSONField(_("items"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("work on many items")
        verbose_name_plural = _("work on many items")

    def __str__(self) -> str:
        return f"{self.op}: {len(self.item_ids)}"
