"""Traffic through the API: cameras, reads (restricted; a plate search needs a
reason), the hot-list and hits. Every write calls an action of
scape.traffic.actions; a refused action becomes a 400 answer."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from scape.core.api import (
    GrantSerializer,
    KeysetPagination,
    RestrictedViewSetMixin,
    ShareSerializer,
)
from scape.core.choices import Action
from scape.directory.models import Organization
from scape.directory.queries import own_organization, partners_of
from scape.traffic.actions import (
    do_acknowledge_hit,
    do_apply_hotlist_import,
    do_cancel_hotlist_import,
    do_create_camera,
    do_create_entry,
    do_create_section,
    do_preview_hotlist_import,
    do_rotate_camera_token,
    do_share_entry,
    do_withdraw_entry,
)
from scape.traffic.api.serializers import (
    CameraCreatedSerializer,
    CameraInputSerializer,
    CameraSerializer,
    EntryInputSerializer,
    EntrySerializer,
    HitSerializer,
    ImportInputSerializer,
    ImportSerializer,
    ReadSerializer,
    SectionSerializer,
)
from scape.traffic.hotlist_files import MAX_BYTES
from scape.traffic.models import (
    CAMERA_POLICY,
    HOTLIST_POLICY,
    Hit,
    HotlistEntry,
    HotlistImport,
    PlateRead,
    SpeedSection,
    TrafficCamera,
)
from scape.traffic.queries import browse_reads, search_reads


def _own_org(request: Request, policy: Any) -> Organization:
    return own_organization(
        request.user, policy.own[Action.CHANGE], message=_("Your role may not do this.")
    )


class CameraViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Traffic cameras the caller may see; creating one returns its token once."""

    model = TrafficCamera
    serializer_class = CameraSerializer
    filterset_fields = ["road", "active"]
    access_actions = {"rotate_token": Action.CHANGE}

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("organization")

    @extend_schema(request=CameraInputSerializer, responses={201: CameraCreatedSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organization = _own_org(request, CAMERA_POLICY)
        data = CameraInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        camera, token = do_create_camera(organization, actor=request.user, **data.validated_data)
        body = CameraSerializer(camera).data
        return Response({**body, "token": token}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: CameraCreatedSerializer})
    @action(detail=True, methods=["post"], url_path="rotate-token")
    def rotate_token(self, request: Request, pk: Any = None) -> Response:
        """Issue a new token for the camera; the old one stops working at once."""
        camera = self.get_object()
        token = do_rotate_camera_token(camera, actor=request.user)
        return Response({**CameraSerializer(camera).data, "token": token})


class ReadViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Plate reads the caller may see; a list needs ``?reason=`` (``?plate=`` searches one plate)."""

    model = PlateRead
    serializer_class = ReadSerializer
    pagination_class = KeysetPagination
    filterset_fields = ["camera", "hit", "source", "country"]
    search_fields: list[str] = []
    ordering_fields = ["time"]
    query_parameters = ("plate", "reason")

    @extend_schema(
        parameters=[
            OpenApiParameter("plate", str, description="plate to search (needs reason)"),
            OpenApiParameter(
                "reason", str, required=True, description="why the reads are consulted (audited)"
            ),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        if self.action != "list" or getattr(self, "swagger_fake_view", False):
            return super().get_queryset().select_related("organization", "camera")
        # Every plate is personal data: a search or a look through all of them
        # says why, and is recorded with it (as on the reads page).
        plate = self.request.query_params.get("plate", "")
        reason = self.request.query_params.get("reason", "")
        # A missing reason is a 400 through scape.core.api.exception_handler.
        if plate:
            found = search_reads(self.request.user, plate, reason=reason)
        else:
            found = browse_reads(self.request.user, reason=reason)
        return found.select_related("organization", "camera")


class EntryViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """The hot-list entries the caller may see; delete withdraws an entry (hits are kept)."""

    model = HotlistEntry
    serializer_class = EntrySerializer
    filterset_fields = ["reason", "country", "plate"]
    access_actions = {"share": Action.SHARE}
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("organization")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organization = _own_org(request, HOTLIST_POLICY)
        partners = partners_of(organization)
        data = EntryInputSerializer(data=request.data, context={"partners": partners})
        data.is_valid(raise_exception=True)
        entry = do_create_entry(organization, actor=request.user, **data.validated_data)
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        do_withdraw_entry(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ShareSerializer, responses={201: GrantSerializer})
    @action(detail=True, methods=["post"])
    def share(self, request: Request, pk: Any = None) -> Response:
        """Share the entry with a partner organization: they see it and are alerted on hits."""
        entry = self.get_object()
        given = request.data if isinstance(request.data, dict) else {}
        partners = partners_of(entry.organization_id)
        data = ShareSerializer(
            data={
                "expires_at": entry.valid_until.isoformat(),
                "purpose": "-",
                **dict(given.items()),
            },
            context={"organizations": partners},
        )
        data.is_valid(raise_exception=True)
        grant = do_share_entry(
            entry,
            grantee=data.validated_data["grantee"],
            purpose=given.get("purpose", ""),
            expires_at=data.validated_data["expires_at"],
            actor=request.user,
        )
        return Response(GrantSerializer(grant).data, status=status.HTTP_201_CREATED)


class HitViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Hits the caller may see: the hot-list owner's and every partner it is shared with."""

    model = Hit
    serializer_class = HitSerializer
    pagination_class = KeysetPagination
    filterset_fields = ["entry", "exact"]
    access_actions = {"acknowledge": Action.CHANGE}

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related(
                "read__camera__organization",
                "read__organization",
                "entry__organization",
                "acknowledged_by",
            )
        )

    @extend_schema(request=None, responses={200: HitSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: Any = None) -> Response:
        """Mark the hit as taken in hand."""
        hit = do_acknowledge_hit(self.get_object(), actor=request.user)
        return Response(HitSerializer(hit).data)


class SectionViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Section-speed stretches between two cameras of the caller's organization."""

    model = SpeedSection
    serializer_class = SectionSerializer

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("organization")

    @extend_schema(request=SectionSerializer, responses={201: SectionSerializer})
    def create(self, request: Request) -> Response:
        """Define a stretch (as on the sections page)."""
        organization = _own_org(request, CAMERA_POLICY)
        data = SectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        section = do_create_section(organization, actor=request.user, **data.validated_data)
        return Response(SectionSerializer(section).data, status=status.HTTP_201_CREATED)


class ImportViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Hot-list files the caller's organization read and loaded: read one, then load it."""

    model = HotlistImport
    serializer_class = ImportSerializer
    parser_classes = [MultiPartParser, FormParser]
    access_actions = {"load": Action.CHANGE, "cancel": Action.CHANGE}

    def get_queryset(self) -> Any:
        return super().get_queryset().defer("rows")

    @extend_schema(request=ImportInputSerializer, responses={201: ImportSerializer})
    def create(self, request: Request) -> Response:
        """Read a CSV or XLSX file into a preview: what loading it would do, every line left out."""
        organization = _own_org(request, HOTLIST_POLICY)
        data = ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        imported = do_preview_hotlist_import(
            organization,
            actor=request.user,
            data=upload.read(MAX_BYTES + 1),
            file_name=upload.name,
            list_name=data.validated_data["list_name"],
            mode=data.validated_data["mode"],
            valid_until=data.validated_data["valid_until"],
        )
        return Response(ImportSerializer(imported).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ImportSerializer})
    @action(detail=True, methods=["post"])
    def load(self, request: Request, pk: Any = None) -> Response:
        """List the file's plates (merge or replace, as it was read)."""
        imported = do_apply_hotlist_import(self.get_object(), actor=request.user)
        return Response(ImportSerializer(imported).data)

    @extend_schema(request=None, responses={200: ImportSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        """Drop the file without listing it."""
        imported = do_cancel_hotlist_import(self.get_object(), actor=request.user)
        return Response(ImportSerializer(imported).data)
