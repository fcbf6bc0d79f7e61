"""The vault's API: evidence items and cases (viewsets), and resumable upload (tus).

Items and cases go through the access door like every API view
(RestrictedViewSetMixin). The upload views only authenticate and hand the
plain Django request to the tus protocol (scape/vault/tus.py), so the body is
streamed from the socket and never parsed by DRF.
"""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from scape.core import audit
from scape.core.api import (
    GrantSerializer,
    KeysetPagination,
    RestrictedViewSetMixin,
    ShareSerializer,
)
from scape.core.choices import Action
from scape.directory.queries import partners_of
from scape.vault import tus
from scape.vault.actions import do_share_evidence
from scape.vault.api.serializers import (
    CaseSerializer,
    CustodyEventSerializer,
    EvidenceItemSerializer,
    LimitedCustodyEventSerializer,
)
from scape.vault.models import Case, EvidenceItem
from scape.vault.queries import (
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
    filterset_fields = ["status", "media_kind", "source_type", "integrity", "legal_hold"]
    search_fields = ["original_name", "sha256", "device_serial"]
    ordering_fields = ["ingested_at", "recorded_at", "size"]

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("organization", "category", "officer__user")
            .prefetch_related("cases", "derivatives")
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


class CaseViewSet(
    _Shareable, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Cases the caller may see."""

    model = Case
    serializer_class = CaseSerializer
    filterset_fields = ["status", "legal_hold"]
    search_fields = ["reference", "title"]

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("organization").prefetch_related("items")

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
