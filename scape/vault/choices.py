from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SourceType(models.TextChoices):
    BODY_CAM = "body_cam", _("Body-worn camera")
    TRAFFIC_CAM = "traffic_cam", _("Traffic or in-car camera")
    DRONE = "drone", _("Drone")
    UPLOAD = "upload", _("Upload")


class MediaKind(models.TextChoices):
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    IMAGE = "image", _("Image")


class ItemStatus(models.TextChoices):
    AVAILABLE = "available", pgettext_lazy("evidence status", "available")
    UNREADABLE = "unreadable", pgettext_lazy("evidence status", "unreadable")
    IN_BIN = "in_bin", pgettext_lazy("evidence status", "in recovery bin")
    DESTROYED = "destroyed", pgettext_lazy("evidence status", "destroyed")


class Integrity(models.TextChoices):
    UNCHECKED = "unchecked", pgettext_lazy("integrity", "not checked yet")
    OK = "ok", pgettext_lazy("integrity", "intact")
    MISMATCH = "mismatch", pgettext_lazy("integrity", "hash mismatch")
    MISSING = "missing", pgettext_lazy("integrity", "file missing")


class DerivativeKind(models.TextChoices):
    PROXY = "proxy", _("Playable copy")
    THUMBNAIL = "thumbnail", _("Thumbnail")
    REDACTED = "redacted", _("Redacted copy")
    TELEMETRY = "telemetry", _("Telemetry")


class CaseStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("case status", "open")
    CLOSED = "closed", pgettext_lazy("case status", "closed")


class DeletionStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("deletion list", "awaiting confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("deletion list", "confirmed")
    DONE = "done", pgettext_lazy("deletion list", "carried out")
