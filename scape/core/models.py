"""Core models: the audit chain, access grants, background jobs, worker heartbeat.

Core holds no domain models. It names the organization model by string
("directory.Organization") and never imports it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scape.core.choices import JobStatus, Outcome, TokenScope

GENESIS_HASH = "0" * 64


class AuditImmutableError(Exception):
    """Raised when code tries to change or remove an audit event."""


_M = TypeVar("_M", bound=models.Model)


class AppendOnlyQuerySet(models.QuerySet[_M]):
    """A queryset that refuses bulk updates and deletes (the database refuses them too)."""

    def update(self, **kwargs: Any) -> int:
        raise AuditImmutableError(f"{self.model._meta.verbose_name_plural} are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError(f"{self.model._meta.verbose_name_plural} are append-only")


class AppendOnlyModel(models.Model):
    """A record written once: saving an existing row or deleting one raises.

    The database refuses the same on PostgreSQL (core migrations 0002, 0005).
    """

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AuditImmutableError(f"{self._meta.verbose_name_plural} are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError(f"{self._meta.verbose_name_plural} are append-only")


# The fields an audit event's hash covers (all but the id and the hash itself).
HASHED_FIELDS = (
    "time",
    "actor_id",
    "actor_username",
    "actor_org",
    "subject_org",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "outcome",
    "ip",
    "request_id",
    "reason",
    "recipient",
    "details",
    "prev_hash",
)


def canonical_bytes(values: Any) -> bytes:
    """Return the bytes an event's hash covers, from a mapping of HASHED_FIELDS.

    One definition for the model (when an event is written) and for the
    verifier, which reads rows as plain values to walk a long chain fast.
    """
    payload = {name: values[name] for name in HASHED_FIELDS}
    payload["time"] = values["time"].astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()


class AuditEvent(AppendOnlyModel):
    """One entry of the append-only audit log, chained to the previous by SHA-256."""

    time = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    actor_org = models.CharField(_("actor's organization"), max_length=32, blank=True)
    subject_org = models.CharField(
        _("owning organization"), max_length=32, blank=True, db_index=True
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AppendOnlyQuerySet["AuditEvent"].as_manager()

    class Meta:
        ordering = ["id"]
        # An auditor's log is "events by or about my organization": both sides
        # indexed, so the OR is two index scans. (Meta indexes, not db_index:
        # altering a field makes SQLite rebuild the table, which would drop
        # the append-only triggers.)
        indexes = [models.Index(fields=["actor_org"], name="core_audit_actor_org")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def canonical(self) -> bytes:
        """Return the bytes the hash covers: every field but the id and the hash.

        The id is left out so that the hash is known before the single INSERT
        (the database refuses any later UPDATE); order is fixed by prev_hash.
        """
        return canonical_bytes({name: getattr(self, name) for name in HASHED_FIELDS})

    def compute_hash(self) -> str:
        """Return the SHA-256 of this event's canonical form."""
        return hashlib.sha256(self.canonical()).hexdigest()


class AuditCheckpoint(AppendOnlyModel):
    """An organization's signed statement of the audit chain's length and head.

    Copies also go to the partners' witness folders (scape/core/checkpoints.py),
    so that a wipe or rewrite of this table and the log together is still seen.
    """

    organization_code = models.CharField(_("organization"), max_length=32, db_index=True)
    count = models.PositiveBigIntegerField(_("events"))
    head = models.CharField(_("head hash"), max_length=64)
    signed_at = models.CharField(_("signed at"), max_length=40)
    public_key = models.CharField(_("public key"), max_length=64)
    signature = models.CharField(_("signature"), max_length=128)

    objects = AppendOnlyQuerySet["AuditCheckpoint"].as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"{self.organization_code} {self.count} {self.head[:12]}"


class GrantQuerySet(models.QuerySet["Grant"]):
    def active(self, at: Any = None) -> GrantQuerySet:
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=at)

    def for_model(self, model: type[models.Model]) -> GrantQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(model))

    def for_record(self, obj: models.Model) -> GrantQuerySet:
        """Every grant of one record, active or not, with its grantee."""
        return self.for_model(type(obj)).filter(object_id=obj.pk).select_related("grantee")


class Grant(models.Model):
    """Share one record with another organization, for a purpose, until an expiry."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("object id"))
    owner = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="grants_given",
        verbose_name=_("owning organization"),
    )
    grantee = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="grants_received",
        verbose_name=_("shared with"),
    )
    purpose = models.TextField(_("purpose"))
    allow_download = models.BooleanField(_("may download"), default=False)
    redacted_only = models.BooleanField(
        _("redacted copies only"),
        default=False,
        help_text=_(
            "The partner sees only copies with faces and plates hidden, never the original."
        ),
    )
    expires_at = models.DateTimeField(_("expires"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("share grant")
        verbose_name_plural = _("share grants")
        indexes = [models.Index(fields=["content_type", "grantee", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type.model}:{self.object_id} → {self.grantee_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class Job(models.Model):
    """Progress of one piece of long work, shown by pages and the command line."""

    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.FloatField(_("progress"), default=0.0)
    message = models.TextField(_("message"), blank=True)
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("organization"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The title and message are stored as written in the code (English, with
    # %(name)s placeholders) and shown in each reader's language: a job one
    # partner started is read by another in theirs (shown_title, shown_message).
    params = models.JSONField(default=dict, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    # The worker running this job beats here (scape worker); a running job whose
    # beat stopped is given back to the queue (scape/core/recovery.py).
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    def _shown(self, text: str) -> str:
        translated = gettext(text) if text else ""
        if not self.params:
            return translated
        try:
            return translated % self.params
        except (KeyError, ValueError, TypeError):
            return translated  # a message that came without placeholders, e.g. "100%"

    @property
    def shown_title(self) -> str:
        """The title in the active language."""
        return self._shown(self.title)

    @property
    def shown_message(self) -> str:
        """The last message in the active language."""
        return self._shown(self.message)


class WorkerHeartbeat(models.Model):
    """Last sign of life of one background worker, for /healthz."""

    worker_id = models.CharField(max_length=128, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker_id


class ScheduleState(models.Model):
    """When a periodic job last ran, and how it went."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_result = models.TextField(blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name


class ApiTokenScope(models.Model):
    """The scope and expiry chosen for an API token (scape.core.api.ScopedTokenAuthentication)."""

    token = models.OneToOneField(
        "authtoken.Token", on_delete=models.CASCADE, related_name="scope", primary_key=True
    )
    scope = models.CharField(
        _("scope"), max_length=16, choices=TokenScope.choices, default=TokenScope.READ
    )
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("API token scope")
        verbose_name_plural = _("API token scopes")

    def __str__(self) -> str:
        return f"{self.scope} until {self.expires_at:%Y-%m-%d}"


class SignInLink(models.Model):
    """An account here that its owner linked to their identity at the sign-in service.

    Made only by the person themselves, signed in here and then at the provider
    (scape.core.sso): a provider's subject never takes over an account by an
    e-mail address or a name.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_link"
    )
    subject = models.CharField(_("subject at the sign-in service"), max_length=255, unique=True)
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)

    class Meta:
        verbose_name = _("single sign-on link")
        verbose_name_plural = _("single sign-on links")

    def __str__(self) -> str:
        return f"{self.user} = {self.subject}"


class SecondFactorPermit(models.Model):
    """An administrator's leave for a user to enrol an authenticator, until a deadline.

    Without one, knowing a not-yet-enrolled user's password would be enough to
    register one's own authenticator in their name. A permit is given when an
    administrator creates the account or resets its second factor, and is used
    up by the enrolment.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="second_factor_permit",
    )
    expires_at = models.DateTimeField(_("expires"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("leave to set up two-factor login")
        verbose_name_plural = _("leaves to set up two-factor login")

    def __str__(self) -> str:
        return f"{self.user_id} until {self.expires_at:%Y-%m-%d}"


class Download(models.Model):
    """A file a worker prepared for one person (a large export), kept a few days.

    Made by the maker registered for ``kind`` (scape.core.downloads) from
    ``params``, as ``created_by`` would see it; only they download it.
    """

    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    job = models.OneToOneField(Job, on_delete=models.SET_NULL, null=True, blank=True)
    # The name the file downloads as, and where it lies in the default storage
    # (the bucket when one is set, so any web node serves it).
    name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    file_name = models.CharField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("kept until"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="core_download_owner")]
        verbose_name = _("prepared download")
        verbose_name_plural = _("prepared downloads")

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
