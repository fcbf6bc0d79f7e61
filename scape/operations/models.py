"""Incidents, joint patrols and what links them to the other apps."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scape.core.access import Policy, RestrictedQuerySet, actor_of
from scape.core.choices import Action, Role
from scape.core.translated import in_language
from scape.operations.choices import (
    IncidentStatus,
    LinkKind,
    MemberRole,
    PatrolStatus,
    PersonCategory,
    Severity,
    Transport,
)

_STAFF = frozenset(Role.values) - {Role.VOLUNTEER}
# Incidents and patrols name people: auditors read the audit log about them,
# volunteers only what they are assigned to or patrol in (docs/decisions.md).
_VIEWERS = _STAFF - {Role.AUDITOR}
# Who works incidents and patrols of their own organization.
OPERATORS = frozenset(
    {Role.OFFICER, Role.SPECIALIST, Role.COORDINATOR, Role.ORG_ADMIN, Role.SYS_ADMIN}
)
_SHARERS = frozenset({Role.OFFICER, Role.COORDINATOR, Role.ORG_ADMIN})


def _assigned_to_me(user: Any) -> Q:
    return Q(assigned_person__user=user)


INCIDENT_POLICY = Policy(
    own={
        Action.VIEW: _VIEWERS,
        Action.CHANGE: OPERATORS,
        Action.DELETE: frozenset({Role.ORG_ADMIN}),
        Action.SHARE: _SHARERS,
    },
    everywhere={Action.VIEW: frozenset({Role.SYS_ADMIN})},
    assigned=_assigned_to_me,
)


class IncidentType(models.Model):
    """A kind of incident, in a hierarchy (traffic → collision); editable in the admin."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent type"),
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_lt = models.CharField(_("name (Lithuanian)"), max_length=120)
    name_lv = models.CharField(_("name (Latvian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["parent__code", "code"]
        verbose_name = _("incident type")
        verbose_name_plural = _("incident types")

    def __str__(self) -> str:
        if self.parent_id and self.parent is not None:
            return f"{self.parent.name} / {self.name}"
        return self.name

    @property
    def name(self) -> str:
        """Return the name in the active language."""
        return in_language(self, "name")


class Incident(models.Model):
    """Something that happened at a place and time, worked by one organization."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("owning organization"),
    )
    reference = models.CharField(_("reference number"), max_length=60)
    type = models.ForeignKey(
        IncidentType, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("type")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    occurred_at = models.DateTimeField(_("occurred"), default=timezone.now, db_index=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    severity = models.CharField(
        _("severity"), max_length=16, choices=Severity.choices, default=Severity.MEDIUM
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=IncidentStatus.choices,
        default=IncidentStatus.REPORTED,
        db_index=True,
    )
    outcome = models.TextField(_("outcome"), blank=True)
    involved_organizations = models.ManyToManyField(
        "directory.Organization",
        blank=True,
        related_name="involved_in_incidents",
        verbose_name=_("involved organizations"),
    )
    assigned_organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_incidents",
        verbose_name=_("assigned organization"),
    )
    assigned_person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_incidents",
        verbose_name=_("assigned person"),
    )
    is_exercise = models.BooleanField(_("exercise"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Bumped by every save: the map's polls ask only for incidents changed since
    # the last one (scape.operations.queries.incident_features).
    updated_at = models.DateTimeField(_("changed"), auto_now=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()
    access_policy = INCIDENT_POLICY

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"], name="incident_unique_reference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("operations:incident", args=[self.pk])

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class IncidentPerson(models.Model):
    """A person involved in an incident, with their category (Directive 2016/680 Art. 6)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="people")
    category = models.CharField(_("category"), max_length=16, choices=PersonCategory.choices)
    name = models.CharField(_("name"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("person involved")
        verbose_name_plural = _("people involved")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_category_display()})"


class LogEntry(models.Model):
    """One entry of an incident's timeline, by a person of any organization that sees it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="log")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["time", "id"]
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.text[:40]}"


class IncidentLink(models.Model):
    """A record of another app tied to an incident, kept by id and label."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    label = models.CharField(_("label"), max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("linked record")
        verbose_name_plural = _("linked records")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "kind", "object_id"], name="incident_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"


def _on_patrol(user: Any) -> Q:
    return Q(members__person__user=user)


PATROL_POLICY = Policy(
    own={
        Action.VIEW: _VIEWERS,
        Action.CHANGE: frozenset({Role.OFFICER, Role.SPECIALIST, Role.COORDINATOR, Role.ORG_ADMIN}),
        Action.DELETE: frozenset({Role.COORDINATOR, Role.ORG_ADMIN}),
        Action.SHARE: frozenset({Role.COORDINATOR, Role.ORG_ADMIN}),
    },
    everywhere={Action.VIEW: frozenset({Role.SYS_ADMIN})},
    assigned=_on_patrol,
)


class PatrolQuerySet(RestrictedQuerySet["Patrol"]):
    """Patrols: also visible to the staff of every organization with a member on the team."""

    def restrict(self, user: Any, action: str = Action.VIEW) -> RestrictedQuerySet[Patrol]:
        restricted = super().restrict(user, action)
        actor = actor_of(user)
        if action != Action.VIEW or not actor.has_any(_VIEWERS) or actor.organization_id is None:
            return restricted
        teamed = Patrol.objects.filter(
            members__person__organization_id=actor.organization_id
        ).values("pk")
        return self.filter(Q(pk__in=restricted.values("pk")) | Q(pk__in=teamed))


class Patrol(models.Model):
    """A joint patrol: when, where, who (from several organizations), with what."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="patrols",
        verbose_name=_("owning organization"),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("start"), db_index=True)
    ends_at = models.DateTimeField(_("end"))
    area = models.JSONField(_("area"), default=dict, blank=True)
    route = models.TextField(_("route"), blank=True)
    talk_group = models.CharField(_("radio talk group"), max_length=60, blank=True)
    briefing = models.TextField(_("briefing notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PatrolStatus.choices, default=PatrolStatus.PLANNED
    )
    equipment = models.ManyToManyField(
        "equipment.Asset", blank=True, related_name="patrols", verbose_name=_("equipment")
    )
    report = models.TextField(_("what was done"), blank=True)
    incidents = models.ManyToManyField(
        Incident, blank=True, related_name="patrols", verbose_name=_("incidents created")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = PatrolQuerySet.as_manager()
    access_policy = PATROL_POLICY

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("operations:patrol", args=[self.pk])


class PatrolMember(models.Model):
    """One person on a patrol team, with their role, transport and distance."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="patrol_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    transport = models.CharField(
        _("transport"), max_length=12, choices=Transport.choices, default=Transport.FOOT
    )
    km = models.DecimalField(
        _("distance (km)"), max_digits=7, decimal_places=1, null=True, blank=True
    )

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("patrol member")
        verbose_name_plural = _("patrol members")
        constraints = [
            models.UniqueConstraint(fields=["patrol", "person"], name="patrol_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"
