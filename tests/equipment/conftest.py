"""Equipment fixtures: an equipment desk (coordinator), officers, assets and competencies."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from scape.activities.models import Competency, KindRequirement, PersonCompetency
from scape.core.choices import Role
from scape.equipment.actions import do_create_asset
from scape.equipment.choices import AssetKind


@pytest.fixture
def desk(lt_org: Any, persona: Any) -> Any:
    """The coordinator who hands out equipment."""
    return persona(lt_org, Role.COORDINATOR, username="desk", first_name="Dalia", last_name="Desk")


@pytest.fixture
def officer(lt_org: Any, persona: Any) -> Any:
    return persona(
        lt_org, Role.OFFICER, username="jonas", first_name="Jonas", last_name="Petraitis"
    )


@pytest.fixture
def make_asset(lt_org: Any, desk: Any) -> Any:
    def factory(kind: str = AssetKind.BODY_CAMERA, tag: str = "BC-001", **fields: Any) -> Any:
        org = fields.pop("organization", lt_org)
        return do_create_asset(org, kind=kind, tag=tag, actor=desk.user, **fields)

    return factory


@pytest.fixture
def ebike_patrol(db: Any) -> Competency:
    """E-bike patrol training, required to take an e-bike."""
    competency = Competency.objects.create(
        code="e-bike-patrol",
        name_lt="Patruliavimas elektriniu dviračiu",
        name_lv="Patrulēšana ar elektrovelosipēdu",
        name_en="E-bike patrol",
    )
    KindRequirement.objects.create(kind=AssetKind.E_BIKE, competency=competency)
    return competency


@pytest.fixture
def drone(make_asset: Any) -> Any:
    return make_asset(kind=AssetKind.DRONE, tag="DR-1")


@pytest.fixture
def pilot(officer: Any) -> Any:
    """An officer holding the drone pilot competency."""
    grant(officer, Competency.objects.get(code="drone-pilot"))
    return officer


def grant(person: Any, competency: Competency, **fields: Any) -> PersonCompetency:
    fields.setdefault("valid_from", timezone.localdate() - datetime.timedelta(days=30))
    return PersonCompetency.objects.create(person=person, competency=competency, **fields)
