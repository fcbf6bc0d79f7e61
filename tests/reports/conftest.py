"""Reports fixtures: three partners, their people, and helpers that lay down records at given times."""

from __future__ import annotations

import datetime
import hashlib
import itertools
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest

from scape.core.choices import Role
from scape.directory.testing import make_org
from scape.equipment.actions import do_create_asset
from scape.equipment.models import Asset
from scape.reports.periods import Period
from scape.vault.choices import MediaKind, SourceType
from scape.vault.models import Case, EvidenceItem

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
YEAR = Period.year(2025)
_seq = itertools.count(1)


def at(*args: int) -> datetime.datetime:
    """Return a moment in Vilnius time (the reporting time zone)."""
    return datetime.datetime(*args, tzinfo=VILNIUS)  # type: ignore[misc]


@pytest.fixture
def third_org(db: Any) -> Any:
    return make_org("lv-municipal", country="LV")


@pytest.fixture
def lt_custodian(lt_org: Any, persona: Any) -> Any:
    return persona(lt_org, Role.CUSTODIAN, Role.COORDINATOR, username="lt-custodian")


@pytest.fixture
def lv_custodian(lv_org: Any, persona: Any) -> Any:
    return persona(lv_org, Role.CUSTODIAN, Role.COORDINATOR, username="lv-custodian")


@pytest.fixture
def lt_officer(lt_org: Any, persona: Any) -> Any:
    return persona(lt_org, Role.OFFICER, username="lt-officer")


@pytest.fixture
def lv_officer(lv_org: Any, persona: Any) -> Any:
    return persona(lv_org, Role.OFFICER, username="lv-officer")


def make_item(org: Any, ingested_at: datetime.datetime, **fields: Any) -> EvidenceItem:
    n = next(_seq)
    fields.setdefault("source_type", SourceType.BODY_CAM)
    fields.setdefault("original_name", f"clip-{n}.mp4")
    return EvidenceItem.objects.create(
        organization=org,
        sha256=hashlib.sha256(f"item-{n}".encode()).hexdigest(),
        size=100,
        media_kind=MediaKind.VIDEO,
        content_type="video/mp4",
        ingested_at=ingested_at,
        **fields,
    )


def make_case(org: Any, *items: EvidenceItem, reference: str = "") -> Case:
    case = Case.objects.create(
        organization=org, reference=reference or f"C-{next(_seq)}", title="Case"
    )
    case.items.add(*items)
    return case


def share(obj: Any, grantee: Any, actor: Any, granted_at: datetime.datetime) -> Any:
    """Share through the real action, then date the grant to when the fixture says."""
    from scape.core.models import Grant
    from scape.vault.actions import do_share_evidence

    grant = do_share_evidence(
        obj,
        actor=actor.user,
        grantee=grantee,
        purpose="joint investigation",
        expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=30),
    )
    Grant.objects.filter(pk=grant.pk).update(granted_at=granted_at)
    return grant


def make_asset(org: Any, actor: Any, kind: str, tag: str, **fields: Any) -> Asset:
    asset = do_create_asset(org, kind=kind, tag=tag, actor=actor.user)
    if fields:
        Asset.objects.filter(pk=asset.pk).update(**fields)
        asset.refresh_from_db()
    return asset


def dec(value: Any) -> Decimal:
    return Decimal(str(value))


@pytest.fixture
def evidence(lt_org: Any, lv_org: Any, third_org: Any, lt_custodian: Any, lv_custodian: Any) -> Any:
    """LT: A (first moment of 2025), B (last second of 2025), C (2024), D (2026); LV: E (June 2025).

    LT case K1 (A, B) shared with LV in May 2025; LV case K2 (E) shared with LT in
    December 2024; item E shared with the third partner in July 2025.
    """
    a = make_item(lt_org, at(2025, 1, 1, 0, 0))
    b = make_item(lt_org, at(2025, 12, 31, 23, 59, 59))
    c = make_item(lt_org, at(2024, 12, 31, 23, 59, 59))
    d = make_item(lt_org, at(2026, 1, 1, 0, 0))
    e = make_item(lv_org, at(2025, 6, 1, 12, 0))
    k1 = make_case(lt_org, a, b)
    k2 = make_case(lv_org, e)
    share(k1, lv_org, lt_custodian, at(2025, 5, 5, 10, 0))
    share(k2, lt_org, lv_custodian, at(2024, 12, 31, 10, 0))
    share(e, third_org, lv_custodian, at(2025, 7, 1, 10, 0))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "k1": k1, "k2": k2}
