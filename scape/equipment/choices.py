from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AssetKind(models.TextChoices):
    BODY_CAMERA = "body_camera", _("Body camera")
    TRAFFIC_CAMERA = "traffic_camera", _("Dash or traffic camera")
    DRONE = "drone", _("Drone")
    RADIO = "radio", _("Radio")
    BICYCLE = "bicycle", _("Bicycle")
    TRICYCLE = "tricycle", _("Tricycle")
    E_BIKE = "e_bike", _("Electric bicycle")
    ELECTRIC_CAR = "electric_car", _("Electric car")
    ELECTRIC_MINIBUS = "electric_minibus", _("Electric minibus")
    FUEL_VEHICLE = "fuel_vehicle", _("Other vehicle (fuel)")
    DETENTION = "detention", _("Detention and protective equipment")
    INFORMING = "informing", _("Informing equipment")
    OTHER = "other", pgettext_lazy("asset kind", "Other")


# Zero-emission vehicles whose kilometres replace a patrol car's.
ZERO_EMISSION = frozenset(
    {
        AssetKind.BICYCLE,
        AssetKind.TRICYCLE,
        AssetKind.E_BIKE,
        AssetKind.ELECTRIC_CAR,
        AssetKind.ELECTRIC_MINIBUS,
    }
)
VEHICLES = ZERO_EMISSION | {AssetKind.FUEL_VEHICLE}


class AssetStatus(models.TextChoices):
    AVAILABLE = "available", pgettext_lazy("asset status", "available")
    CHECKED_OUT = "checked_out", pgettext_lazy("asset status", "checked out")
    MAINTENANCE = "maintenance", pgettext_lazy("asset status", "in maintenance")
    LOST = "lost", pgettext_lazy("asset status", "lost")
    RETIRED = "retired", pgettext_lazy("asset status", "retired")


class MeterUnit(models.TextChoices):
    KM = "km", _("kilometres")
    FLIGHT_HOURS = "flight_h", _("flight hours")
    CHARGE_CYCLES = "cycles", _("charge cycles")


class MaintenanceKind(models.TextChoices):
    SERVICE = "service", _("Service")
    REPAIR = "repair", _("Repair")
    INSPECTION = "inspection", _("Inspection")
    CALIBRATION = "calibration", _("Calibration")
    BATTERY = "battery", _("Battery replacement")


# Fields of `Asset.details` that belong to some kinds only, in the order forms show them.
DETAIL_FIELDS: dict[str, tuple[str, ...]] = {
    AssetKind.RADIO: ("issi", "call_sign"),
    AssetKind.DRONE: ("registration",),
    AssetKind.E_BIKE: ("battery_kwh",),
    AssetKind.ELECTRIC_CAR: ("plate", "battery_kwh"),
    AssetKind.ELECTRIC_MINIBUS: ("plate", "battery_kwh", "seats"),
    AssetKind.FUEL_VEHICLE: ("plate",),
    AssetKind.INFORMING: ("informing_type",),
}
ALL_DETAIL_FIELDS = (
    "issi",
    "call_sign",
    "registration",
    "plate",
    "battery_kwh",
    "seats",
    "informing_type",
)


class InformingType(models.TextChoices):
    LOUDSPEAKER = "loudspeaker", _("Loudspeaker")
    MESSAGE_BOARD = "message_board", _("Message board")
    OTHER = "other", pgettext_lazy("informing equipment", "Other")
