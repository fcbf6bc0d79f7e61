"""Programme indicators: institutions in cooperation (each once), solutions introduced."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from scape.reports.indicators import compute
from scape.reports.models import Solution
from scape.reports.periods import Period
from tests.reports.conftest import YEAR

P = "scape.reports.indicators.programme."


def test_it_counts_each_cooperating_institution_once(
    evidence: Any, lt_org: Any, lv_org: Any, third_org: Any
) -> None:
    # 2025: K1 shared LT -> LV, item E shared LV -> third: LV took part twice, counts once.
    figure = compute(P + "institutions", YEAR)
    assert figure.value == 3
    assert dict(figure.breakdown["country"]) == {"LT": 1, "LV": 2}
    assert compute(P + "institutions", Period.year(2024)).value == 2
    assert compute(P + "institutions", Period.year(2023)).value == 0


def test_it_counts_the_institutions_a_partner_cooperated_with(
    evidence: Any, lt_org: Any, third_org: Any
) -> None:
    assert compute(P + "institutions", YEAR, lt_org).value == 2  # LT and LV
    assert compute(P + "institutions", YEAR, third_org).value == 2  # LV and the third


def test_it_counts_solutions_introduced_and_joint_ones_for_every_partner(
    lt_org: Any, lv_org: Any
) -> None:
    def solution(name: str, day: datetime.date, org: Any = None, **fields: Any) -> Solution:
        return Solution.objects.create(
            name_en=name, name_lt=name, name_lv=name, introduced_on=day, organization=org, **fields
        )

    solution("Body cameras on patrol", datetime.date(2025, 3, 1), lt_org)
    solution("Shared evidence vault", datetime.date(2025, 6, 1))
    solution("E-bike beach patrols", datetime.date(2024, 6, 1), lv_org)
    solution("Withdrawn idea", datetime.date(2025, 7, 1), active=False)
    assert compute(P + "solutions", YEAR).value == 2
    assert compute(P + "solutions", YEAR, lt_org).value == 2
    assert compute(P + "solutions", YEAR, lv_org).value == 1
    assert compute(P + "solutions", Period.year(2024)).value == 1


def test_it_accepts_only_scape_paths_and_web_addresses_as_solution_links(db: Any) -> None:
    from django.core.exceptions import ValidationError

    solution = Solution(
        name_en="x", name_lt="x", name_lv="x", introduced_on=datetime.date(2025, 1, 1)
    )
    for good in ("/activities/", "https://latlit.eu/", ""):
        solution.link = good
        solution.full_clean()
    for bad in ("javascript:alert(1)", "//evil.example/", "data:text/html,x"):
        solution.link = bad
        with pytest.raises(ValidationError):
            solution.full_clean()
