"""A custodian uploads a real MP4 from the upload page and sees it become evidence."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from scape.core.choices import Role
from scape.core.testing import IMMEDIATE_TASKS, login
from scape.directory.testing import make_org, make_person
from scape.vault.models import EvidenceItem
from tests.vault.conftest import make_clip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _tasks_inline(settings: Any) -> None:
    settings.TASKS = IMMEDIATE_TASKS


def test_it_uploads_a_video_and_links_the_new_item(live_server, page, tmp_path):
    from playwright.sync_api import expect

    org = make_org("klaipeda-police", country="LT")
    custodian = make_person(org, [Role.CUSTODIAN], username="vytautas.rimkus")
    session = login(Client(), custodian.user).cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    clip = make_clip(tmp_path / "bodycam-0042.mp4", seconds=1.0)

    page.goto(live_server.url + "/vault/upload/")
    assert page.get_by_role("heading", level=1).inner_text() == "Upload evidence"
    page.set_input_files("#upload-files", str(clip))

    row = page.locator("#upload-list tbody tr").filter(has_text=clip.name)
    result = row.locator("td.result")
    expect(result).to_contain_text("new")
    expect(row.locator("progress")).to_have_attribute("value", "100")
    expect(row.locator(".percent")).to_have_text(" 100%")

    item = EvidenceItem.objects.get(original_name=clip.name)
    assert item.sha256 == hashlib.sha256(clip.read_bytes()).hexdigest()
    assert item.ingested_by == custodian.user
    link = result.get_by_role("link")
    assert link.get_attribute("href") == item.get_absolute_url()
    link.click()
    page.wait_for_url(live_server.url + item.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == clip.name
