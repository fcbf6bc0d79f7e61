"""Choices shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    SPECIALIST = "specialist", _("Public-order specialist")
    VOLUNTEER = "volunteer", _("Volunteer")
    COORDINATOR = "coordinator", _("Coordinator")
    CUSTODIAN = "custodian", _("Evidence custodian")
    AUDITOR = "auditor", _("Auditor (data protection)")
    ORG_ADMIN = "org_admin", _("Organization administrator")
    SYS_ADMIN = "sys_admin", _("System administrator")


# Roles that can reach evidence: two-factor login is always required for them.
EVIDENCE_ROLES = frozenset(
    {
        Role.OFFICER,
        Role.COORDINATOR,
        Role.CUSTODIAN,
        Role.AUDITOR,
        Role.ORG_ADMIN,
        Role.SYS_ADMIN,
    }
)


class Action(models.TextChoices):
    VIEW = "view", _("view")
    CHANGE = "change", _("change")
    DELETE = "delete", _("delete")
    SHARE = "share", _("share")
    DOWNLOAD = "download", _("download")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("success")
    FAILURE = "failure", _("failure")
    DENIED = "denied", _("denied")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")


class TokenScope(models.TextChoices):
    """What an API token may do (on top of its user's roles)."""

    READ = "read", _("Read only")
    INTEGRATOR = "integrator", _("Read and write (integration)")
