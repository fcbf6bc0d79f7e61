"""An indicator whose records are not kept (yet) shows "no data", never zero."""

from __future__ import annotations

from typing import Any

import pytest

from scape.reports import indicators
from scape.reports.indicators import compute, register
from scape.reports.models import Indicator
from tests.reports.conftest import YEAR


def test_it_gives_no_data_for_a_missing_query_function(db: Any) -> None:
    assert compute("scape.reports.indicators.nowhere.nothing", YEAR).value is None
    assert compute("scape.reports.indicators.vault.no_such_function", YEAR).value is None
    assert compute("os.getcwd", YEAR).value is None  # only registered functions run


def test_it_gives_no_data_when_the_query_says_its_records_are_not_kept(db: Any) -> None:
    @register
    def not_kept(period: Any, organization: Any) -> Any:
        raise indicators.NoData("no such records here")

    try:
        figure = compute(f"{__name__}.not_kept", YEAR)
    finally:
        indicators.REGISTRY.pop(f"{__name__}.not_kept")
    assert figure.value is None and not figure.has_data


@pytest.mark.django_db
def test_it_shows_no_data_on_the_dashboard_not_zero(lt_officer: Any, logged_in: Any) -> None:
    Indicator.objects.update(active=False)
    Indicator.objects.create(
        code="ghost", name_en="Ghost figure", name_lt="Ghost", name_lv="Ghost",
        query="scape.reports.indicators.ghost.count", group="operations",
    )  # fmt: skip
    Indicator.objects.filter(code="evidence-ingested").update(active=True)
    page = logged_in(lt_officer).get("/reports/?period=year&year=2025")
    assert page.status_code == 200
    html = page.content.decode()
    ghost = html[html.index('data-indicator="ghost"') :]
    ghost = ghost[: ghost.index("</article>")]
    assert "no data" in ghost and '<span class="value">0</span>' not in ghost
    ingested = html[html.index('data-indicator="evidence-ingested"') :]
    assert '<span class="value">0</span>' in ingested[: ingested.index("</article>")]
    drill = logged_in(lt_officer).get("/reports/ghost/?period=year&year=2025")
    assert "No data" in drill.content.decode()


def test_a_query_that_no_longer_fits_its_models_fails_loudly_in_tests(
    db: Any, settings: Any
) -> None:
    from scape.operations.models import Incident

    @register
    def broken(period: Any, organization: Any) -> Any:
        return Incident.objects.filter(no_such_field=1).count()

    path = f"{__name__}.broken"
    try:
        with pytest.raises(Exception, match="no_such_field"):
            compute(path, YEAR)
        # A running dashboard shows "no data" for that figure and logs it.
        settings.TESTING = False
        assert compute(path, YEAR).value is None
    finally:
        indicators.REGISTRY.pop(path)


def test_every_indicator_of_the_programme_runs_on_the_demo_schema(db: Any) -> None:
    # A query broken by a change in another app fails here, not as "no data".
    for indicator in Indicator.objects.all():
        compute(indicator.query, YEAR)
