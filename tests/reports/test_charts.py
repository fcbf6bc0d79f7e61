"""Server-drawn SVG charts: escaped labels, no inline styles, nothing drawn for nothing."""

from __future__ import annotations

from decimal import Decimal

from scape.reports.charts import bar_chart, number, progress


def test_it_draws_one_bar_per_value_with_escaped_labels() -> None:
    svg = str(bar_chart([("<script>x</script>", 3), ("LV", Decimal("1.50"))], title='a "b"'))
    assert svg.startswith("<svg") and svg.count('class="bar"') == 2
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'aria-label="a &quot;b&quot;"' in svg
    assert "style=" not in svg
    assert ">1.5<" in svg  # numbers without trailing zeros


def test_it_draws_nothing_when_every_value_is_zero_or_missing() -> None:
    assert str(bar_chart([("LT", 0), ("LV", None)], title="t")) == ""
    assert str(progress(None, Decimal(4), title="t")) == ""
    assert str(progress(3, None, title="t")) == ""


def test_it_marks_the_target_on_the_progress_bar() -> None:
    svg = str(progress(3, Decimal(4), title="t"))
    assert 'width="238.5"' in svg  # 3/4 of the 318 px inside the frame
    assert number(Decimal("14.90")) == "14.9" and number(Decimal("100")) == "100"


def test_figures_on_pages_use_the_readers_decimal_mark_and_files_a_dot() -> None:
    from decimal import Decimal

    from django.utils import translation

    from scape.reports.charts import bar_chart, local_number, number

    for language, shown in (("lt", "5,76"), ("lv", "5,76"), ("en", "5.76")):
        with translation.override(language):
            assert local_number(Decimal("5.7600")) == shown
            assert f">{shown}</text>" in bar_chart([("Palanga", Decimal("5.76"))], title="CO₂")
    with translation.override("lt"):
        assert number(Decimal("5.7600")) == "5.76"  # CSV and spreadsheets keep the dot
        assert local_number(Decimal("1E+2")) == "100"
