"""Evidence figures against a hand-counted fixture: ingested, shared, cases shared, exported."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from scape.core import audit
from scape.reports.indicators import compute
from scape.reports.periods import Period
from scape.reports.queries import drill_down
from scape.vault.models import ExternalLink
from tests.reports.conftest import YEAR

P = "scape.reports.indicators.vault."


def test_it_counts_items_ingested_inside_the_period_boundaries(evidence: Any) -> None:
    figure = compute(P + "evidence_ingested", YEAR)
    assert figure.value == 3  # A, B, E: not C (2024) nor D (2026)
    assert dict(figure.breakdown["organization"]) == {"lt-police": 2, "lv-police": 1}


def test_it_filters_items_ingested_by_partner(evidence: Any, lt_org: Any, lv_org: Any) -> None:
    assert compute(P + "evidence_ingested", YEAR, lt_org).value == 2
    assert compute(P + "evidence_ingested", YEAR, lv_org).value == 1
    assert compute(P + "evidence_ingested", Period.year(2024), lt_org).value == 1


def test_it_counts_a_shared_case_for_both_organizations(
    evidence: Any, lt_org: Any, lv_org: Any, third_org: Any
) -> None:
    figure = compute(P + "cases_shared", YEAR)
    assert figure.value == 1  # K1; K2 was shared in 2024
    assert dict(figure.breakdown["organization"]) == {"lt-police": 1, "lv-police": 1}
    assert compute(P + "cases_shared", YEAR, lt_org).value == 1
    assert compute(P + "cases_shared", YEAR, lv_org).value == 1
    assert compute(P + "cases_shared", YEAR, third_org).value == 0
    assert compute(P + "cases_shared", Period.year(2024), lt_org).value == 1


def test_it_counts_items_shared_directly_and_through_a_case(
    evidence: Any, lt_org: Any, lv_org: Any, third_org: Any
) -> None:
    assert compute(P + "evidence_shared", YEAR).value == 3  # A, B in K1; E directly
    assert compute(P + "evidence_shared", YEAR, lt_org).value == 2
    assert compute(P + "evidence_shared", YEAR, lv_org).value == 3
    assert compute(P + "evidence_shared", YEAR, third_org).value == 1


def test_it_counts_items_exported_to_court_by_export_or_link(
    evidence: Any, lt_org: Any, lv_custodian: Any
) -> None:
    audit.record("vault.exported", obj=evidence["a"], details={"case": "K1"})
    ExternalLink.objects.create(
        organization=evidence["k2"].organization,
        case=evidence["k2"],
        token_hash="x" * 64,
        recipient="Liepāja court",
        purpose="hearing",
        expires_at=timezone.now() + datetime.timedelta(days=5),
        created_by=lv_custodian.user,
    )
    today = timezone.localdate()
    around = Period(today - datetime.timedelta(days=1), today + datetime.timedelta(days=1))
    assert compute(P + "evidence_exported", around).value == 2  # A by export, E by link
    assert compute(P + "evidence_exported", around, lt_org).value == 1
    assert compute(P + "evidence_exported", YEAR).value == 0


def test_it_lists_only_the_records_the_user_may_see(
    evidence: Any, lt_officer: Any, lv_officer: Any, third_org: Any, persona: Any
) -> None:
    from scape.core.choices import Role

    ingested = compute(P + "evidence_ingested", YEAR)
    # LT sees its own A and B, and E through LV's case K2 shared with it.
    seen = drill_down(lt_officer.user, ingested)
    assert len(seen.rows) == 3 and seen.hidden == 0
    outsider = persona(third_org, Role.OFFICER)
    # The third partner sees only E (shared with it); A and B are only counted.
    theirs = drill_down(outsider.user, ingested)
    assert [r.label for r in theirs.rows] == [f"#{evidence['e'].pk} {evidence['e'].original_name}"]
    assert theirs.hidden == 2
    cases = compute(P + "cases_shared", YEAR)
    assert [r.label for r in drill_down(lv_officer.user, cases).rows] == [str(evidence["k1"])]
    other = drill_down(outsider.user, cases)
    assert list(other.rows) == [] and other.hidden == 1


def test_it_reads_the_visible_records_of_several_sources_as_one_list(
    evidence: Any, lt_officer: Any
) -> None:
    from scape.reports.indicators import Figure

    ingested = compute(P + "evidence_ingested", YEAR)
    cases = compute(P + "cases_shared", YEAR)
    both = drill_down(lt_officer.user, Figure(4, ingested.sources + cases.sources))
    labels = [row.label for row in both.rows]
    assert len(both.rows) == 4 and labels[3] == str(evidence["k1"])
    assert [row.label for row in both.rows[2:4]] == labels[2:4]
    assert both.rows[-1:] == [both.rows[3]]
