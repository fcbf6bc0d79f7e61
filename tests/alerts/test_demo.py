"""The demo shows a published beach-closure notice of Palanga in lt, lv and en."""

from __future__ import annotations

from typing import Any

import pytest

from scape.alerts.demo import demo_loader
from scape.alerts.models import Notice
from scape.alerts.queries import current_notices
from scape.directory.demo import demo_loader as directory_loader

pytestmark = pytest.mark.django_db


def test_it_publishes_the_demo_notice_once(db: Any) -> None:
    assert demo_loader() == (0, [])  # no partners yet: nothing to do
    directory_loader()
    created, lines = demo_loader()
    assert created == 1 and lines
    notice = Notice.objects.get()
    assert notice.state == "published" and notice in current_notices()
    assert {info.language for info in notice.infos.all()} == {"lt", "lv", "en"}
    assert demo_loader() == (0, [])
    assert Notice.objects.count() == 1


def test_the_demo_notice_reads_in_palangas_language(db: Any) -> None:
    directory_loader()
    demo_loader()
    notice = Notice.objects.get()
    assert notice.event == "Paplūdimio uždarymas"
    assert [area.area_desc for area in notice.areas.all()] == ["Palangos paplūdimys"]


def test_a_demo_loaded_with_the_english_event_is_not_loaded_twice(db: Any) -> None:
    directory_loader()
    demo_loader()
    Notice.objects.update(event="Beach closure")  # as demo databases loaded earlier hold it
    assert demo_loader() == (0, [])
    assert Notice.objects.count() == 1
