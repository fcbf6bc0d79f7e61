"""A custodian finds a case's footage, shares two clips with a partner in one step, and plays
the two cameras side by side on their recording time (Chromium)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

import scape.vault.tasks  # noqa: F401 - connects the item_ingested receiver
from scape.core.choices import Role
from scape.core.models import AuditEvent, Grant
from scape.core.testing import IMMEDIATE_TASKS, login
from scape.directory.testing import make_org, make_person
from scape.vault.actions import do_add_to_case, do_create_case
from scape.vault.actions.finding import do_describe_item
from scape.vault.actions.ingest import do_ingest
from scape.vault.choices import DerivativeKind
from scape.vault.models import EvidenceItem
from tests.vault.conftest import make_clip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Case LT-9: comparing both cameras"


def test_search_then_share_many_then_play_the_cameras_together(
    live_server, page, tmp_path, settings
):
    settings.TASKS = IMMEDIATE_TASKS
    org = make_org("klaipeda-sync", country="LT")
    partner = make_org("liepaja-sync", country="LV")
    custodian = make_person(org, [Role.CUSTODIAN], username="sync.custodian")
    case = do_create_case(organization=org, reference="LT-9", title="Pier", actor=custodian.user)
    start = datetime.datetime(2026, 7, 1, 21, 0, 0, tzinfo=datetime.UTC)
    clips = []
    for n, (late, size) in enumerate(((0, (320, 240)), (2, (240, 180)))):
        clip = make_clip(tmp_path / f"cam-{n}.mp4", seconds=4.0, size=size, fps=10)
        with clip.open("rb") as source:
            item = do_ingest(source, name=clip.name, organization=org, actor=custodian.user).item
        assert item.derivatives.filter(kind=DerivativeKind.PROXY).exists()
        EvidenceItem.objects.filter(pk=item.pk).update(
            recorded_at=start + datetime.timedelta(seconds=late)
        )
        do_describe_item(item, actor=custodian.user, title="Pier fight", notes="", tags="pier")
        do_add_to_case(case, item, actor=custodian.user)
        clips.append(item)

    client = login(Client(), custodian.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )

    # Search, tick both, share them with the partner in one step.
    page.goto(live_server.url + "/vault/?q=pier+fight")
    page.get_by_label("Tick every item on this page").check()
    # The form shows only what the chosen step needs.
    page.get_by_label("With the items").select_option("tag")
    assert page.get_by_label("Tags").is_visible() and not page.get_by_label("Partner").is_visible()
    page.get_by_label("With the items").select_option("share")
    assert page.get_by_label("Partner").is_visible() and not page.get_by_label("Tags").is_visible()
    assert page.get_by_text("the ones ticked").is_visible()  # the scope stays
    page.get_by_label("Partner").select_option(str(partner.pk))
    page.get_by_label("Purpose").fill("joint investigation of the pier fight")
    page.get_by_role("button", name="Start").click()
    page.get_by_text("Started for 2 items").wait_for()
    assert sorted(g.object_id for g in Grant.objects.filter(grantee=partner)) == sorted(
        item.pk for item in clips
    )

    # The case's two cameras, one reason for both, then one timeline.
    page.goto(live_server.url + case.get_absolute_url())
    page.get_by_role("link", name="Play the cameras together").click()
    page.get_by_label("Reason (recorded in the custody history)").fill(REASON)
    page.get_by_role("button", name="Play").click()
    page.locator(".sync-video video").first.wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.sync-video video')].every(v => v.readyState >= 1)",
        timeout=30_000,
    )
    # At 3 s on the shared timeline the first camera is 3 s in, the second 1 s in.
    page.evaluate("window.scapeSync.place(3)")
    page.wait_for_function(
        "() => { const [a, b] = document.querySelectorAll('.sync-video video');"
        " return Math.abs(a.currentTime - 3) < 0.2 && Math.abs(b.currentTime - 1) < 0.2; }",
        timeout=15_000,
    )
    # At 1 s the second camera had not started recording: it waits, greyed.
    page.evaluate("window.scapeSync.place(1)")
    second = page.locator(".sync-video").nth(1)
    assert "idle" in (second.get_attribute("class") or "")
    assert second.locator(".sync-idle").is_visible()
    # Playing moves both on together.
    page.get_by_role("button", name="Play").click()
    page.wait_for_function(
        "() => Number(document.getElementById('sync-time').value) > 2.2", timeout=15_000
    )
    page.get_by_role("button", name="Pause").click()
    streamed = AuditEvent.objects.filter(action="vault.item_streamed", reason=REASON)
    assert sorted(int(e.object_id) for e in streamed) == sorted(item.pk for item in clips)
    assert all(e.details["case"] == "LT-9" for e in streamed)
