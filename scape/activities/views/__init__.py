"""Activities pages: the programme (an activity with its registrations, attendance,
sign-in sheet, certificates and feedback), the calendar and its feeds, the
competency matrix and the contacts, and the public certificate check."""

from __future__ import annotations

from django.http import HttpRequest

from scape.directory.models import Person


def me(request: HttpRequest) -> Person | None:
    """Return the signed-in user's person, if they have one."""
    return getattr(request.user, "person", None)
