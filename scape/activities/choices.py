"""Choices of activities: kinds, statuses, audiences."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Training")
    EXERCISE = "exercise", _("Practical exercise")
    DEMONSTRATION = "demonstration", _("Equipment demonstration")
    JOINT_EVENT = "joint_event", _("Joint event")
    SEMINAR = "seminar", _("Seminar or meeting")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for registration")
    CLOSED = "closed", _("Registration closed")
    COMPLETED = "completed", _("Completed")


class Audience(models.TextChoices):
    OFFICERS = "officer", _("Officers")
    SPECIALISTS = "specialist", _("Public-order specialists")
    VOLUNTEERS = "volunteer", _("Volunteers")


class RegistrationStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")


# Registrations that hold or wait for a place.
ACTIVE_REGISTRATION = frozenset(
    {RegistrationStatus.REQUESTED, RegistrationStatus.APPROVED, RegistrationStatus.WAITLISTED}
)


class CertificateState(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
