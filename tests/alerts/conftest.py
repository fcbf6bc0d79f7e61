"""Notice fixtures: Palanga with a specialist and a coordinator, and notices in any state."""

from __future__ import annotations

from typing import Any

import pytest

from scape.alerts.actions import (
    do_approve_notice,
    do_create_notice,
    do_publish_notice,
    do_submit_notice,
)
from scape.core.choices import Role
from scape.directory.testing import make_org

BEACH = [[55.935, 21.05], [55.935, 21.06], [55.905, 21.062], [55.905, 21.052]]
TEXTS = {
    "lt": {
        "headline": "Paplūdimys uždarytas",
        "description": "Audra.",
        "instruction": "Nesimaudykite.",
    },
    "en": {"headline": "Beach closed", "description": "Storm.", "instruction": "Do not swim."},
}


@pytest.fixture
def palanga(db: Any) -> Any:
    return make_org("palanga", country="LT")


@pytest.fixture
def liepaja(db: Any) -> Any:
    return make_org("liepaja-mp", country="LV")


@pytest.fixture
def specialist(palanga: Any, persona: Any) -> Any:
    return persona(palanga, Role.SPECIALIST, username="egle", first_name="Eglė")


@pytest.fixture
def coordinator(palanga: Any, persona: Any) -> Any:
    return persona(palanga, Role.COORDINATOR, username="rasa", first_name="Rasa")


def notice_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "infos": TEXTS,
        "areas": [{"area_desc": "Palanga beach", "polygon": BEACH}],
        "category": ["Safety"],
        "event": "Beach closure",
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Observed",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_notice(palanga: Any, specialist: Any, coordinator: Any) -> Any:
    """Return a factory: make_notice(state="draft"|"submitted"|"approved"|"published", **fields)."""

    def factory(state: str = "draft", **overrides: Any) -> Any:
        org = overrides.pop("organization", palanga)
        notice = do_create_notice(org, actor=specialist.user, **notice_fields(**overrides))
        return advance(notice, state, specialist, coordinator)

    return factory


def advance(notice: Any, state: str, author: Any, approver: Any) -> Any:
    steps = ["draft", "submitted", "approved", "published"]
    target = steps.index(state)
    if target >= 1:
        notice = do_submit_notice(notice, actor=author.user)
    if target >= 2:
        notice = do_approve_notice(notice, actor=approver.user)
    if target >= 3:
        notice = do_publish_notice(notice, actor=approver.user)
    return notice
