"""The demo loader adds the programme's solutions once."""

from __future__ import annotations

from typing import Any

from scape.reports.demo import demo_loader
from scape.reports.models import Solution


def test_it_loads_the_solutions_once(db: Any) -> None:
    created, lines = demo_loader()
    assert created == 3 and Solution.objects.count() == 3
    assert demo_loader()[0] == 0 and Solution.objects.count() == 3
    assert any("/reports/" in line for line in lines)
