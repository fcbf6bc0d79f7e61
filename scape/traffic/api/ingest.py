"""The endpoint traffic cameras post their plate reads to.

``POST /api/v1/traffic/reads/ingest/`` with ``Authorization: Camera <token>``
and a JSON body ``{"camera", "time", "plate", "confidence", "image"?}``, or
``{"camera", "reads": [{"time", "plate", "confidence", "image"?}, ...]}`` for
a camera sending the reads it held back (a batch). A camera has no user
session: the per-camera token is its credential, so the view is not behind
the user API's authentication nor CSRF.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import io
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from scape.core.api import FirstRenderer
from scape.traffic.actions import do_record_read_once, plate_fields
from scape.traffic.choices import ReadSource
from scape.traffic.models import TrafficCamera
from scape.traffic.queries import camera_for_token

# A read stamped this far in the future comes from a camera with a wrong clock.
FUTURE_SLACK = datetime.timedelta(minutes=5)
# No camera of the programme read a plate before this year.
EARLIEST_YEAR = 2000


def max_image_bytes() -> int:
    """Return the largest plate image a camera may send, in bytes (settings, read now)."""
    return int(getattr(settings, "SCAPE_TRAFFIC_MAX_IMAGE_BYTES", 256 * 1024))


def max_batch_reads() -> int:
    """Return how many reads one batch may hold (settings, read now)."""
    return int(getattr(settings, "SCAPE_TRAFFIC_MAX_BATCH", 100))


def _error(message: str, status: int = 400, errors: dict[str, Any] | None = None) -> JsonResponse:
    body: dict[str, Any] = {"detail": message}
    if errors:
        body["errors"] = errors
    response = JsonResponse(body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = "Camera"
    return response


def _token(request: HttpRequest) -> str:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "camera" else ""


def _image(value: Any) -> tuple[bytes, str]:
    """Decode and check the optional plate image; return (bytes, extension)."""
    if not isinstance(value, str):
        raise ValidationError(_("The image must be a base64 text."))
    if "," in value[:64] and value.startswith("data:"):
        value = value.split(",", 1)[1]
    limit = max_image_bytes()
    if len(value) > limit * 4 // 3 + 8:
        raise ValidationError(_("The image is larger than %(kib)d KiB.") % {"kib": limit // 1024})
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError(_("The image is not valid base64.")) from exc
    if len(data) > limit:
        raise ValidationError(_("The image is larger than %(kib)d KiB.") % {"kib": limit // 1024})
    if data.startswith(b"\xff\xd8\xff"):
        ext = "jpg"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        ext = "png"
    else:
        raise ValidationError(_("The image must be a JPEG or PNG."))
    from PIL import UnidentifiedImageError

    from scape.core.limits import ImageTooLargeError, open_image

    try:
        with open_image(io.BytesIO(data)) as img:
            img.verify()
    except ImageTooLargeError as exc:
        raise ValidationError(str(exc)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("The image could not be decoded.")) from exc
    return data, ext


def _camera_matches(camera: TrafficCamera, value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value == camera.pk
    if isinstance(value, str):
        value = value.strip()
        return value == str(camera.pk) or value == camera.name
    return False


def _foreign_letters(text: str) -> set[str]:
    """Return the letters and digits of ``text`` that are not A-Z or 0-9."""
    return {c for c in text.upper() if c.isalnum() and not ("A" <= c <= "Z" or "0" <= c <= "9")}


def _fields(camera: TrafficCamera, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    raw_time = body.get("time")
    try:
        # Well-formed but impossible dates (2026-02-30, hour 25) raise ValueError.
        time = parse_datetime(raw_time) if isinstance(raw_time, str) else None
    except ValueError:
        time = None
    if time is None:
        errors["time"] = _("Give the time as ISO 8601, e.g. 2026-05-04T10:15:00+03:00.")
    elif timezone.is_naive(time):
        errors["time"] = _("Give the time with its time zone.")
    elif time.year < EARLIEST_YEAR:
        # Also keeps year 1 at +14:00 from overflowing when turned into UTC.
        errors["time"] = _("The time is before %(year)s: check the camera's clock.") % {
            "year": EARLIEST_YEAR
        }
    elif time > timezone.now() + FUTURE_SLACK:
        errors["time"] = _("The time is in the future: check the camera's clock.")
    else:
        data["time"] = time
    raw_plate = body.get("plate")
    plate = ""
    if isinstance(raw_plate, str) and len(raw_plate) <= 32:
        if _foreign_letters(raw_plate):
            # "ĄČĘ123" is not a plate with its letters dropped: it is refused.
            errors["plate"] = _(
                "The plate holds letters other than A-Z (%(letters)s): send it as the "
                "plate shows it, in Latin capitals and digits."
            ) % {"letters": "".join(sorted(_foreign_letters(raw_plate)))}
        else:
            plate, text, country = plate_fields(raw_plate, hint=camera.organization.country)
            data.update(plate=plate, text=text, country=country)
    if "plate" not in errors and (not plate or len(plate) > 12):
        errors["plate"] = _("The plate must be 1 to 12 letters A-Z and digits.")
    confidence = body.get("confidence")
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, int | float)
        or not 0 <= confidence <= 1
    ):
        errors["confidence"] = _("The confidence is a number from 0 to 1.")
    else:
        data["confidence"] = float(confidence)
    if body.get("image") not in (None, ""):
        try:
            data["image"], data["image_ext"] = _image(body["image"])
        except ValidationError as exc:
            errors["image"] = exc.messages[0]
    return data, errors


@csrf_exempt
@require_POST
def ingest_read(request: HttpRequest) -> JsonResponse:
    """Store a plate read (or a batch) posted by a camera; 201 when stored, 200 when already stored."""
    camera = camera_for_token(_token(request))
    if camera is None:
        return _error(_("Unknown or missing camera token."), status=401)
    try:
        body = json.loads(request.body or b"")
    except RequestDataTooBig:
        return _error(_("The request is too large."), status=413)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        # RecursionError: nesting thousands of levels deep is no plate read either.
        return _error(_("The body is not valid JSON."))
    if not isinstance(body, dict):
        return _error(_("The body must be a JSON object."))
    if "camera" not in body or not _camera_matches(camera, body["camera"]):
        return _error(
            _("Unknown camera: the camera field does not name the camera this token belongs to."),
            errors={"camera": _("Unknown camera.")},
        )
    if "reads" in body:
        return _ingest_batch(camera, body["reads"])
    data, errors = _fields(camera, body)
    if errors:
        return _error(_("Some fields are wrong; nothing was stored."), errors=errors)
    try:
        read, created = _store(camera, data)
    except ValidationError as exc:
        return _error(_("Some fields are wrong; nothing was stored."), errors=_field_errors(exc))
    # 200, not 201: a camera's retry of a read already stored (or one racing it).
    return JsonResponse(_answer(read), status=201 if created else 200)


def _ingest_batch(camera: TrafficCamera, reads: Any) -> JsonResponse:
    """Store a batch of reads, each as if posted alone; 201 when any is new, 200 when none.

    Every read is checked before any is stored: one wrong read refuses the
    batch and names it by its place in the list (from 0). Sending the batch
    again stores nothing twice: each read answers the id it was stored under.
    """
    limit = max_batch_reads()
    if not isinstance(reads, list) or not 1 <= len(reads) <= limit:
        message = _("reads must be a list of 1 to %(count)d plate reads.") % {"count": limit}
        return _error(message, errors={"reads": message})
    checked, errors = [], {}
    for i, one in enumerate(reads):
        if not isinstance(one, dict):
            errors[str(i)] = {"read": _("Each read must be a JSON object.")}
            continue
        if "camera" in one and not _camera_matches(camera, one["camera"]):
            errors[str(i)] = {"camera": _("Unknown camera.")}
            continue
        data, wrong = _fields(camera, one)
        if wrong:
            errors[str(i)] = wrong
        checked.append(data)
    if errors:
        return _error(_("Some reads are wrong; nothing was stored."), errors=errors)
    answers = []
    for i, data in enumerate(checked):
        try:
            read, created = _store(camera, data)
        except ValidationError as exc:
            # _fields checks what the action checks, so this is not expected; if
            # it happens, say which reads were stored, so the camera sends the rest.
            return _error(
                _("Read %(index)d is wrong; the reads before it were stored.") % {"index": i},
                errors={str(i): _field_errors(exc)},
            )
        answers.append({**_answer(read), "stored": created})
    return JsonResponse(
        {"reads": answers}, status=201 if any(a["stored"] for a in answers) else 200
    )


def _store(camera: TrafficCamera, data: dict[str, Any]) -> tuple[Any, bool]:
    return do_record_read_once(
        organization=camera.organization, camera=camera, source=ReadSource.CAMERA, **data
    )


def _field_errors(exc: ValidationError) -> dict[str, str]:
    return {k: v[0] for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict") else {}


def _answer(read: Any) -> dict[str, Any]:
    return {
        "id": read.pk,
        "plate": read.plate,
        "text": read.text,
        "country": read.country or None,
        # Most reads hit nothing: the read's own flag spares them the count.
        "hits": read.hits.count() if read.hit else 0,
    }


_READ_EXAMPLE = {
    "camera": "A13 Palanga north",
    "time": "2026-05-04T10:15:00+03:00",
    "plate": "KRA 123",
    "confidence": 0.93,
    "image": "<base64 JPEG or PNG, optional>",
}


_BATCH_EXAMPLE = {
    "camera": "A13 Palanga north",
    "reads": [
        {"time": "2026-05-04T10:15:00+03:00", "plate": "KRA 123", "confidence": 0.93},
        {"time": "2026-05-04T10:15:04+03:00", "plate": "LV KR-1234", "confidence": 0.88},
    ],
}


class IngestReadView(APIView):
    """A DRF face on :func:`ingest_read`, only so the OpenAPI schema documents it.

    Everything DRF would add is switched off: no user authentication (the camera
    token is checked by ``ingest_read``), so no session CSRF; no throttling; no
    content negotiation; and anything but POST gets the plain 405 the function
    view gives. ``post`` hands the Django request to ``ingest_read`` untouched.
    """

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FirstRenderer
    metadata_class = None

    def http_method_not_allowed(  # type: ignore[override]
        self, request: Any, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        return HttpResponseNotAllowed(["POST"])

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        # Skip DRF's Allow/Vary headers: the answer is the function view's, as it was.
        return response

    @extend_schema(
        operation_id="traffic_reads_ingest",
        summary="A traffic camera posts one plate read",
        description=(
            "Authenticated by the camera's own token: `Authorization: Camera <token>` "
            "(no user session, no CSRF). `camera` names the camera (its id or name) and must "
            "be the token's camera. `time` is ISO 8601 with its time zone, at most 5 minutes "
            "in the future. `plate` is 1 to 12 letters A-Z and digits once normalised. "
            "`confidence` is 0..1. `image` is an optional base64 JPEG or PNG (a data: URL is "
            "accepted) up to SCAPE_TRAFFIC_MAX_IMAGE_BYTES. A retry of a read already stored "
            "answers 200 with the same id; nothing is stored when any field is wrong. "
            "A camera that held reads back sends them as one batch: `camera` and `reads`, a "
            "list of up to SCAPE_TRAFFIC_MAX_BATCH (100) reads of the same fields; every read "
            "is checked first, one wrong read refuses the batch (its errors are keyed by its "
            "place in the list), and the answer is `reads`, each with `stored` (false for a "
            "read already stored), 201 when any read is new and 200 when none is."
        ),
        tags=["traffic"],
        auth=[],
        request={"application/json": OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample("A plate read", value=_READ_EXAMPLE, request_only=True),
            OpenApiExample("A batch of reads", value=_BATCH_EXAMPLE, request_only=True),
        ],
        responses={
            201: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Stored: id, plate, text, country, hits (a batch: reads, each "
                "with stored).",
            ),
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Already stored (a retry)."),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="detail and errors per field."),
            401: OpenApiResponse(description="Unknown, missing or inactive camera token."),
            413: OpenApiResponse(description="The request is too large."),
        },
    )
    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        return ingest_read(request._request)


ingest_read_view = IngestReadView.as_view()
