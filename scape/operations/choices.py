"""Choices of the joint operations app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical")


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("reported")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    CLOSED = "closed", _("closed")


# The status workflow: where an incident may go from each status.
TRANSITIONS: dict[str, frozenset[str]] = {
    IncidentStatus.REPORTED: frozenset({IncidentStatus.ASSIGNED, IncidentStatus.CLOSED}),
    IncidentStatus.ASSIGNED: frozenset(
        {IncidentStatus.IN_PROGRESS, IncidentStatus.REPORTED, IncidentStatus.CLOSED}
    ),
    IncidentStatus.IN_PROGRESS: frozenset({IncidentStatus.CLOSED, IncidentStatus.ASSIGNED}),
    IncidentStatus.CLOSED: frozenset({IncidentStatus.IN_PROGRESS}),
}

# Where the partner organization an incident is assigned to may move it: forward only;
# sending it back or reopening it is the owning organization's call.
PARTNER_TRANSITIONS: dict[str, frozenset[str]] = {
    IncidentStatus.ASSIGNED: frozenset({IncidentStatus.IN_PROGRESS, IncidentStatus.CLOSED}),
    IncidentStatus.IN_PROGRESS: frozenset({IncidentStatus.CLOSED}),
}


class PersonCategory(models.TextChoices):
    """Categories of data subjects, EU Directive 2016/680 Art. 6."""

    SUSPECT = "suspect", _("suspect")
    VICTIM = "victim", _("victim")
    WITNESS = "witness", _("witness")
    OTHER = "other", _("other")


class LinkKind(models.TextChoices):
    EVIDENCE_ITEM = "evidence_item", _("evidence item")
    PLATE_HIT = "plate_hit", _("plate hit")
    ASSET = "asset", _("asset")
    DRONE_FLIGHT = "drone_flight", _("drone flight")


class PatrolStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ACTIVE = "active", _("active")
    DONE = "done", _("done")


class MemberRole(models.TextChoices):
    LEADER = "leader", _("leader")
    MEMBER = "member", _("member")


class Transport(models.TextChoices):
    FOOT = "foot", _("on foot")
    BICYCLE = "bicycle", _("bicycle")
    E_BIKE = "e_bike", _("e-bike")
    TRICYCLE = "tricycle", _("tricycle")
    CAR = "car", _("car")
    BOAT = "boat", _("boat")
    OTHER = "other", _("other")


# Sea-side colours of the map markers by severity.
SEVERITY_COLORS: dict[str, str] = {
    Severity.LOW: "#2e7d32",
    Severity.MEDIUM: "#f9a825",
    Severity.HIGH: "#ef6c00",
    Severity.CRITICAL: "#b3261e",
}
