"""Activities through the API: the programme, registrations, attendance, certificates,
and the public verification of a certificate.

Every write calls an action of scape.activities.actions; a refused action
(Django ValidationError) becomes a 400 answer with its messages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scape.activities.actions import (
    do_approve_registration,
    do_cancel_registration,
    do_issue_certificates,
    do_mark_attendance,
    do_register,
    do_reject_registration,
    do_revoke_certificate,
)
from scape.activities.api.serializers import (
    ActivityInputSerializer,
    ActivitySerializer,
    AttendanceInputSerializer,
    AttendanceSerializer,
    CertificateSerializer,
    RegisterInputSerializer,
    RegistrationSerializer,
    RejectInputSerializer,
    RevokeInputSerializer,
    SessionInputSerializer,
    SessionSerializer,
    VerificationSerializer,
)
from scape.activities.models import Activity, Attendance, Certificate, Registration
from scape.activities.queries import access_session, certificate_by_code, verification_facts
from scape.core.api import RestrictedViewSetMixin
from scape.core.api_schema import error_response
from scape.core.choices import Action
from scape.directory.queries import access_person


def _call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc


class ActivityViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The joint programme: every partner sees every activity that is not a draft."""

    model = Activity
    serializer_class = ActivitySerializer
    filterset_fields = ["kind", "status", "country"]
    search_fields = ["title_en", "title_lt", "title_lv", "city"]
    ordering_fields = ["starts_at", "kind"]
    access_actions = {
        "register": Action.VIEW,
        "issue_certificates": Action.CHANGE,
        "sessions": Action.CHANGE,
    }

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("organization")
            .prefetch_related("partners", "competencies", "sessions")
            .distinct()
            .order_by("-starts_at")
        )

    @extend_schema(request=ActivityInputSerializer, responses={201: ActivitySerializer})
    def create(self, request: Request) -> Response:
        """Create an activity of the caller's organization (a draft until published)."""
        from scape.activities.actions import do_create_activity
        from scape.core.access import actor_of
        from scape.directory.models import Organization

        data = ActivityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization = Organization.objects.get(pk=actor_of(request.user).organization_id or 0)
        fields = {"country": organization.country, **data.validated_data}
        activity = _call(do_create_activity, organization, actor=request.user, **fields)
        return Response(
            ActivitySerializer(self.get_queryset().get(pk=activity.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=SessionInputSerializer, responses={201: SessionSerializer})
    @action(detail=True, methods=["post"])
    def sessions(self, request: Request, pk: str | None = None) -> Response:
        """Add a sitting of the activity (its length counts as hours for those present)."""
        from scape.activities.actions import do_add_session

        activity = self.get_object()
        data = SessionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = _call(do_add_session, activity, actor=request.user, **data.validated_data)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RegisterInputSerializer, responses={201: RegistrationSerializer})
    @action(detail=True, methods=["post"])
    def register(self, request: Request, pk: str | None = None) -> Response:
        """Register yourself, or nominate a person of your organization."""
        activity = self.get_object()
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = getattr(request.user, "person", None)
        if data.validated_data.get("person"):
            # A person the caller may not see is as unknown as one that does not exist.
            try:
                person = access_person(request.user, data.validated_data["person"])
            except Http404 as exc:
                raise NotFound(_("No such person.")) from exc
        if person is None:
            raise PermissionDenied()
        registration = _call(do_register, activity, person, actor=request.user)
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CertificateSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="issue-certificates")
    def issue_certificates(self, request: Request, pk: str | None = None) -> Response:
        """Issue certificates to the participants who completed the activity."""
        activity = self.get_object()
        issued = _call(do_issue_certificates, activity, actor=request.user)
        return Response(CertificateSerializer(issued, many=True).data)


class RegistrationViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Registrations: the organizers', the person's coordinator's, and one's own."""

    model = Registration
    serializer_class = RegistrationSerializer
    filterset_fields = ["activity", "status", "person"]
    access_actions = {"approve": Action.CHANGE, "reject": Action.CHANGE, "cancel": Action.VIEW}

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("person__user", "person__organization")

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve; when the activity is full, the registration goes on the waiting list."""
        registration = _call(do_approve_registration, self.get_object(), actor=request.user)
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(request=RejectInputSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        # The door first: a registration the caller may not see is a 404 whatever the input.
        registration = self.get_object()
        data = RejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration = _call(
            do_reject_registration,
            registration,
            actor=request.user,
            reason=data.validated_data["reason"],
        )
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel; a freed place goes to the first on the waiting list."""
        registration = _call(do_cancel_registration, self.get_object(), actor=request.user)
        return Response(RegistrationSerializer(registration).data)


class AttendanceViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Attendance per session; organizers and trainers mark it."""

    model = Attendance
    serializer_class = AttendanceSerializer
    filterset_fields = ["session", "person", "present"]

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("session")

    @extend_schema(
        request=AttendanceInputSerializer,
        responses={201: AttendanceSerializer(many=True), 404: error_response(404)},
    )
    def create(self, request: Request) -> Response:
        """Mark people present (and absent) at a session."""
        data = AttendanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            session = access_session(request.user, data.validated_data["session"])
        except Http404 as exc:
            raise NotFound() from exc
        marks = dict.fromkeys(data.validated_data["absent"], False)
        marks.update(dict.fromkeys(data.validated_data["present"], True))
        rows = _call(do_mark_attendance, session, marks, actor=request.user)
        return Response(AttendanceSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)


class CertificateViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Certificates: the holder's, their coordinator's and the organizers'."""

    model = Certificate
    serializer_class = CertificateSerializer
    filterset_fields = ["activity", "person"]
    access_actions = {"revoke": Action.CHANGE}

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("person__user")

    @extend_schema(request=RevokeInputSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        """Revoke the certificate and the competencies it granted."""
        # The door first: a certificate the caller may not see is a 404 whatever the input.
        certificate = self.get_object()
        data = RevokeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = _call(
            do_revoke_certificate,
            certificate,
            reason=data.validated_data["reason"],
            actor=request.user,
        )
        return Response(CertificateSerializer(certificate).data)


class VerifyView(APIView):
    """Public: tell whether a certificate is valid, expired or revoked (no login)."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=VerificationSerializer)
    def get(self, request: Request, code: str) -> Response:
        certificate = certificate_by_code(code)
        if certificate is None:
            raise NotFound(_("No certificate has this code."))
        facts = verification_facts(certificate)
        facts.pop("state_label", None)
        return Response(VerificationSerializer(facts).data)
