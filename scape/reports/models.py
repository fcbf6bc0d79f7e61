"""Programme indicators and dashboards, read-only over the other apps.

An indicator is data: its names, unit, target and the dotted path of the
registered query function that computes it (see scape.reports.indicators).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from scape.core.translated import in_language
from scape.reports.choices import IndicatorGroup, IndicatorUnit


class _Named(models.Model):
    name_lt = models.CharField(_("name (Lithuanian)"), max_length=200)
    name_lv = models.CharField(_("name (Latvian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Return the name in the active language, falling back to English."""
        return in_language(self, "name")

    def name_in(self, language: str) -> str:
        return in_language(self, "name", language)


class Indicator(_Named):
    """One figure the partners report: what it is called, its target, and how it is counted."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    unit = models.CharField(
        _("unit"), max_length=12, choices=IndicatorUnit.choices, default=IndicatorUnit.COUNT
    )
    target = models.DecimalField(
        _("target"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The value aimed at, shown beside the figure; empty when there is none."),
    )
    query = models.CharField(
        _("query"),
        max_length=200,
        help_text=_("Dotted path of a registered query function, e.g. %(example)s.")
        % {"example": "scape.reports.indicators.vault.evidence_ingested"},
    )
    group = models.CharField(_("group"), max_length=12, choices=IndicatorGroup.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["group", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:indicator", args=[self.code])


def validate_link(value: str) -> None:
    """Accept a path of SCAPE ("/activities/") or an http(s) address, nothing else."""
    if value.startswith(("/", "https://", "http://")) and not value.startswith("//"):
        return
    raise ValidationError(
        _("Give a path of SCAPE starting with / or an address starting with https://.")
    )


class Solution(_Named):
    """A solution that improved a public service, and what demonstrates it."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
        help_text=_("The partner that introduced it; empty for a joint solution."),
    )
    introduced_on = models.DateField(_("introduced on"))
    description = models.TextField(_("what demonstrates it"), blank=True)
    link = models.CharField(
        _("link"),
        max_length=300,
        blank=True,
        validators=[validate_link],
        help_text=_("A page of SCAPE or elsewhere that shows the solution at work."),
    )
    active = models.BooleanField(_("counted"), default=True)

    class Meta:
        ordering = ["introduced_on", "name_en"]
        verbose_name = _("solution improving public services")
        verbose_name_plural = _("solutions improving public services")


class Snapshot(models.Model):
    """One indicator's figure for a period and partner, as last computed by the worker.

    The reports page reads these rows instead of counting every app's records
    per request (scape.reports.actions.do_refresh_snapshots). ``scope`` is the
    partner's code, or "" for all partners together. ``value`` and the
    ``breakdown`` values are JSON: an integer as a number, a decimal as its
    string, so that 12.5 kg of CO2 comes back exactly.
    """

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("indicator")
    )
    first = models.DateField(_("first day"))
    last = models.DateField(_("last day"))
    scope = models.CharField(_("partner"), max_length=32, blank=True)
    value = models.JSONField(_("value"), null=True, blank=True)
    breakdown = models.JSONField(_("breakdown"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "first", "last", "scope"], name="reports_snapshot_once"
            )
        ]
        verbose_name = _("figure computed")
        verbose_name_plural = _("figures computed")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.first}..{self.last} {self.scope or '*'}"
