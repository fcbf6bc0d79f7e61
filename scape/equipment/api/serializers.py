"""Serializers of the equipment API: what is shown, and the input of each action."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scape.core.api import MomentField
from scape.core.tracks import track_distance_m
from scape.equipment.choices import AssetKind, MaintenanceKind, MeterUnit
from scape.equipment.models import (
    Asset,
    Checkout,
    DroneFlight,
    MaintenanceRecord,
    MeterReading,
    Trip,
)
from scape.equipment.queries import active_people_of


class AssetSerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Asset
        fields = [
            "id", "organization", "kind", "tag", "serial", "make", "model", "unit", "status",
            "location", "purchase_date", "price", "funding_source", "details", "notes",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class CheckoutSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.__str__", read_only=True)
    checked_out_by = serializers.CharField(source="checked_out_by.username", read_only=True)
    checked_in_by = serializers.CharField(
        source="checked_in_by.username", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = Checkout
        fields = [
            "id", "person", "person_name", "checked_out_at", "expected_return",
            "checked_out_by", "checked_in_at", "checked_in_by", "condition",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class _PersonField(serializers.PrimaryKeyRelatedField):
    """An active person of the asset's organization, which the view puts in the context."""

    def get_queryset(self) -> Any:
        return active_people_of(self.context["asset"].organization_id)


class CheckOutInputSerializer(serializers.Serializer):
    person = _PersonField()
    expected_return = MomentField(required=False, allow_null=True, default=None)


class CheckInInputSerializer(serializers.Serializer):
    condition = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class ReadingSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeterReading
        fields = ["id", "unit", "value", "read_at", "replacement"]
        read_only_fields = fields


class ReadingInputSerializer(serializers.Serializer):
    unit = serializers.ChoiceField(choices=MeterUnit.choices)
    value = serializers.DecimalField(max_digits=12, decimal_places=1)
    replacement = serializers.BooleanField(default=False)
    read_at = MomentField(required=False, allow_null=True, default=None)


class TripSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trip
        fields = [
            "id", "driver", "started_at", "ended_at", "km", "energy_kwh", "fuel_l", "note",
        ]  # fmt: skip
        read_only_fields = fields


class TripInputSerializer(serializers.Serializer):
    driver = _PersonField(
        required=False, help_text=_("A person of the asset's organization; you by default.")
    )
    started_at = MomentField()
    ended_at = MomentField()
    km = serializers.DecimalField(max_digits=8, decimal_places=1)
    energy_kwh = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, allow_null=True, default=None
    )
    fuel_l = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MaintenanceSerializer(serializers.ModelSerializer):
    # A plain string here: the choices are documented once, on the input, so
    # the OpenAPI schema has one enum for them and no naming collision.
    kind = serializers.CharField(read_only=True)

    class Meta:
        model = MaintenanceRecord
        fields = ["id", "kind", "done_on", "description", "cost", "meter_value"]
        read_only_fields = fields


class MaintenanceInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MaintenanceKind.choices)
    done_on = serializers.DateField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    cost = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None
    )
    meter_value = serializers.DecimalField(
        max_digits=12, decimal_places=1, required=False, allow_null=True, default=None
    )


class FlightSerializer(serializers.ModelSerializer):
    track_points = serializers.SerializerMethodField()
    distance_m = serializers.SerializerMethodField(
        help_text=_("Length of the track in metres, along it (haversine); 0 without one.")
    )

    class Meta:
        model = DroneFlight
        fields = [
            "id", "pilot", "started_at", "ended_at", "purpose", "area", "max_altitude_m",
            "incident_reference", "track_file", "track_points", "distance_m", "track",
        ]  # fmt: skip
        read_only_fields = fields

    def get_track_points(self, flight: DroneFlight) -> int:
        return len(flight.track or [])

    def get_distance_m(self, flight: DroneFlight) -> int:
        return round(track_distance_m(flight.track or []))


class FlightInputSerializer(serializers.Serializer):
    pilot = _PersonField(
        required=False, help_text=_("A person of the asset's organization; you by default.")
    )
    started_at = MomentField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Left empty, taken from the track file."),
    )
    ended_at = MomentField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Left empty, taken from the track file."),
    )
    purpose = serializers.CharField(max_length=300)
    area = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    max_altitude_m = serializers.IntegerField(
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Left empty, taken from the track file."),
    )
    incident_reference = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    track = serializers.FileField(
        required=False,
        help_text=_(
            "GPX, KML, DJI .SRT, or a CSV export of AirData, Litchi or PhantomHelp. "
            "Duration, distance and maximum altitude are computed from it."
        ),
    )


class AssetInputSerializer(serializers.Serializer):
    """A piece of equipment as an integrator registers or changes it (checked by the action)."""

    kind = serializers.ChoiceField(choices=AssetKind.choices)
    tag = serializers.CharField(max_length=40)
    serial = serializers.CharField(max_length=80, required=False, allow_blank=True)
    make = serializers.CharField(max_length=80, required=False, allow_blank=True)
    model = serializers.CharField(max_length=80, required=False, allow_blank=True)
    status = serializers.CharField(max_length=20, required=False)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    purchase_date = serializers.DateField(required=False, allow_null=True)
    price = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True
    )
    funding_source = serializers.CharField(max_length=200, required=False, allow_blank=True)
    details = serializers.DictField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class PhotoInputSerializer(serializers.Serializer):
    photo = serializers.FileField(help_text="A JPEG or PNG picture of the asset")
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    caption = serializers.CharField()
    taken_at = serializers.DateTimeField()
