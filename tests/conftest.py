"""Shared fixtures: isolated media storage, personas, browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from scape.core.testing import login, make_org, make_person

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
