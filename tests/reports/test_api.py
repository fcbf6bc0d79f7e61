"""The reports API: indicator values for a period, read-only, for members only."""

from __future__ import annotations

from typing import Any

from scape.core.choices import Role


def test_it_lists_indicators_with_values_for_a_period(
    evidence: Any, lt_officer: Any, logged_in: Any
) -> None:
    answer = logged_in(lt_officer).get("/api/v1/reports/indicators/?period=year&year=2025")
    assert answer.status_code == 200
    data = answer.json()
    assert data["period"] == {
        "kind": "year",
        "first": "2025-01-01",
        "last": "2025-12-31",
        "label": "2025",
    }
    by_code = {row["code"]: row for row in data["results"]}
    assert by_code["evidence-ingested"]["value"] == "3"
    assert by_code["institutions"]["target"] == "4"
    assert by_code["cases-shared"]["breakdown"]["organization"] == [
        {"label": "lt-police", "value": "1"},
        {"label": "lv-police", "value": "1"},
    ]


def test_it_gives_one_indicator_for_a_partner(
    evidence: Any, lt_officer: Any, logged_in: Any
) -> None:
    answer = logged_in(lt_officer).get(
        "/api/v1/reports/indicators/evidence-ingested/?period=quarter&year=2025&quarter=4&organization=lt-police"
    )
    assert answer.status_code == 200
    assert answer.json()["value"] == "1" and answer.json()["organization"] == "lt-police"


def test_it_says_null_for_no_data(db: Any, lt_officer: Any, logged_in: Any) -> None:
    from scape.reports.models import Indicator

    Indicator.objects.create(
        code="ghost", name_en="Ghost", name_lt="G", name_lv="G", group="operations",
        query="scape.reports.indicators.ghost.count",
    )  # fmt: skip
    data = logged_in(lt_officer).get("/api/v1/reports/indicators/ghost/").json()
    assert data["value"] is None and data["has_data"] is False


def test_it_refuses_bad_filters_with_a_message(lt_officer: Any, logged_in: Any) -> None:
    answer = logged_in(lt_officer).get("/api/v1/reports/indicators/?period=quarter&year=2025")
    assert answer.status_code == 400
    assert "Choose a quarter." in answer.content.decode()


def test_it_is_read_only_and_for_members(
    lt_org: Any, lt_officer: Any, persona: Any, logged_in: Any, client: Any
) -> None:
    assert logged_in(lt_officer).post("/api/v1/reports/indicators/").status_code == 405
    client.logout()
    assert client.get("/api/v1/reports/indicators/").status_code in (401, 403)
    assert logged_in(persona(lt_org)).get("/api/v1/reports/indicators/").status_code == 403
    assert (
        logged_in(persona(lt_org, Role.VOLUNTEER)).get("/api/v1/reports/indicators/").status_code
        == 200
    )
