"""A custodian makes a redacted copy in Chromium: detect, remove a box, draw one, render."""

from __future__ import annotations

import pytest
from django.test import Client

from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.core.testing import IMMEDIATE_TASKS, login
from scape.directory.testing import make_org, make_person
from scape.vault.actions.ingest import do_ingest
from scape.vault.choices import DerivativeKind
from scape.vault.models import RedactionSession
from tests.vault.test_redaction import make_face_clip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_it_reviews_boxes_and_renders_a_redacted_copy(live_server, page, tmp_path, settings):
    settings.TASKS = IMMEDIATE_TASKS
    org = make_org("siauliai-ap", country="LT")
    custodian = make_person(org, [Role.CUSTODIAN], username="egle.custodian")
    clip, _faces = make_face_clip(tmp_path / "street-0099.mp4")
    with clip.open("rb") as source:
        item = do_ingest(source, name=clip.name, organization=org, actor=custodian.user).item
    client = login(Client(), custodian.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )

    page.goto(live_server.url + item.get_absolute_url())
    page.get_by_role("button", name="Create redacted copy").click()
    # The review shows the original's frames: a reason is asked and recorded first.
    page.get_by_label("Reason (recorded in the custody history)").fill(
        "redact for the press office"
    )
    page.get_by_role("button", name="Show the frames").click()
    page.wait_for_load_state("networkidle")

    # Detection ran inline; the review page shows the face boxes over the frames.
    page.locator(".redaction-box-face").first.wait_for()
    assert page.locator(".redaction-box-face").count() >= 5
    box = page.locator(".redaction-box-face").first.bounding_box()
    assert box is not None and box["width"] > 10 and box["height"] > 10
    # The remove button sits above the box, not on the face, and its words are
    # for screen readers only.
    button = page.locator(".redaction-remove").first.bounding_box()
    assert button is not None and button["y"] + button["height"] <= box["y"] + 1
    words = page.locator(".redaction-remove .visually-hidden").first.bounding_box()
    assert words is not None and words["width"] <= 1 and words["height"] <= 1
    # Removing one box removes its whole object from every frame: the reviewer
    # removes objects (the face, and any faint box elsewhere) until none is left.
    for _round in range(10):
        shown = page.locator(".redaction-box-face").count()
        if not shown:
            break
        page.locator(".redaction-remove").first.click()
        page.get_by_text("Removed the box from").wait_for()
        page.wait_for_load_state("networkidle")
        assert page.locator(".redaction-box-face").count() < shown
    assert page.locator(".redaction-box-face").count() == 0

    page.wait_for_load_state("networkidle")
    image = page.locator(".redaction-frame img").nth(2)
    image.scroll_into_view_if_needed()
    # Drawing needs the frame's picture laid out at its real size.
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    area = image.bounding_box()
    assert area is not None
    x, y = area["x"] + area["width"] * 0.2, area["y"] + area["height"] * 0.2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 30, steps=4)
    page.mouse.move(x + 80, y + 60, steps=4)
    page.mouse.up()
    page.get_by_text("Added the box to").wait_for()
    assert page.locator(".redaction-box-manual").count() >= 2

    page.get_by_label("Hide the boxes with").select_option("solid")
    page.get_by_role("button", name="Render the redacted copy").click()
    page.locator(".redaction-result").wait_for()

    page.get_by_role("link", name="Back to the item").click()
    # The copies' table (the custody history below now says "Redacted copy made" too).
    row = page.locator("tr", has_text="Redacted copy").filter(has_text="street-")
    row.wait_for()
    redacted = item.derivatives.get(kind=DerivativeKind.REDACTED)
    assert redacted.sha256 in row.inner_text()
    session = RedactionSession.objects.get(item=item)
    assert session.status == RedactionSession.Status.DONE and session.mode == "solid"
    edits = AuditEvent.objects.filter(action="vault.redaction_edited")
    # Each object removed and the box drawn: one audited edit each.
    changes = [e.details["change"] for e in edits]
    assert changes.count("added") == 1 and changes.count("removed") >= 1
    assert set(changes) == {"added", "removed"}
