"""Organizations, units, people and their roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scape.core.access import Policy, RestrictedManager
from scape.core.choices import Action, Role
from scape.core.translated import in_language
from scape.directory.choices import Country, Gender, OrganizationKind

_ALL_ROLES = frozenset(Role.values)
_SYS = frozenset({Role.SYS_ADMIN})
_ORG_ADMIN = frozenset({Role.ORG_ADMIN})


class Organization(models.Model):
    """A partner agency: police, municipal police or municipality administration."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_lt = models.CharField(_("name (Lithuanian)"), max_length=200)
    name_lv = models.CharField(_("name (Latvian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    requires_two_factor_for_all = models.BooleanField(
        _("two-factor login for everyone"),
        default=False,
        help_text=_(
            "Roles that can reach evidence always use two-factor login; "
            "tick to require it of volunteers and specialists too."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    webhook_url = models.URLField(
        _("webhook URL"),
        blank=True,
        help_text=_(
            "Notifications for this organization are also posted here, signed with the secret."
        ),
    )
    webhook_secret = models.CharField(
        _("webhook secret"),
        max_length=128,
        blank=True,
        help_text=_("Shared secret for the X-Scape-Signature header (HMAC-SHA256 of the body)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedManager()

    access_policy = Policy(
        own={Action.VIEW: _ALL_ROLES, Action.CHANGE: _ORG_ADMIN},
        everywhere={Action.VIEW: _ALL_ROLES, Action.CHANGE: _SYS, Action.DELETE: _SYS},
        granted=frozenset(),
        org_field="pk",
    )

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organization", args=[self.pk])

    @property
    def name(self) -> str:
        """Return the name in the active language, falling back to English."""
        return in_language(self, "name")

    @property
    def address(self) -> str:
        return ", ".join(p for p in (self.street, f"{self.postal_code} {self.city}".strip()) if p)

    @property
    def display_time_zone(self) -> str:
        return time_zone_of(self.country)


def time_zone_of(country: str) -> str:
    """Return the time zone dates and times of a country's organizations are shown in."""
    return settings.SCAPE_DISPLAY_TIME_ZONES.get(country, "Europe/Vilnius")


class Unit(models.Model):
    """A unit or department inside an organization."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="units", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )

    objects = RestrictedManager()

    access_policy = Policy(
        own={Action.VIEW: _ALL_ROLES, Action.CHANGE: _ORG_ADMIN, Action.DELETE: _ORG_ADMIN},
        everywhere={Action.VIEW: _SYS, Action.CHANGE: _SYS, Action.DELETE: _SYS},
        granted=frozenset(),
    )

    class Meta:
        ordering = ["organization", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unit_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


def _own_record(user: Any) -> Q:
    return Q(user=user)


_STAFF = _ALL_ROLES - {Role.VOLUNTEER}


class Person(models.Model):
    """A person working for a partner organization, with their roles."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="person",
        verbose_name=_("user account"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organization"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("unit"),
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    badge_number = models.CharField(_("badge or ID number"), max_length=40, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    radio_call_sign = models.CharField(_("radio call sign"), max_length=40, blank=True)
    gender = models.CharField(
        _("gender"), max_length=16, choices=Gender.choices, default=Gender.UNSPECIFIED
    )
    ui_language = models.CharField(
        _("interface language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedManager()

    access_policy = Policy(
        own={
            Action.VIEW: _STAFF,
            Action.CHANGE: _ORG_ADMIN,
            Action.DELETE: _ORG_ADMIN,
            Action.SHARE: frozenset({Role.ORG_ADMIN, Role.COORDINATOR}),
        },
        everywhere={Action.VIEW: _SYS, Action.CHANGE: _SYS, Action.DELETE: _SYS},
        assigned=_own_record,
    )

    class Meta:
        ordering = ["organization", "user__last_name", "user__first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("directory:person", args=[self.pk])

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def role_codes(self) -> list[str]:
        """Return the codes of this person's roles."""
        return [r.role for r in self.role_assignments.all()]

    def role_labels(self) -> list[str]:
        return [str(Role(code).label) for code in sorted(self.role_codes())]


class RoleAssignment(models.Model):
    """One role held by one person in their organization."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )

    class Meta:
        ordering = ["person", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["person", "role"], name="role_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()}"


class Notification(models.Model):
    """A message for one person, shown live in the app (badge and list) and sent by e-mail."""

    recipient = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.SlugField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Closed as a pop-up: still unread (and counted) until opened, but no
    # longer covering the page on every load and poll.
    dismissed_at = models.DateTimeField(_("pop-up closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class WebhookDelivery(models.Model):
    """One attempt to post an event to an organization's webhook, kept for the administrator."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    event = models.SlugField(_("event"), max_length=60)
    url = models.URLField(_("URL"))
    payload = models.JSONField(_("payload"))
    status_code = models.PositiveIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event} → {self.url}"
