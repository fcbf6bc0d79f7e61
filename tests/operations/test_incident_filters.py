"""The incident list narrowed by its filters, as a coordinator uses it."""

from __future__ import annotations

from typing import Any

import pytest

from scape.operations.models import IncidentType

pytestmark = pytest.mark.django_db


def _titles(response: Any) -> set[str]:
    return {incident.title for incident in response.context["page"]}


def test_a_type_finds_its_subtypes_and_a_bad_filter_lists_nothing(
    make_incident: Any, lv_officer: Any, logged_in: Any
) -> None:
    water = IncidentType.objects.get(code="water-safety")
    drowning = IncidentType.objects.get(code="drowning")
    make_incident(title="Bike theft")
    make_incident(title="Swimmer in trouble", type=drowning)
    client = logged_in(lv_officer)
    assert _titles(client.get("/operations/")) == {"Bike theft", "Swimmer in trouble"}
    assert _titles(client.get("/operations/", {"type": water.pk})) == {"Swimmer in trouble"}
    refused = client.get("/operations/", {"status": "no-such-status"})
    assert _titles(refused) == set()
    assert "Select a valid choice" in refused.content.decode()
