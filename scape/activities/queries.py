"""Reads of activities that other apps use (equipment's competency gate, reports' figures)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from scape.activities.models import Competency, PersonCompetency


def get_competency(code: str) -> Competency | None:
    """Return the competency with this code, or None."""
    return Competency.objects.filter(code=code).first()


def holds_competency(
    person: Any, competency: Competency | str, on: datetime.date | None = None
) -> bool:
    """Return whether the person holds the competency, valid (not expired, not revoked) on a day."""
    if isinstance(competency, str):
        found = get_competency(competency)
        if found is None:
            return False
        competency = found
    on = on or timezone.localdate()
    for held in PersonCompetency.objects.select_related("competency").filter(
        person=person, competency=competency, revoked=False, valid_from__lte=on
    ):
        until = held.expires_on()
        if until is None or until >= on:
            return True
    return False
