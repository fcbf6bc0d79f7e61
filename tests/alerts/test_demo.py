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
