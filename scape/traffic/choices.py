"""Choices of the traffic app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    LT = "LT", _("Lithuania")
    LV = "LV", _("Latvia")


class ReadSource(models.TextChoices):
    CAMERA = "camera", _("camera")
    VAULT = "vault", _("vault footage")
    CLI = "cli", _("command line")


class HotlistReason(models.TextChoices):
    STOLEN_VEHICLE = "stolen_vehicle", _("stolen vehicle")
    WANTED_PERSON = "wanted_person", _("wanted person")
    MISSING_PERSON = "missing_person", _("missing person")
    OTHER = "other", _("other")


class HitOutcome(models.TextChoices):
    """What the operator found when they checked a hit."""

    CONFIRMED = "confirmed", _("confirmed: plate and vehicle match")
    MISREAD = "misread", _("misread: the camera read another plate")


class Direction(models.TextChoices):
    NORTH = "N", _("northbound")
    SOUTH = "S", _("southbound")
    EAST = "E", _("eastbound")
    WEST = "W", _("westbound")
    BOTH = "both", _("both directions")


# The kind of the Job that reads plates in an evidence item ("traffic.evidence_reads:<item>").
EVIDENCE_JOB = "traffic.evidence_reads"
