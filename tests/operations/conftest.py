"""Operations fixtures: a Latvian and a Lithuanian organization, their people, incidents."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from scape.core.choices import Role
from scape.operations.actions import do_create_incident, do_share_incident
from scape.operations.models import IncidentType


@pytest.fixture
def lv_officer(lv_org: Any, persona: Any) -> Any:
    return persona(lv_org, Role.OFFICER, username="edgars", first_name="Edgars", last_name="Vītols")


@pytest.fixture
def lv_volunteer(lv_org: Any, persona: Any) -> Any:
    return persona(lv_org, Role.VOLUNTEER, username="santa")


@pytest.fixture
def lt_specialist(lt_org: Any, persona: Any) -> Any:
    return persona(lt_org, Role.SPECIALIST, username="tomas", first_name="Tomas", last_name="J")


@pytest.fixture
def lt_officer(lt_org: Any, persona: Any) -> Any:
    return persona(lt_org, Role.OFFICER, username="andrius", first_name="Andrius", last_name="K")


@pytest.fixture
def lt_coordinator(lt_org: Any, persona: Any) -> Any:
    return persona(lt_org, Role.COORDINATOR, username="rasa", first_name="Rasa", last_name="P")


@pytest.fixture
def other_org_officer(persona: Any) -> Any:
    from scape.directory.testing import make_org

    return persona(make_org("kurzeme", country="LV"), Role.OFFICER, username="janis")


@pytest.fixture
def theft(db: Any) -> IncidentType:
    return IncidentType.objects.get(code="theft")


@pytest.fixture
def make_incident(lv_officer: Any, theft: IncidentType) -> Any:
    def factory(actor: Any = None, **fields: Any) -> Any:
        fields.setdefault("title", "Stolen e-bike at the border")
        fields.setdefault("latitude", Decimal("56.060000"))
        fields.setdefault("longitude", Decimal("21.070000"))
        fields.setdefault("type", theft)
        return do_create_incident(actor=(actor or lv_officer).user, **fields)

    return factory


@pytest.fixture
def share(lt_org: Any, lv_officer: Any) -> Any:
    def factory(incident: Any, grantee: Any = None, **fields: Any) -> Any:
        fields.setdefault("purpose", "Cross-border search")
        fields.setdefault("expires_at", timezone.now() + datetime.timedelta(days=7))
        return do_share_incident(
            incident, grantee=grantee or lt_org, actor=lv_officer.user, **fields
        )

    return factory
