"""The whole journey of a piece of evidence in one browser session.

A custodian uploads a body-cam clip, watches its progress, opens the new item,
plays it after typing a reason, and finds that viewing in the custody history.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.test import Client

from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.core.testing import IMMEDIATE_TASKS, login
from scape.directory.testing import make_org, make_person
from scape.vault.models import EvidenceItem
from tests.vault.conftest import make_clip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Complaint 12-7/2026: reviewing the arrest on the pier"


@pytest.fixture(autouse=True)
def _tasks_inline(settings: Any) -> None:
    # No separate worker in a test: background tasks run as they are queued.
    settings.TASKS = IMMEDIATE_TASKS


def test_upload_watch_progress_play_with_a_reason_and_see_it_in_custody(
    live_server, page, tmp_path
):
    from playwright.sync_api import expect

    org = make_org("palanga", country="LT")
    custodian = make_person(org, [Role.CUSTODIAN], username="egle.custodian")
    session = login(Client(), custodian.user).cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    clip = make_clip(tmp_path / "bodycam-pier-0815.mp4", seconds=3.0, size=(320, 240), fps=10)

    page.goto(live_server.url + "/vault/")
    page.get_by_role("link", name="Upload evidence").click()
    # The page's script must be listening before a file is chosen.
    page.wait_for_url("**/vault/upload/")
    page.wait_for_load_state("load")
    page.set_input_files("#upload-files", str(clip))
    row = page.locator("#upload-list tbody tr").filter(has_text=clip.name)
    expect(row.locator("progress")).to_have_attribute("value", "100")
    expect(row.locator("td.result")).to_contain_text("new")

    row.locator("td.result").get_by_role("link").click()
    item = EvidenceItem.objects.get(original_name=clip.name)
    page.wait_for_url(live_server.url + item.get_absolute_url())

    page.get_by_role("link", name="Play").click()
    page.get_by_label("Reason (recorded in the custody history)").fill(REASON)
    page.get_by_role("button", name="Play").click()
    video = page.locator("video")
    video.wait_for()
    video.click()
    page.wait_for_function("() => document.querySelector('video').currentTime > 0")

    page.get_by_role("link", name="Back to the item").click()
    streamed = page.locator("table.custody tr", has_text="vault.item_streamed")
    expect(streamed).to_have_count(1)
    assert REASON in streamed.inner_text() and "egle.custodian" in streamed.inner_text()
    assert page.locator("table.custody tr", has_text="vault.ingested").count() == 1
    # The live server's thread may still hold the shared in-memory SQLite
    # database for the player's last range request: read again after it.
    event = None
    for _attempt in range(20):
        try:
            event = AuditEvent.objects.get(action="vault.item_streamed", object_id=str(item.pk))
            break
        except OperationalError:
            page.wait_for_timeout(250)
    assert event is not None
    assert event.reason == REASON and event.actor_username == "egle.custodian"
