"""The reports page shows figures counted ahead by the worker; a coordinator can recount them."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.core.testing import IMMEDIATE_TASKS
from scape.reports.actions import do_refresh_snapshots
from scape.reports.models import Snapshot
from scape.reports.periods import Period
from scape.reports.queries import snapshot_results
from scape.reports.tasks import refresh_standard_snapshots, standard_periods
from tests.reports.conftest import at, make_item

YEAR_2025 = "/reports/?period=year&year=2025"


def _value(html: str, code: str) -> str:
    card = html[html.index(f'data-indicator="{code}"') :]
    return re.search(r'<span class="value">([^<]*)</span>', card).group(1)  # type: ignore[union-attr]


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE_TASKS


def test_the_page_shows_the_stored_figures_until_they_are_counted_again(
    evidence: Any,
    lt_org: Any,
    lt_officer: Any,
    lt_custodian: Any,
    logged_in: Any,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    officer = logged_in(lt_officer)
    first = officer.get(YEAR_2025).content.decode()
    assert _value(first, "evidence-ingested") == "3"
    assert "Figures as counted at" in first
    assert "Count again" not in first  # an officer cannot ask for a recount
    make_item(lt_org, at(2025, 3, 3, 12, 0))
    # The request does not count the records again: the stored figure stands.
    assert _value(officer.get(YEAR_2025).content.decode(), "evidence-ingested") == "3"
    assert officer.post("/reports/refresh/", {"period": "year", "year": "2025"}).status_code == 403

    coordinator = logged_in(lt_custodian)
    assert "Count again" in coordinator.get(YEAR_2025).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = coordinator.post("/reports/refresh/", {"period": "year", "year": "2025"})
    assert answer.status_code == 302 and answer["Location"].endswith("period=year&year=2025")
    assert _value(coordinator.get(YEAR_2025).content.decode(), "evidence-ingested") == "4"
    event = AuditEvent.objects.get(action="reports.refresh_requested")
    assert event.actor_username == lt_custodian.user.username
    assert event.details["first"] == "2025-01-01"


def test_the_worker_counts_this_year_quarter_and_month_for_everyone_and_each_partner(
    evidence: Any, lt_org: Any, lv_org: Any, third_org: Any
) -> None:
    stored = refresh_standard_snapshots()
    periods = standard_periods()
    scopes = {"", lt_org.code, lv_org.code, third_org.code}
    assert stored == Snapshot.objects.count() > 0
    for period in periods:
        assert (
            set(
                Snapshot.objects.filter(first=period.first, last=period.last).values_list(
                    "scope", flat=True
                )
            )
            == scopes
        )
    # Counting again replaces the rows rather than adding to them.
    refresh_standard_snapshots()
    assert Snapshot.objects.count() == stored


def test_stored_values_keep_their_type(evidence: Any) -> None:
    period = Period.year(2025)
    do_refresh_snapshots(period)
    found = snapshot_results(period)
    assert found is not None
    for result in found.results:
        assert result.value is None or isinstance(result.value, int | Decimal)
        for pairs in result.figure.breakdown.values():
            for _label, value in pairs:
                assert value is None or isinstance(value, int | Decimal)
    # Each stored value is what counting it now gives.
    from scape.reports.queries import evaluate_all

    assert [r.value for r in found.results] == [r.value for r in evaluate_all(period)]


def test_an_indicator_without_a_stored_figure_is_counted_on_first_view(
    evidence: Any, lt_officer: Any, logged_in: Any
) -> None:
    assert not Snapshot.objects.exists()
    html = logged_in(lt_officer).get(YEAR_2025).content.decode()
    assert _value(html, "evidence-ingested") == "3"
    assert Snapshot.objects.filter(first="2025-01-01", last="2025-12-31", scope="").exists()


def test_only_coordinators_of_a_partner_may_recount(
    lt_org: Any, persona: Any, logged_in: Any
) -> None:
    volunteer = persona(lt_org, Role.VOLUNTEER)
    assert (
        logged_in(volunteer)
        .post("/reports/refresh/", {"period": "year", "year": "2025"})
        .status_code
        == 403
    )
