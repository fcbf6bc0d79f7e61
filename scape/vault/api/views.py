"""The vault's API: evidence items and cases (viewsets), and resumable upload (tus).

Items and cases go through the access door like every API view
(RestrictedViewSetMixin). The upload views only authenticate and hand the
plain Django request to the tus protocol (scape/vault/tus.py), so the body is
streamed from the socket and never parsed by DRF.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from scape.core import audit
from scape.core.api import (
    FirstRenderer,
    GrantSerializer,
    KeysetPagination,
    RestrictedViewSetMixin,
    ShareSerializer,
)
from scape.core.choices import Action
from scape.directory.queries import partners_of
from scape.vault import tus
from scape.vault.actions import (
    do_add_to_case,
    do_create_case,
    do_create_external_link,
    do_set_case_hold,
    do_share_evidence,
)
from scape.vault.actions.finding import do_describe_item, do_start_bulk
from scape.vault.api.serializers import (
    BulkSerializer,
    CaseInputSerializer,
    CaseItemsSerializer,
    CaseLinkInputSerializer,
    CaseLinkSerializer,
    CaseSerializer,
    CustodyEventSerializer,
    DeletionListSerializer,
    DescribeSerializer,
    EvidenceItemSerializer,
    ExportInputSerializer,
    ExportSerializer,
    HoldSerializer,
    JobSerializer,
    LimitedCustodyEventSerializer,
    RedactInputSerializer,
    RedactionSerializer,
)
from scape.vault.exports import do_start_case_export, export_response
from scape.vault.filtersets import ItemApiFilter
from scape.vault.models import Case, DeletionList, EvidenceItem
from scape.vault.queries import (
    access_export,
    access_item,
    custody_history,
    redacted_only_for,
    redacted_only_ids,
    without_hidden_matches,
)


class _Shareable(RestrictedViewSetMixin):
    access_actions = {"share": Action.SHARE}

    def _share(self, request: Request) -> Response:
        target = self.get_object()
        partners = partners_of(target.organization_id)
        serializer = ShareSerializer(data=request.data, context={"organizations": partners})
        serializer.is_valid(raise_exception=True)
        grant = do_share_evidence(target, actor=request.user, **serializer.validated_data)
        return Response(GrantSerializer(grant).data, status=status.HTTP_201_CREATED)


class EvidenceItemViewSet(
    _Shareable, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Evidence items the caller may see: their organization's and those shared with it."""

    model = EvidenceItem
    serializer_class = EvidenceItemSerializer
    pagination_class = KeysetPagination
    # The chain of custody is exported (and audited) whole: an array, not pages.
    unpaginated_actions = frozenset({"custody"})
    # The evidence list's own filters (words, officer, device, dates, category,
    # case, organization, tag, retention, shared with), as on the page.
    filterset_class = ItemApiFilter
    search_fields = ["original_name", "sha256", "device_serial"]
    access_actions = {"share": Action.SHARE, "describe": Action.CHANGE, "redact": Action.CHANGE}
    ordering_fields = ["ingested_at", "recorded_at", "size"]

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("organization", "category", "officer__user")
            .prefetch_related("cases", "derivatives", "tags")
        )

    def filter_queryset(self, queryset: Any) -> Any:
        found = super().filter_queryset(queryset)
        # ?search= matches the original's name and hash: never for an item
        # the caller is shown as a redacted copy only.
        if self.request.query_params.get(api_settings.SEARCH_PARAM):
            found = without_hidden_matches(self.request.user, found)
        return found

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        # Which of the items go to this caller as redacted copies only: one
        # lookup for the whole page, read by EvidenceItemSerializer.
        instance = args[0] if args else kwargs.get("instance")
        if instance is not None:
            items = list(instance) if kwargs.get("many") else [instance]
            context = dict(self.get_serializer_context())
            context["redacted_only"] = redacted_only_ids(self.request.user, items)
            kwargs["context"] = context
        return super().get_serializer(*args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Return one item; the consultation is recorded in its custody history."""
        response = super().retrieve(request, *args, **kwargs)
        audit.record("vault.item_viewed", obj=self.get_object(), actor=request.user)
        return response

    @extend_schema(responses={200: CustodyEventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def custody(self, request: Request, pk: Any = None) -> Response:
        """Return the item's chain of custody, oldest first (the consultation is recorded)."""
        item = self.get_object()
        serializer = (
            LimitedCustodyEventSerializer
            if redacted_only_for(request.user, item)
            else CustodyEventSerializer
        )
        audit.record(
            "vault.custody_exported", obj=item, actor=request.user, details={"format": "api"}
        )
        return Response(serializer(custody_history(item), many=True).data)

    @extend_schema(request=ShareSerializer, responses={201: GrantSerializer})
    @action(detail=True, methods=["post"])
    def share(self, request: Request, pk: Any = None) -> Response:
        """Share the item with a partner organization for a purpose until an expiry."""
        return self._share(request)

    @extend_schema(request=RedactInputSerializer, responses={201: RedactionSerializer})
    @action(detail=True, methods=["post"])
    def redact(self, request: Request, pk: Any = None) -> Response:
        """Start a redacted copy: faces and/or plates are found, then reviewed on its page."""
        from scape.vault.actions.redaction import RedactionError, do_start_redaction

        item = self.get_object()
        serializer = RedactInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            session = do_start_redaction(item, actor=request.user, **serializer.validated_data)
        except RedactionError as exc:
            raise ValidationError({"item": [str(exc)]}) from exc
        return Response(RedactionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DescribeSerializer, responses={200: EvidenceItemSerializer})
    @action(detail=True, methods=["post"])
    def describe(self, request: Request, pk: Any = None) -> Response:
        """Set the item's title, notes and tags (audited as on the item page)."""
        item = self.get_object()
        serializer = DescribeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        do_describe_item(item, actor=request.user, **serializer.validated_data)
        item = self.get_queryset().get(pk=item.pk)
        return Response(self.get_serializer(item).data)


class BulkView(APIView):
    """One step on many items (the evidence list's "Work on many items"): a Job."""

    @extend_schema(request=BulkSerializer, responses={202: JobSerializer})
    def post(self, request: Request) -> Response:
        """Start the step; each item is done through its own action, with its audit event."""
        from django.http import QueryDict

        from scape.vault.views.finding import may_bulk

        if not may_bulk(request.user):
            raise PermissionDenied
        serializer = BulkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = do_start_bulk(
            request.user,
            op=data["op"],
            options=data.get("options") or {},
            ids=data.get("items"),
            query=QueryDict(data["query"]) if data.get("query") else None,
        )
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


def _export(request: Request, pk: str) -> Any:
    if not pk.isdigit():
        raise NotFound
    return access_export(request.user, int(pk))


class ExportView(APIView):
    """A court export the caller asked for: its state, and once built, where to download it."""

    @extend_schema(
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={200: ExportSerializer},
    )
    def get(self, request: Request, pk: str) -> Response:
        """The export's state; ``download`` is set once its job has built the ZIP."""
        export = _export(request, pk)
        return Response(ExportSerializer(export, context={"request": request}).data)


class ExportDownloadView(APIView):
    """The built ZIP of a court export, to the person who asked for it (recorded)."""

    content_negotiation_class = FirstRenderer

    @extend_schema(
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The ZIP; X-Export-SHA256 gives its SHA-256."
            ),
            409: OpenApiResponse(description="Not built yet: ask again when its job is done."),
        },
    )
    def get(self, request: Request, pk: str) -> Any:
        """Download the ZIP (``vault.export_downloaded`` records who took it, as on the page)."""
        export = _export(request, pk)
        if not export.file_name:
            return Response(
                {"detail": _("The export is not built yet: ask again when its job is done.")},
                status=status.HTTP_409_CONFLICT,
            )
        try:
            return export_response(export, actor=request.user)
        except FileNotFoundError as exc:
            raise NotFound from exc


class CaseViewSet(
    _Shareable, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Cases the caller may see."""

    model = Case
    serializer_class = CaseSerializer
    filterset_fields = ["status", "legal_hold"]
    search_fields = ["reference", "title"]
    access_actions = {
        "share": Action.SHARE,
        "add_items": Action.CHANGE,
        "hold": Action.CHANGE,
        "export": Action.DOWNLOAD,
        "links": Action.SHARE,
    }

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("organization").prefetch_related("items")

    @extend_schema(request=CaseInputSerializer, responses={201: CaseSerializer})
    def create(self, request: Request) -> Response:
        """Open a case in the caller's organization."""
        from scape.core.access import actor_of
        from scape.directory.models import Organization

        serializer = CaseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = Organization.objects.get(pk=actor_of(request.user).organization_id or 0)
        case = do_create_case(
            organization=organization, actor=request.user, **serializer.validated_data
        )
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseItemsSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="items")
    def add_items(self, request: Request, pk: Any = None) -> Response:
        """Add items (of the case's organization, that the caller sees) to the case."""
        case = self.get_object()
        serializer = CaseItemsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        for item_id in serializer.validated_data["items"]:
            item = access_item(request.user, item_id)
            do_add_to_case(case, item, actor=request.user)
        return Response(CaseSerializer(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(request=HoldSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk: Any = None) -> Response:
        """Put the whole case on legal hold, or release it (a reason either way)."""
        case = self.get_object()
        serializer = HoldSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        do_set_case_hold(case, actor=request.user, **serializer.validated_data)
        return Response(CaseSerializer(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(request=ExportInputSerializer, responses={202: ExportSerializer})
    @action(detail=True, methods=["post"])
    def export(self, request: Request, pk: Any = None) -> Response:
        """Queue the court export (ZIP, signed manifest); the Job shows when it is ready."""
        case = self.get_object()
        serializer = ExportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            export = do_start_case_export(
                case,
                actor=request.user,
                reason=data["reason"],
                recipient=data.get("recipient", ""),
                use_redacted=data.get("redacted", False),
                choices=data.get("choices") or {},
            )
        except ValueError as exc:  # items without the redacted copy the export needs
            raise ValidationError({"redacted": [str(exc)]}) from exc
        return Response(
            ExportSerializer(export, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(request=CaseLinkInputSerializer, responses={201: CaseLinkSerializer})
    @action(detail=True, methods=["post"])
    def links(self, request: Request, pk: Any = None) -> Response:
        """Make an expiring link for a prosecutor or court; its address is given once."""
        case = self.get_object()
        serializer = CaseLinkInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link, token = do_create_external_link(case, actor=request.user, **serializer.validated_data)
        url = request.build_absolute_uri(reverse("vault:public_link", args=[token]))
        return Response(
            {
                "id": link.pk,
                "url": url,
                "expires_at": link.expires_at,
                "max_downloads": link.max_downloads,
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ShareSerializer, responses={201: GrantSerializer})
    @action(detail=True, methods=["post"])
    def share(self, request: Request, pk: Any = None) -> Response:
        """Share the case (and so its items) with a partner organization."""
        return self._share(request)


_TUS = OpenApiParameter(
    "Tus-Resumable", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True, enum=["1.0.0"]
)
_DESCRIPTION = (
    "Resumable upload of one evidence file, tus 1.0 (https://tus.io/protocols/resumable-upload) "
    "with the creation, termination, expiration and checksum (sha256) extensions."
)


class _TusView(APIView):
    def get_permissions(self) -> Any:
        # OPTIONS tells what the server supports (tus discovery): no login needed.
        if self.request.method == "OPTIONS":
            return []
        return super().get_permissions()


class UploadCollectionView(_TusView):
    """Create an upload (POST) or list your recent uploads (GET)."""

    @extend_schema(
        operation_id="vault_uploads_list",
        summary="List your recent uploads",
        description=_DESCRIPTION,
        responses={200: OpenApiResponse(description="JSON: results, each an upload's state")},
    )
    def get(self, request: Request) -> Any:
        return tus.tus_collection(request._request, request.user, via="api")

    @extend_schema(
        operation_id="vault_uploads_create",
        summary="Create an upload (tus creation)",
        description=_DESCRIPTION
        + " Upload-Metadata keys: filename (required), case (reference), category (code), "
        "source_type, device_serial.",
        request=None,
        parameters=[
            _TUS,
            OpenApiParameter("Upload-Length", OpenApiTypes.INT, OpenApiParameter.HEADER, True),
            OpenApiParameter("Upload-Metadata", OpenApiTypes.STR, OpenApiParameter.HEADER, True),
        ],
        responses={
            201: OpenApiResponse(description="Created; Location names the upload"),
            400: OpenApiResponse(description="Bad name or metadata"),
            413: OpenApiResponse(description="Larger than the limit"),
        },
    )
    def post(self, request: Request) -> Any:
        return tus.tus_collection(request._request, request.user, via="api")

    @extend_schema(exclude=True)
    def options(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return tus.tus_options()


class UploadView(_TusView):
    """One upload: its offset (HEAD), a chunk (PATCH), its state (GET), termination (DELETE)."""

    @extend_schema(
        operation_id="vault_upload_state",
        summary="State of an upload, with its result once stored",
        responses={200: OpenApiResponse(description="JSON: offset, status, result, item")},
    )
    def get(self, request: Request, upload_id: uuid.UUID) -> Any:
        return tus.tus_upload(request._request, request.user, upload_id)

    @extend_schema(
        operation_id="vault_upload_offset",
        summary="Offset of an upload (tus HEAD)",
        parameters=[_TUS],
        responses={200: OpenApiResponse(description="Upload-Offset and Upload-Length headers")},
    )
    def head(self, request: Request, upload_id: uuid.UUID) -> Any:
        return tus.tus_upload(request._request, request.user, upload_id)

    @extend_schema(
        operation_id="vault_upload_append",
        summary="Append a chunk at Upload-Offset (tus PATCH)",
        request={"application/offset+octet-stream": OpenApiTypes.BINARY},
        parameters=[
            _TUS,
            OpenApiParameter("Upload-Offset", OpenApiTypes.INT, OpenApiParameter.HEADER, True),
            OpenApiParameter("Upload-Checksum", OpenApiTypes.STR, OpenApiParameter.HEADER),
        ],
        responses={
            204: OpenApiResponse(description="Appended; Upload-Offset is the new offset"),
            409: OpenApiResponse(description="Upload-Offset is not the upload's offset"),
            460: OpenApiResponse(description="Checksum mismatch: nothing appended"),
        },
    )
    def patch(self, request: Request, upload_id: uuid.UUID) -> Any:
        return tus.tus_upload(request._request, request.user, upload_id)

    @extend_schema(
        operation_id="vault_upload_terminate",
        summary="Terminate an upload (tus termination)",
        parameters=[_TUS],
        responses={204: OpenApiResponse(description="Terminated")},
    )
    def delete(self, request: Request, upload_id: uuid.UUID) -> Any:
        return tus.tus_upload(request._request, request.user, upload_id)

    @extend_schema(
        operation_id="vault_upload_override",
        summary="Append a chunk or terminate, for clients without PATCH/DELETE",
        parameters=[
            OpenApiParameter(
                "X-HTTP-Method-Override",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                True,
                enum=["PATCH", "DELETE"],
            )
        ],
        request=None,
        responses={204: OpenApiResponse(description="As for PATCH or DELETE")},
    )
    def post(self, request: Request, upload_id: uuid.UUID) -> Any:
        return tus.tus_upload(request._request, request.user, upload_id)

    @extend_schema(exclude=True)
    def options(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return tus.tus_options()


class RetentionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The organization's deletion lists (retention keepers): propose one, confirm one."""

    serializer_class = DeletionListSerializer
    filterset_fields = ["status"]

    queryset = DeletionList.objects.none()  # what the schema generator reads

    def get_queryset(self) -> Any:
        from scape.vault.queries import retention_organization

        if getattr(self, "swagger_fake_view", False):
            return DeletionList.objects.none()
        organization = retention_organization(self.request.user)
        return (
            DeletionList.objects.filter(organization=organization)
            .prefetch_related("items")
            .select_related("confirmed_by")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(request=None, responses={201: DeletionListSerializer, 204: None})
    @action(detail=False, methods=["post"])
    def propose(self, request: Request) -> Response:
        """List the items whose time has come, for a custodian to confirm (204: none due)."""
        from scape.vault.actions import do_propose_deletion
        from scape.vault.queries import retention_organization

        proposal = do_propose_deletion(retention_organization(request.user), actor=request.user)
        if proposal is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(DeletionListSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: DeletionListSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        """Move the listed items to the recovery bin (a custodian; each is checked again)."""
        from scape.vault.actions import do_confirm_deletion
        from scape.vault.queries import access_deletion_list

        if not str(pk).isdigit():
            raise NotFound
        proposal = access_deletion_list(request.user, pk)
        do_confirm_deletion(proposal, actor=request.user)
        return Response(DeletionListSerializer(self.get_queryset().get(pk=proposal.pk)).data)
