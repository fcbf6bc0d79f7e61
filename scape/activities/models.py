"""Joint trainings, exercises, demonstrations and events; attendance, certificates, competencies."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


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
        language = (translation.get_language() or "en")[:2]
        return getattr(self, f"name_{language}", "") or self.name_en


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
