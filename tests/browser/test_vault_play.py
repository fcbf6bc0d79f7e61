"""A custodian plays an ingested clip in Chromium after giving a reason; custody shows it."""

from __future__ import annotations

import pytest
from django.test import Client

import scape.vault.tasks  # noqa: F401 - connects the item_ingested receiver
from scape.core.choices import Role
from scape.core.testing import IMMEDIATE_TASKS, login
from scape.directory.testing import make_org, make_person
from scape.vault.actions.ingest import do_ingest
from scape.vault.choices import DerivativeKind
from tests.vault.conftest import make_clip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Complaint 2024/117: reviewing the stop"


def test_it_plays_a_clip_after_a_reason_and_shows_it_in_custody(
    live_server, page, tmp_path, settings
):
    settings.TASKS = IMMEDIATE_TASKS
    org = make_org("klaipeda-ap", country="LT")
    custodian = make_person(org, [Role.CUSTODIAN], username="ruta.custodian")
    clip = make_clip(tmp_path / "bodycam-0007.mp4", seconds=3.0, size=(320, 240), fps=10)
    with clip.open("rb") as source:  # autocommit: the media task runs inline on commit
        item = do_ingest(source, name=clip.name, organization=org, actor=custodian.user).item
    assert item.derivatives.filter(kind=DerivativeKind.PROXY).exists()

    # Logged in with the second factor passed, as the login flow would leave the session.
    client = login(Client(), custodian.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )

    page.goto(live_server.url + item.get_absolute_url())
    page.get_by_role("link", name="Play").click()
    page.get_by_label("Reason (recorded in the custody history)").fill(REASON)
    page.get_by_role("button", name="Play").click()

    video = page.locator("video")
    video.wait_for()
    video.click()  # a person's click: browsers let it start sound
    # On a loaded machine the click can land before the player is ready and be
    # lost; after that first gesture, starting it again is what a person does.
    page.wait_for_function(
        "() => { const v = document.querySelector('video');"
        " if (v.paused && v.readyState >= 2) v.play(); return v.currentTime > 0; }",
        timeout=30_000,
    )

    page.get_by_role("link", name="Back to the item").click()
    custody = page.locator("table.custody")
    row = custody.locator("tr", has_text="vault.item_streamed")
    row.first.wait_for()
    assert row.count() == 1
    assert REASON in row.inner_text() and "ruta.custodian" in row.inner_text()
    # The jobs fragment is fetched by htmx: the media job finished.
    job = page.locator(".jobs .job")
    job.wait_for()
    assert "Thumbnail and playable copy" in job.inner_text() and "succeeded" in job.inner_text()
