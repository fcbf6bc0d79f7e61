"""Joint trainings, exercises, demonstrations and events; attendance, certificates, competencies."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scape.activities.choices import (
    ActivityKind,
    ActivityStatus,
    Audience,
    CertificateState,
    RegistrationStatus,
)
from scape.core.access import Policy, RestrictedManager, actor_of
from scape.core.choices import Action, Role
from scape.core.translated import in_language
from scape.directory.choices import Country
from scape.equipment.choices import AssetKind


class Competency(models.Model):
    """A skill with a validity period (drone pilot, body-camera use, e-bike patrol, first aid)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_lt = models.CharField(_("name (Lithuanian)"), max_length=120)
    name_lv = models.CharField(_("name (Latvian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    validity_days = models.PositiveIntegerField(_("valid for (days)"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return in_language(self, "name")


class PersonCompetency(models.Model):
    """A person holds a competency from a date until an expiry (or for good)."""

    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="competencies"
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="holders")
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("evidence of the competency"), max_length=200, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        ordering = ["person", "competency"]
        verbose_name = _("competency held")
        verbose_name_plural = _("competencies held")

    def __str__(self) -> str:
        return f"{self.person}: {self.competency}"

    def expires_on(self) -> datetime.date | None:
        """Return the last day this holding is valid, or None when it does not expire."""
        if self.valid_until is not None:
            return self.valid_until
        if self.competency.validity_days:
            return self.valid_from + datetime.timedelta(days=self.competency.validity_days)
        return None


class KindRequirement(models.Model):
    """Check-out of every asset of a kind needs a valid competency.

    Activities owns the link between competencies and equipment, so the two
    apps' models depend one way only (activities → equipment); the check-out
    gate asks ``activities.queries.required_competency``. The table keeps the
    name it had in equipment.
    """

    kind = models.CharField(_("kind"), max_length=24, choices=AssetKind.choices, unique=True)
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT)

    class Meta:
        db_table = "equipment_kindrequirement"
        verbose_name = _("competency required for a kind")
        verbose_name_plural = _("competencies required for kinds")

    def __str__(self) -> str:
        return f"{self.kind} → {self.competency}"


# ---------------------------------------------------------------------------
# Activities, registrations, attendance, feedback, certificates
# ---------------------------------------------------------------------------

_ORGANIZER_ROLES = frozenset({Role.COORDINATOR, Role.ORG_ADMIN})
_EVERY_ROLE = frozenset(Role.values)


def _organized_by(org_id: int | None, path: str) -> Q:
    """Return a filter: the record's activity is organized (owned or co-organized) by `org_id`."""
    prefix = f"{path}__" if path else ""
    key = f"{path}__in" if path else "pk__in"
    co_organized = Activity.objects.filter(partners=org_id).values("pk")
    return Q(**{f"{prefix}organization_id": org_id}) | Q(**{key: co_organized})


@dataclass(frozen=True)
class OrganizerPolicy(Policy):
    """Access to activities and what hangs off them.

    The programme is joint: every member of a partner organization sees every
    activity that is not a draft. The coordinators and administrators of the
    organizing organizations (owner and co-organizers) change it and see its
    registrations, attendance, feedback and certificates; a person's own
    coordinator sees that person's records, and everyone sees their own.
    """

    activity_path: str = ""
    person_path: str = "person"
    public_view: bool = False

    def q_for(self, model: type[models.Model], user: Any, action: str) -> Q | None:
        actor = actor_of(user)
        if not actor.roles:
            return Q(pk__in=[])
        if Role.SYS_ADMIN in actor.roles:
            return None
        organizer = actor.has_any(_ORGANIZER_ROLES)
        q = Q(pk__in=[])
        if organizer:
            q |= _organized_by(actor.organization_id, self.activity_path)
        if action != Action.VIEW:
            return q
        if self.public_view:
            draft = f"{self.activity_path}__status" if self.activity_path else "status"
            return q | ~Q(**{draft: "draft"})
        q |= Q(**{f"{self.person_path}__user_id": actor.user_id})
        if organizer:
            q |= Q(**{f"{self.person_path}__organization_id": actor.organization_id})
        return q


class Activity(models.Model):
    """A joint training, exercise, demonstration, event or seminar of the partners."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=ActivityKind.choices, default=ActivityKind.TRAINING
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("organizing organization"),
    )
    partners = models.ManyToManyField(
        "directory.Organization",
        blank=True,
        related_name="co_organized_activities",
        verbose_name=_("co-organizers"),
    )
    title_lt = models.CharField(_("title (Lithuanian)"), max_length=200, blank=True)
    title_lv = models.CharField(_("title (Latvian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_lt = models.TextField(_("description (Lithuanian)"), blank=True)
    description_lv = models.TextField(_("description (Latvian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    trainers = models.ManyToManyField(
        "directory.Person",
        blank=True,
        related_name="activities_trained",
        verbose_name=_("trainers"),
    )
    topics = models.TextField(_("topics"), blank=True, help_text=_("One topic per line."))
    competencies = models.ManyToManyField(
        Competency, blank=True, related_name="activities", verbose_name=_("competencies granted")
    )
    equipment = models.ManyToManyField(
        "equipment.Asset", blank=True, related_name="activities", verbose_name=_("equipment used")
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    audience = models.JSONField(_("audience"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = RestrictedManager()
    access_policy = OrganizerPolicy(own={}, public_view=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:activity", args=[self.pk])

    @property
    def title(self) -> str:
        """Return the title in the active language, falling back to English."""
        return in_language(self, "title")

    def title_in(self, language: str) -> str:
        return in_language(self, "title", language)

    @property
    def description(self) -> str:
        return in_language(self, "description")

    def organizers(self) -> list[Any]:
        """Return the organizing organizations, the owner first."""
        others = [o for o in self.partners.all() if o.pk != self.organization_id]
        return [self.organization, *sorted(others, key=lambda o: o.code)]

    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.topics.splitlines() if t.strip()]

    def audience_labels(self) -> list[str]:
        return [str(Audience(a).label) for a in self.audience if a in Audience.values]


class Session(models.Model):
    """One sitting of an activity, with its own time and place; attendance is ticked per session."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)

    objects = RestrictedManager()
    access_policy = OrganizerPolicy(own={}, activity_path="activity", public_view=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.activity} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> Decimal:
        """Return the session's length in hours, to a quarter of an hour."""
        seconds = max((self.ends_at - self.starts_at).total_seconds(), 0)
        return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))


class Registration(models.Model):
    """A person's place (or wish for one) in an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="registrations"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REQUESTED,
    )
    nominated_by = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("nominated by"),
    )
    position = models.PositiveIntegerField(_("place on the waiting list"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = RestrictedManager()
    access_policy = OrganizerPolicy(own={}, activity_path="activity")

    class Meta:
        ordering = ["activity", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="registration_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.activity}"


class Attendance(models.Model):
    """Whether a person was present at a session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="attendance"
    )
    present = models.BooleanField(_("present"), default=False)
    marked_at = models.DateTimeField(_("marked"), default=timezone.now)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RestrictedManager()
    access_policy = OrganizerPolicy(own={}, activity_path="session__activity")

    class Meta:
        ordering = ["session", "person"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.session}"

    @property
    def hours(self) -> Decimal:
        """Return the hours this attendance counts: the session's length when present."""
        return self.session.hours if self.present else Decimal("0")


def _rating(label: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class Feedback(models.Model):
    """A participant's answers to the short survey after an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="feedback")
    person = models.ForeignKey("directory.Person", on_delete=models.CASCADE, related_name="+")
    overall = _rating(_("overall"))
    content = _rating(_("content"))
    trainers = _rating(_("trainers"))
    organization = _rating(_("organization"))
    usefulness = _rating(_("usefulness for my work"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedManager()
    access_policy = OrganizerPolicy(own={}, activity_path="activity")

    class Meta:
        ordering = ["activity", "-created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="feedback_once")]

    def __str__(self) -> str:
        return f"{self.person} → {self.activity}"


RATING_FIELDS = ("overall", "content", "trainers", "organization", "usefulness")


def new_certificate_code() -> str:
    """Return a fresh verification code: random, unguessable and safe in a URL."""
    return secrets.token_urlsafe(15)


class Certificate(models.Model):
    """Proof that a person completed an activity; anyone can verify it by its code."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="certificates")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="certificates"
    )
    code = models.CharField(
        _("verification code"), max_length=40, unique=True, default=new_certificate_code
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    hours = models.DecimalField(_("hours attended"), max_digits=7, decimal_places=2, default=0)

    objects = RestrictedManager()
    access_policy = OrganizerPolicy(own={}, activity_path="activity")

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="certificate_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.activity}"

    def get_absolute_url(self) -> str:
        return reverse("activities_public:verify", args=[self.code])

    def state(self, on: datetime.date | None = None) -> str:
        """Return valid, expired or revoked on a day (today by default)."""
        if self.revoked_at is not None:
            return CertificateState.REVOKED
        on = on or timezone.localdate()
        if self.expires_at is not None and self.expires_at < on:
            return CertificateState.EXPIRED
        return CertificateState.VALID

    def state_label(self) -> str:
        return str(CertificateState(self.state()).label)


class CalendarFeed(models.Model):
    """A person's secret for subscribing to calendar feeds without logging in."""

    person = models.OneToOneField(
        "directory.Person", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_certificate_code)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.person)


class ContactCard(models.Model):
    """Whom to call for what: a person's card in the cross-border contact directory."""

    person = models.OneToOneField(
        "directory.Person", on_delete=models.CASCADE, related_name="contact_card"
    )
    role = models.CharField(_("role in the cooperation"), max_length=120, blank=True)
    topics = models.TextField(
        _("call me about"), blank=True, help_text=_("What to call this person for, one per line.")
    )
    talk_group = models.CharField(_("radio talk group"), max_length=60, blank=True)
    visible = models.BooleanField(_("shown to the partners"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["person__organization", "person__user__last_name"]
        verbose_name = _("contact card")
        verbose_name_plural = _("contact cards")

    def __str__(self) -> str:
        return str(self.person)

    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.topics.splitlines() if t.strip()]
