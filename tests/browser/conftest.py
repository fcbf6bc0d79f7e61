"""Playwright driving Debian's Chromium against Django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import CHROMIUM

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while it
    # lives; the ORM calls the test itself makes (personas, checks) are still
    # plain synchronous code, so Django's async guard is lifted for that time only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


# Rows that migrations seed; a transactional test that ran before flushed them.
_SEEDS = [
    ("scape.equipment.migrations.0002_default_factors", "add_defaults"),
    ("scape.operations.migrations.0002_incident_types", "seed"),
    ("scape.alerts.migrations.0002_seed_saved_areas", "seed"),
    ("scape.reports.migrations.0002_seed_indicators", "seed"),
]


class _TodaysModels:
    """The app registry under the names the seeding migrations used."""

    MOVED = {
        ("equipment", "competency"): ("activities", "Competency"),
        ("equipment", "kindrequirement"): ("activities", "KindRequirement"),
    }

    def get_model(self, app_label: str, model_name: str) -> Any:
        from django.apps import apps

        app_label, model_name = self.MOVED.get(
            (app_label, model_name.lower()), (app_label, model_name)
        )
        return apps.get_model(app_label, model_name)


@pytest.fixture(autouse=True)
def _migration_seeds(transactional_db: Any) -> None:
    from importlib import import_module

    for module, function in _SEEDS:
        try:
            seed = getattr(import_module(module), function)
        except ImportError:
            continue
        seed(_TodaysModels(), None)
