"""Shared fixtures: isolated media storage, personas, browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from scape.core.testing import login
from scape.directory.testing import make_org, make_person

# The browser the tests drive: SCAPE_CHROMIUM, else Debian's chromium on the PATH.
CHROMIUM = os.environ.get("SCAPE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    has_browser = Path(CHROMIUM).is_file()
    require = os.environ.get("SCAPE_REQUIRE_BROWSER") == "1"
    if has_browser:
        return
    if require:
        raise pytest.UsageError(
            f"SCAPE_REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}: install Debian's chromium"
        )
    skip = pytest.mark.skip(reason=f"SKIPPED browser test: no Chromium at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    if any("browser" in getattr(r, "keywords", {}) for r in skipped):
        terminalreporter.write_line(
            "SKIPPED: browser tests (no Chromium found; `apt-get install chromium`)"
        )


@pytest.fixture(autouse=True)
def _language() -> Any:
    """Start and leave every test in the default language.

    A request activates its user's language for the thread, and nothing turns
    it back: without this a Latvian page in one test would leak into the next.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _allow_test_truncate(sender: Any, connection: Any, **kwargs: Any) -> None:
    # Django empties every table with TRUNCATE between transactional tests;
    # the audit tables refuse it unless the session says so, and only in a
    # database named test_* (scape/core/migrations/0005_audit_checkpoint.py).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET scape.allow_truncate = 'on'")


def pytest_configure(config: Any) -> None:
    from django.db.backends.signals import connection_created

    connection_created.connect(_allow_test_truncate, dispatch_uid="scape-test-truncate")


@pytest.fixture(autouse=True)
def _witness(settings: Any, tmp_path: Path) -> Path:
    """Give every test its own audit witness folder, never var/witness."""
    settings.SCAPE_AUDIT_WITNESS_DIR = tmp_path / "witness"
    return settings.SCAPE_AUDIT_WITNESS_DIR


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    """Give every test its own media folder, never var/media."""
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media},
        },
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media / "evidence"},
        },
    }
    return media


@pytest.fixture
def lt_org(db: Any) -> Any:
    return make_org("lt-police", country="LT")


@pytest.fixture
def lv_org(db: Any) -> Any:
    return make_org("lv-police", country="LV")


@pytest.fixture
def persona(db: Any) -> Any:
    """Return a factory: persona(org, *roles) -> Person."""

    def factory(org: Any, *roles: str, **fields: Any) -> Any:
        return make_person(org, roles, **fields)

    return factory


@pytest.fixture
def logged_in(client: Any) -> Any:
    """Return a function that logs a person in (second factor passed) and gives the client."""

    def factory(person: Any, *, verified: bool = True) -> Any:
        return login(client, person.user, verified=verified)

    return factory
