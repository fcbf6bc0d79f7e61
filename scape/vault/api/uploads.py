"""The API's tus 1.0 endpoint for resumable evidence upload (token authentication).

The protocol itself lives in scape/vault/tus.py and is shared with the
browser page; these views only authenticate and hand the plain Django request
over, so the body is streamed from the socket and never parsed by DRF.
"""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from scape.vault import tus

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
