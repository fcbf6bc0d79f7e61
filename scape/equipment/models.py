"""Equipment and eco-fleet: assets, custody, competencies, maintenance, meters, trips, flights."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scape.core.access import Policy, RestrictedManager
from scape.core.choices import Action, Role
from scape.equipment.choices import AssetKind, AssetStatus, MaintenanceKind, MeterUnit

_ALL = frozenset(Role.values) - {Role.VOLUNTEER}
_MANAGERS = frozenset({Role.COORDINATOR, Role.ORG_ADMIN})


def _held_by_me(user: object) -> Q:
    return Q(checkouts__person__user=user, checkouts__checked_in_at__isnull=True)


ASSET_POLICY = Policy(
    own={
        Action.VIEW: _ALL,
        Action.CHANGE: _MANAGERS,
        Action.DELETE: frozenset({Role.ORG_ADMIN}),
        Action.SHARE: _MANAGERS,
    },
    everywhere={Action.VIEW: frozenset({Role.SYS_ADMIN})},
    assigned=_held_by_me,
)


class Asset(models.Model):
    """One piece of equipment owned by a partner organization."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="assets",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=AssetKind.choices)
    tag = models.CharField(_("asset tag"), max_length=40)
    serial = models.CharField(_("serial number"), max_length=80, blank=True, db_index=True)
    make = models.CharField(_("make"), max_length=80, blank=True)
    model = models.CharField(_("model"), max_length=80, blank=True)
    unit = models.ForeignKey(
        "directory.Unit", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("unit")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AssetStatus.choices, default=AssetStatus.AVAILABLE
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    price = models.DecimalField(
        _("price (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = RestrictedManager()
    access_policy = ASSET_POLICY

    class Meta:
        ordering = ["organization", "tag"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        constraints = [
            models.UniqueConstraint(fields=["organization", "tag"], name="asset_unique_tag")
        ]

    def __str__(self) -> str:
        return f"{self.tag} {self.make} {self.model}".strip()

    def get_absolute_url(self) -> str:
        return reverse("equipment:asset", args=[self.pk])

    @property
    def open_checkout(self) -> Checkout | None:
        """Return the check-out not yet returned, if any."""
        return self.checkouts.filter(checked_in_at__isnull=True).first()


def photo_path(instance: Any, filename: str) -> str:
    """Return a storage name of our own: never the name the user's device gave the file."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    if extension not in {"jpg", "png", "webp"}:
        extension = "jpg"
    today = timezone.now()
    return f"equipment/photos/{today:%Y/%m}/{uuid.uuid4().hex}.{extension}"


# Attachments of maintenance records: documents and pictures, by extension.
ATTACHMENT_EXTENSIONS = frozenset(
    {"pdf", "jpg", "jpeg", "png", "webp", "txt", "csv", "xlsx", "docx", "odt", "ods"}
)


def attachment_path(instance: Any, filename: str) -> str:
    """Return a random storage name that keeps only a known extension."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in ATTACHMENT_EXTENSIONS:
        extension = "bin"
    return f"equipment/maintenance/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


class AssetPhoto(models.Model):
    """A photo of an asset (its state, its label, damage on return)."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    taken_at = models.DateTimeField(default=timezone.now)
    checkout = models.ForeignKey(
        "Checkout",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("taken at the check-in of"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-taken_at", "-id"]
        verbose_name = _("asset photo")
        verbose_name_plural = _("asset photos")

    def __str__(self) -> str:
        return self.caption or self.image.name or ""

    def get_absolute_url(self) -> str:
        return reverse("equipment:photo", args=[self.asset_id, self.pk])


class Checkout(models.Model):
    """An asset in a person's custody, from check-out to check-in."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="checkouts")
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="checkouts",
        verbose_name=_("person"),
    )
    checked_out_at = models.DateTimeField(_("checked out"), default=timezone.now, db_index=True)
    expected_return = models.DateTimeField(_("expected return"), null=True, blank=True)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True, db_index=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    condition = models.TextField(_("condition on return"), blank=True)

    class Meta:
        ordering = ["-checked_out_at"]
        verbose_name = _("check-out")
        verbose_name_plural = _("check-outs")
        constraints = [
            models.UniqueConstraint(
                fields=["asset"],
                condition=Q(checked_in_at__isnull=True),
                name="one_open_checkout_per_asset",
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset} → {self.person}"


class MaintenanceRecord(models.Model):
    """Work done on an asset: service, repair, inspection, calibration, battery."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="maintenance")
    kind = models.CharField(_("kind"), max_length=16, choices=MaintenanceKind.choices)
    done_on = models.DateField(_("done on"), default=timezone.localdate)
    description = models.TextField(_("description"), blank=True)
    cost = models.DecimalField(
        _("cost (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    meter_value = models.DecimalField(
        _("meter at the time"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    attachment = models.FileField(
        _("attachment"), upload_to=attachment_path, blank=True, max_length=200
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-done_on"]
        verbose_name = _("maintenance record")
        verbose_name_plural = _("maintenance records")

    def __str__(self) -> str:
        return f"{self.asset} {self.get_kind_display()} {self.done_on}"

    def get_attachment_url(self) -> str:
        return reverse("equipment:maintenance_attachment", args=[self.asset_id, self.pk])


class MaintenanceSchedule(models.Model):
    """Recurring maintenance by date and/or meter, for one asset or every asset of a kind."""

    organization = models.ForeignKey("directory.Organization", on_delete=models.CASCADE)
    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    asset_kind = models.CharField(
        _("for every asset of kind"), max_length=24, choices=AssetKind.choices, blank=True
    )
    kind = models.CharField(_("maintenance"), max_length=16, choices=MaintenanceKind.choices)
    every_days = models.PositiveIntegerField(_("every (days)"), null=True, blank=True)
    every_meter = models.DecimalField(
        _("every (meter units)"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    meter_unit = models.CharField(_("meter"), max_length=10, choices=MeterUnit.choices, blank=True)
    warn_days = models.PositiveIntegerField(_("remind days before"), default=14)

    class Meta:
        verbose_name = _("maintenance schedule")
        verbose_name_plural = _("maintenance schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(asset__isnull=False) | ~Q(asset_kind=""), name="schedule_asset_or_kind"
            ),
            models.CheckConstraint(
                condition=Q(every_days__isnull=False) | Q(every_meter__isnull=False),
                name="schedule_has_interval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.asset or self.asset_kind}"


class MeterReading(models.Model):
    """An odometer, flight-hour or charge-cycle reading; readings only go up."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="readings")
    unit = models.CharField(_("meter"), max_length=10, choices=MeterUnit.choices)
    value = models.DecimalField(_("reading"), max_digits=12, decimal_places=1)
    read_at = models.DateTimeField(_("read at"), default=timezone.now)
    replacement = models.BooleanField(
        _("meter replaced"), default=False, help_text=_("The meter was replaced; it starts again.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["asset", "unit", "read_at", "id"]
        verbose_name = _("meter reading")
        verbose_name_plural = _("meter readings")

    def __str__(self) -> str:
        return f"{self.asset} {self.value} {self.unit}"


class Trip(models.Model):
    """A trip made with a vehicle: who, when, how far, and the energy or fuel used."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="trips")
    driver = models.ForeignKey("directory.Person", on_delete=models.PROTECT, related_name="trips")
    started_at = models.DateTimeField(_("start"))
    ended_at = models.DateTimeField(_("end"))
    km = models.DecimalField(_("distance (km)"), max_digits=8, decimal_places=1)
    energy_kwh = models.DecimalField(
        _("energy (kWh)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    fuel_l = models.DecimalField(
        _("fuel (litres)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gt=models.F("started_at")), name="trip_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(km__gte=0), name="trip_km_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.asset} {self.km} km {self.started_at:%Y-%m-%d}"


class DroneFlight(models.Model):
    """One flight of a drone, with its pilot, purpose and track."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="flights")
    pilot = models.ForeignKey("directory.Person", on_delete=models.PROTECT, related_name="flights")
    started_at = models.DateTimeField(_("take-off"))
    ended_at = models.DateTimeField(_("landing"))
    purpose = models.CharField(_("purpose"), max_length=300)
    area = models.CharField(_("area"), max_length=200, blank=True)
    max_altitude_m = models.PositiveIntegerField(_("maximum altitude (m)"), null=True, blank=True)
    incident_reference = models.CharField(_("incident"), max_length=60, blank=True)
    evidence_item_id = models.PositiveBigIntegerField(_("evidence item"), null=True, blank=True)
    track = models.JSONField(_("flight track"), default=list, blank=True)
    track_file = models.CharField(_("track file"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("drone flight")
        verbose_name_plural = _("drone flights")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gt=models.F("started_at")), name="flight_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset} {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("equipment:flight_detail", args=[self.pk])

    @property
    def hours(self) -> float:
        return (self.ended_at - self.started_at).total_seconds() / 3600


class EmissionFactor(models.Model):
    """A sourced emission factor: of the patrol car replaced (g/km) or of a grid (g/kWh)."""

    class Kind(models.TextChoices):
        VEHICLE = "vehicle_g_per_km", _("Reference patrol car (g CO₂/km)")
        GRID = "grid_g_per_kwh", _("Electricity grid (g CO₂/kWh)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, blank=True)
    value = models.DecimalField(_("value"), max_digits=8, decimal_places=2)
    year = models.PositiveIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["kind", "country", "-year"]
        verbose_name = _("emission factor")
        verbose_name_plural = _("emission factors")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.country} {self.year}: {self.value}"


class MaintenanceReminder(models.Model):
    """A reminder sent for one occurrence of a schedule falling due, so it is sent once."""

    schedule = models.ForeignKey(
        MaintenanceSchedule, on_delete=models.CASCADE, related_name="reminders"
    )
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="+")
    # The occurrence: the due date and/or due meter value it was sent for.
    occurrence = models.CharField(max_length=60)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("maintenance reminder")
        verbose_name_plural = _("maintenance reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "asset", "occurrence"], name="one_reminder_per_occurrence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.asset} {self.occurrence}"


class ImportBatch(models.Model):
    """An uploaded inventory, read and checked, waiting for its uploader to confirm it.

    Only the rows read from the file are kept (as JSON), never the file itself.
    """

    organization = models.ForeignKey("directory.Organization", on_delete=models.CASCADE)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=200)
    rows = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("equipment import")
        verbose_name_plural = _("equipment imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
