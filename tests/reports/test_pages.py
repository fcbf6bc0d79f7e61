"""The dashboard and the drill-down pages: who may open them, filters, charts, records."""

from __future__ import annotations

import re
from typing import Any

import pytest


def test_it_sends_anonymous_visitors_to_the_login(client: Any, db: Any) -> None:
    answer = client.get("/reports/")
    assert answer.status_code == 302 and "/login" in answer["Location"]


def test_it_refuses_users_of_no_partner_organization(
    lt_org: Any, persona: Any, logged_in: Any
) -> None:
    nobody = persona(lt_org)  # no role
    assert logged_in(nobody).get("/reports/").status_code == 403


def test_it_shows_figures_with_targets_and_svg_charts(
    evidence: Any, lt_officer: Any, logged_in: Any
) -> None:
    page = logged_in(lt_officer).get("/reports/?period=year&year=2025")
    html = page.content.decode()
    assert page.status_code == 200
    card = html[html.index('data-indicator="institutions"') :]
    card = card[: card.index("</article>")]
    assert '<span class="value">3</span>' in card
    assert "Target: 4" in card and "75 % of the target" in card
    assert "<svg" in card
    assert not re.search(r"\sstyle=", html), "CSP forbids inline styles"
    assert "<script>" not in html


def test_its_charts_name_the_partners_not_their_codes(
    evidence: Any, lt_officer: Any, lv_org: Any, logged_in: Any
) -> None:
    lv_org.short_name = "VP Kurzeme"
    lv_org.save()
    html = logged_in(lt_officer).get("/reports/?period=year&year=2025").content.decode()
    card = html[html.index('data-indicator="cases-shared"') :]
    card = card[: card.index("</article>")]
    assert "VP Kurzeme" in card
    assert ">lv-police<" not in card and "lv-police:" not in card


def test_it_applies_the_period_and_partner_filter(
    evidence: Any, lt_org: Any, lt_officer: Any, logged_in: Any
) -> None:
    client = logged_in(lt_officer)

    def value(html: str, code: str) -> str:
        card = html[html.index(f'data-indicator="{code}"') :]
        return re.search(r'<span class="value">([^<]*)</span>', card).group(1)  # type: ignore[union-attr]

    everyone = client.get("/reports/?period=year&year=2025").content.decode()
    assert value(everyone, "evidence-ingested") == "3"
    lt_only = client.get("/reports/?period=year&year=2025&organization=lt-police").content.decode()
    assert value(lt_only, "evidence-ingested") == "2"
    q4 = client.get("/reports/?period=quarter&year=2025&quarter=4").content.decode()
    assert value(q4, "evidence-ingested") == "1"  # B, the last second of the year
    custom = client.get("/reports/?period=custom&start=2024-12-31&end=2025-01-01").content.decode()
    assert value(custom, "evidence-ingested") == "2"  # C and A
    # the drill-down link keeps the filter
    assert (
        'href="/reports/evidence-ingested/?period=year&amp;year=2025&amp;organization=lt-police"'
        in lt_only
    )


def test_it_explains_a_bad_range(lt_officer: Any, logged_in: Any) -> None:
    page = logged_in(lt_officer).get("/reports/?period=custom&start=2025-02-01&end=2025-01-01")
    assert page.status_code == 200
    assert "The start date is after the end date." in page.content.decode()


def test_it_lists_visible_records_and_counts_the_others(
    evidence: Any, third_org: Any, persona: Any, logged_in: Any
) -> None:
    from scape.core.choices import Role

    outsider = persona(third_org, Role.OFFICER)
    page = logged_in(outsider).get("/reports/evidence-ingested/?period=year&year=2025")
    html = page.content.decode()
    assert page.status_code == 200
    assert evidence["e"].original_name in html
    assert evidence["a"].original_name not in html and evidence["b"].original_name not in html
    assert "2 records of other organizations" in html


def test_it_answers_404_for_an_unknown_indicator(lt_officer: Any, logged_in: Any) -> None:
    assert logged_in(lt_officer).get("/reports/no-such-figure/").status_code == 404


@pytest.mark.parametrize("language", ["lt", "lv"])
def test_it_names_indicators_in_the_users_language(
    db: Any, lt_officer: Any, logged_in: Any, language: str
) -> None:
    from scape.reports.models import Indicator

    client = logged_in(lt_officer)
    client.cookies["scape_language"] = language
    html = client.get("/reports/", headers={"accept-language": language}).content.decode()
    name = getattr(Indicator.objects.get(code="institutions"), f"name_{language}")
    assert name in html


def test_it_shows_this_years_programme_indicators_on_the_home_page(
    lt_officer: Any, logged_in: Any
) -> None:
    html = logged_in(lt_officer).get("/").content.decode()
    assert "Programme indicators" in html
    assert "Institutions participating in cooperation" in html
    assert 'href="/reports/institutions/?period=year' in html


def test_it_pages_through_the_records_of_a_figure(
    lt_org: Any, lt_officer: Any, logged_in: Any
) -> None:
    from tests.reports.conftest import at, make_item

    for n in range(105):
        make_item(lt_org, at(2025, 1, 1 + n % 28, 10), original_name=f"page-{n:03d}.mp4")
    client = logged_in(lt_officer)
    first = client.get("/reports/evidence-ingested/?period=year&year=2025").content.decode()
    second = client.get("/reports/evidence-ingested/?period=year&year=2025&page=2").content.decode()
    assert first.count("page-") == 100 and second.count("page-") == 5
    assert "Page 2 of 2" in second


def test_it_reads_the_dashboard_in_as_many_queries_for_more_records(
    evidence: Any, lt_org: Any, lt_officer: Any, lt_custodian: Any, logged_in: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.reports.conftest import at, make_case, make_item, share

    client = logged_in(lt_officer)
    client.get("/reports/?period=year&year=2025")  # warm the caches of the first request

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get("/reports/?period=year&year=2025")
        return len(queries)

    before = count()
    for n in range(10):
        item = make_item(lt_org, at(2025, 2, 1 + n, 10))
        share(
            make_case(lt_org, item),
            evidence["e"].organization,
            lt_custodian,
            at(2025, 2, 1 + n, 11),
        )
    assert count() == before
