"""Operations figures: incidents, shared incidents, joint patrols, plate hits across the
border, public notices."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from scape.alerts.models import Notice
from scape.core.actions import do_share_record
from scape.core.models import Grant
from scape.operations.models import Incident, IncidentType, Patrol, PatrolMember
from scape.reports.indicators import compute
from scape.reports.periods import Period
from scape.traffic.models import Hit, HotlistEntry, PlateRead
from tests.reports.conftest import YEAR, at

P = "scape.reports.indicators.operations."


@pytest.fixture
def operations(
    lt_org: Any, lv_org: Any, third_org: Any, lt_custodian: Any, lv_officer: Any, persona: Any
) -> Any:
    """2025: LT incidents I1 (theft), I2 (traffic), an exercise; LV incident I3 (theft);
    I1 shared with LV; LT patrol with an LV officer (joint) and an LT-only patrol."""
    theft = IncidentType.objects.create(
        code="rp-theft", name_en="Theft", name_lt="Vagystė", name_lv="Zādzība"
    )
    traffic = IncidentType.objects.create(
        code="rp-traffic", name_en="Traffic", name_lt="Eismas", name_lv="Satiksme"
    )
    user = lt_custodian.user

    def incident(org: Any, ref: str, kind: Any, when: Any, **fields: Any) -> Incident:
        return Incident.objects.create(
            organization=org, reference=ref, type=kind, title=ref, occurred_at=when,
            created_by=user, **fields,
        )  # fmt: skip

    i1 = incident(lt_org, "I1", theft, at(2025, 2, 1, 10))
    incident(lt_org, "I2", traffic, at(2025, 12, 31, 23, 30))
    incident(lt_org, "X1", theft, at(2025, 3, 1, 10), is_exercise=True)
    incident(lv_org, "I3", theft, at(2025, 4, 1, 10))
    incident(lv_org, "I0", theft, at(2024, 12, 31, 23, 30))
    grant = do_share_record(
        i1, grantee=lv_org, purpose="joint", actor=user,
        expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=9),
    )  # fmt: skip
    Grant.objects.filter(pk=grant.pk).update(granted_at=at(2025, 2, 2, 10))
    joint = Patrol.objects.create(
        organization=lt_org,
        title="Beach",
        starts_at=at(2025, 7, 1, 10),
        ends_at=at(2025, 7, 1, 14),
        created_by=user,
    )
    PatrolMember.objects.create(patrol=joint, person=lt_custodian)
    PatrolMember.objects.create(patrol=joint, person=lv_officer)
    alone = Patrol.objects.create(
        organization=lt_org,
        title="Town",
        starts_at=at(2025, 8, 1, 10),
        ends_at=at(2025, 8, 1, 14),
        created_by=user,
    )
    PatrolMember.objects.create(patrol=alone, person=lt_custodian)
    return {"i1": i1, "joint": joint}


def test_it_counts_incidents_by_type_and_organization(operations: Any, lv_org: Any) -> None:
    figure = compute(P + "incidents", YEAR)
    assert figure.value == 3  # I1, I2, I3: not the exercise, not I0 of 2024
    assert dict(figure.breakdown["type"]) == {"Theft": 2, "Traffic": 1}
    assert dict(figure.breakdown["organization"]) == {"lt-police": 2, "lv-police": 1}
    assert compute(P + "incidents", YEAR, lv_org).value == 1
    assert compute(P + "incidents", Period.quarter(2025, 4)).value == 1  # I2 at 23:30 on 31 Dec


def test_it_counts_a_shared_incident_for_both(
    operations: Any, lt_org: Any, lv_org: Any, third_org: Any
) -> None:
    figure = compute(P + "incidents_shared", YEAR)
    assert figure.value == 1
    assert dict(figure.breakdown["organization"]) == {"lt-police": 1, "lv-police": 1}
    assert compute(P + "incidents_shared", YEAR, lv_org).value == 1
    assert compute(P + "incidents_shared", YEAR, third_org).value == 0


def test_it_counts_only_patrols_of_two_organizations_as_joint(
    operations: Any, lv_org: Any, third_org: Any
) -> None:
    assert compute(P + "joint_patrols", YEAR).value == 1
    assert compute(P + "joint_patrols", YEAR, lv_org).value == 1  # an LV officer was on it
    assert compute(P + "joint_patrols", YEAR, third_org).value == 0
    # LT and LV shared an incident and patrolled together: two institutions, each once
    assert compute("scape.reports.indicators.programme.institutions", YEAR).value == 2


def test_it_counts_plate_hits_across_the_border(
    lt_org: Any, lv_org: Any, third_org: Any, lt_custodian: Any
) -> None:
    def hit(reader: Any, owner: Any, when: Any) -> None:
        read = PlateRead.objects.create(
            organization=reader,
            time=when,
            plate="ABC123",
            text="ABC 123",
            confidence=0.9,
            source="camera",
        )
        entry = HotlistEntry.objects.create(
            organization=owner, plate="ABC123", text="ABC 123", reason="stolen_vehicle",
            valid_until=when + datetime.timedelta(days=30), created_by=lt_custodian.user,
        )  # fmt: skip
        Hit.objects.create(read=read, entry=entry, time=when)

    hit(lt_org, lv_org, at(2025, 5, 1, 10))  # LT camera, LV entry: across
    hit(third_org, lt_org, at(2025, 6, 1, 10))  # LV municipal camera, LT entry: across
    hit(lv_org, third_org, at(2025, 6, 2, 10))  # both Latvian: not across
    hit(lt_org, lv_org, at(2024, 6, 1, 10))  # 2024
    assert compute(P + "plate_hits_shared", YEAR).value == 2
    assert compute(P + "plate_hits_shared", YEAR, lv_org).value == 1
    assert compute(P + "plate_hits_shared", YEAR, lt_org).value == 2


def test_it_counts_notices_actually_published(lt_org: Any, lv_org: Any, lt_custodian: Any) -> None:
    def notice(org: Any, sent: Any, **fields: Any) -> None:
        fields.setdefault("state", "published")
        Notice.objects.create(
            identifier=f"scape-{org.code}-{Notice.objects.count()}", organization=org, sender="x",
            event="Storm", urgency="Expected", severity="Moderate", certainty="Likely", sent=sent,
            created_by=lt_custodian.user, **fields,
        )  # fmt: skip

    notice(lt_org, at(2025, 1, 5, 10))
    notice(lt_org, at(2025, 2, 5, 10), state="superseded")
    notice(lv_org, at(2025, 3, 5, 10), status="Exercise")
    notice(lv_org, None, state="draft")
    notice(lv_org, at(2026, 1, 5, 10))
    assert compute(P + "notices_published", YEAR).value == 2
    assert compute(P + "notices_published", YEAR, lv_org).value == 0


def test_it_names_incident_types_with_their_parent(
    operations: Any, lt_org: Any, lt_custodian: Any
) -> None:
    road = IncidentType.objects.create(
        code="rp-road", name_en="Road", name_lt="Kelias", name_lv="Ceļš"
    )
    crash = IncidentType.objects.create(
        code="rp-crash", name_en="Collision", name_lt="Susidūrimas", name_lv="Sadursme", parent=road
    )
    Incident.objects.create(
        organization=lt_org, reference="I9", type=crash, title="crash", occurred_at=at(2025, 9, 9, 9),
        created_by=lt_custodian.user,
    )  # fmt: skip
    assert dict(compute(P + "incidents", YEAR).breakdown["type"])["Road / Collision"] == 1
