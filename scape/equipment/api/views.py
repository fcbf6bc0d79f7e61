"""Equipment through the API: assets, custody, meters, trips, maintenance and flights.

Every write calls the action of scape.equipment.actions; a refused action
(Django ValidationError) becomes a 400 answer with its messages.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from scape.core.access import actor_of
from scape.core.api import RestrictedViewSetMixin
from scape.core.choices import Action
from scape.core.tracks import MAX_BYTES, TrackError
from scape.equipment.actions import (
    do_check_in,
    do_check_out,
    do_record_flight,
    do_record_maintenance,
    do_record_reading,
    do_record_trip,
)
from scape.equipment.api.serializers import (
    AssetInputSerializer,
    AssetSerializer,
    CheckInInputSerializer,
    CheckOutInputSerializer,
    CheckoutSerializer,
    FlightInputSerializer,
    FlightSerializer,
    MaintenanceInputSerializer,
    MaintenanceSerializer,
    PhotoInputSerializer,
    PhotoSerializer,
    ReadingInputSerializer,
    ReadingSerializer,
    TripInputSerializer,
    TripSerializer,
)
from scape.equipment.models import Asset
from scape.equipment.queries import history, may_check_in, may_check_out

# Records of use (readings, trips, flights) are kept by the people of the
# asset's organization who use it, not only by the equipment desk.
_USE_RECORDS = frozenset({"readings", "trips", "flights"})


class AssetViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Equipment the caller may see, with its custody and records of use."""

    model = Asset
    serializer_class = AssetSerializer
    filterset_fields = ["kind", "status", "serial"]
    search_fields = ["tag", "serial", "make", "model"]
    ordering_fields = ["tag", "kind", "status", "created_at"]
    # Custody is decided by may_check_out / may_check_in in the actions: the
    # desk hands equipment to anyone, an officer takes it for themselves.
    access_actions = {"check_out": Action.VIEW, "check_in": Action.VIEW, "photos": Action.CHANGE}

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("organization")

    @extend_schema(request=AssetInputSerializer, responses={201: AssetSerializer})
    def create(self, request: Request) -> Response:
        """Register a piece of equipment of the caller's organization (as the inventory page)."""
        from scape.directory.queries import own_organization
        from scape.equipment.actions import do_create_asset
        from scape.equipment.models import ASSET_POLICY

        organization = own_organization(
            request.user, ASSET_POLICY.own[Action.CHANGE], message=_("Your role may not do this.")
        )
        serializer = AssetInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        asset = do_create_asset(
            organization, kind=data.pop("kind"), tag=data.pop("tag"), actor=request.user, **data
        )
        return Response(AssetSerializer(asset).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssetInputSerializer(partial=True), responses={200: AssetSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        """Change an asset's description (status by hand except check-out and check-in)."""
        from scape.equipment.actions import do_update_asset

        asset = self.get_object()
        serializer = AssetInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        do_update_asset(asset, actor=request.user, **serializer.validated_data)
        return Response(AssetSerializer(self.get_queryset().get(pk=asset.pk)).data)

    @extend_schema(request=PhotoInputSerializer, responses={201: PhotoSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def photos(self, request: Request, pk: Any = None) -> Response:
        """Add a photo of the asset (checked to be a real picture), as the asset page."""
        from scape.equipment.actions import do_add_asset_photo

        asset = self.get_object()
        serializer = PhotoInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        photo = do_add_asset_photo(
            asset,
            serializer.validated_data["photo"],
            caption=serializer.validated_data["caption"],
            actor=request.user,
        )
        return Response(PhotoSerializer(photo).data, status=status.HTTP_201_CREATED)

    def required_action(self) -> str:
        if self.action in _USE_RECORDS:
            return Action.VIEW
        return super().required_action()

    def _asset_for_use(self) -> Asset:
        asset: Asset = self.get_object()
        if actor_of(self.request.user).organization_id != asset.organization_id:
            raise PermissionDenied(_("Only people of the asset's organization record its use."))
        return asset

    def _caller_person(self, asset: Asset, field: str) -> Any:
        person = getattr(self.request.user, "person", None)
        if person is None or person.organization_id != asset.organization_id:
            raise ValidationError({field: [_("Choose a person of the asset's organization.")]})
        return person

    @staticmethod
    def _input(serializer_class: Any, request: Request, asset: Asset) -> dict[str, Any]:
        serializer = serializer_class(data=request.data, context={"asset": asset})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(responses={200: CheckoutSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: Any = None) -> Response:
        """Return the asset's check-outs, newest first."""
        return self.paginated(history(self.get_object()), CheckoutSerializer)

    @extend_schema(request=CheckOutInputSerializer, responses={201: CheckoutSerializer})
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request: Request, pk: Any = None) -> Response:
        """Check the asset out to a person of its organization."""
        asset = self.get_object()
        # Who may never check this asset out is refused before their input is read.
        if not may_check_out(request.user, asset):
            raise PermissionDenied
        data = self._input(CheckOutInputSerializer, request, asset)
        if not may_check_out(request.user, asset, data["person"]):
            raise PermissionDenied(_("You may check equipment out to yourself only."))
        checkout = do_check_out(asset, data["person"], data["expected_return"], actor=request.user)
        return Response(CheckoutSerializer(checkout).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CheckInInputSerializer, responses={200: CheckoutSerializer})
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: Any = None) -> Response:
        """Check the asset back in, noting its condition."""
        asset = self.get_object()
        if not may_check_in(request.user, asset):
            raise PermissionDenied(_("Only the equipment desk or the holder checks this in."))
        data = self._input(CheckInInputSerializer, request, asset)
        checkout = do_check_in(asset, data["condition"], actor=request.user)
        return Response(CheckoutSerializer(checkout).data)

    @extend_schema(methods=["GET"], responses={200: ReadingSerializer(many=True)}, request=None)
    @extend_schema(
        methods=["POST"], request=ReadingInputSerializer, responses={201: ReadingSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def readings(self, request: Request, pk: Any = None) -> Response:
        """List the asset's meter readings, or record one (meters only go up)."""
        if request.method == "GET":
            asset = self.get_object()
            readings = asset.readings.order_by("-read_at", "-id")
            return self.paginated(readings, ReadingSerializer)
        asset = self._asset_for_use()
        data = self._input(ReadingInputSerializer, request, asset)
        reading = do_record_reading(
            asset,
            data["unit"],
            data["value"],
            data["replacement"],
            read_at=data["read_at"],
            actor=request.user,
        )
        return Response(ReadingSerializer(reading).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: TripSerializer(many=True)}, request=None)
    @extend_schema(methods=["POST"], request=TripInputSerializer, responses={201: TripSerializer})
    @action(detail=True, methods=["get", "post"])
    def trips(self, request: Request, pk: Any = None) -> Response:
        """List the vehicle's trips, or record one (the caller drove, unless a driver is given)."""
        if request.method == "GET":
            asset = self.get_object()
            return self.paginated(asset.trips.all(), TripSerializer)
        asset = self._asset_for_use()
        data = self._input(TripInputSerializer, request, asset)
        driver = data.pop("driver", None) or self._caller_person(asset, "driver")
        trip = do_record_trip(asset, driver, actor=request.user, **data)
        return Response(TripSerializer(trip).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: MaintenanceSerializer(many=True)}, request=None)
    @extend_schema(
        methods=["POST"], request=MaintenanceInputSerializer, responses={201: MaintenanceSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def maintenance(self, request: Request, pk: Any = None) -> Response:
        """List the work done on the asset, or record some (equipment managers)."""
        asset = self.get_object()
        if request.method == "GET":
            return self.paginated(asset.maintenance.all(), MaintenanceSerializer)
        data = self._input(MaintenanceInputSerializer, request, asset)
        record = do_record_maintenance(asset, actor=request.user, **data)
        return Response(MaintenanceSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: FlightSerializer(many=True)}, request=None)
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": FlightInputSerializer},
        responses={201: FlightSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def flights(self, request: Request, pk: Any = None) -> Response:
        """List the drone's flights, or record one with an optional track file."""
        if request.method == "GET":
            asset = self.get_object()
            return self.paginated(asset.flights.all(), FlightSerializer)
        asset = self._asset_for_use()
        data = self._input(FlightInputSerializer, request, asset)
        pilot = data.pop("pilot", None) or self._caller_person(asset, "pilot")
        upload = data.pop("track", None)
        name, content = "", None
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise ValidationError({"track": [_("The track file is too large.")]})
            name, content = upload.name, upload.read()
        try:
            flight = do_record_flight(
                asset,
                pilot,
                track_file_name=name,
                track_bytes=content,
                actor=request.user,
                **data,
            )
        except TrackError as exc:
            raise ValidationError({"track": [str(exc)]}) from exc
        return Response(FlightSerializer(flight).data, status=status.HTTP_201_CREATED)
