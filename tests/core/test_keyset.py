"""Big lists page by the last row shown, count at most a cap, and read the log without rewriting it."""

from __future__ import annotations

import re

import pytest

from scape.core import audit
from scape.core.choices import Role
from scape.core.keyset import encode_cursor, keyset_page
from scape.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(lt_org, persona):
    return persona(lt_org, Role.AUDITOR, username="gintare")


def _event_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<tr>\s*<td>(\d+)</td>", html)]


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a href="(\?[^"]*)" rel="{rel}">', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_paging_forward_and_back_shows_every_event_once_in_order(
    client, lt_org, persona, logged_in, auditor
):
    officer = persona(lt_org, Role.OFFICER, username="jonas")
    for n in range(120):
        audit.record("vault.item_viewed", actor=officer.user, reason=f"look {n}")
    logged_in(auditor)
    wanted = list(
        AuditEvent.objects.filter(action="vault.item_viewed")
        .order_by("-pk")
        .values_list("pk", flat=True)
    )
    url = "/audit/?action=vault.item_viewed"
    pages = []
    while url:
        html = client.get(url if url.startswith("/") else "/audit/" + url).content.decode()
        pages.append(html)
        url = _link(html, "next")
    seen = [n for html in pages for n in _event_ids(html)]
    assert seen == wanted
    assert [len(_event_ids(html)) for html in pages] == [50, 50, 20]
    assert "120 in all" in pages[0]
    # Back from the last page: the middle page again, then the first, which has no "previous".
    middle = client.get("/audit/" + _link(pages[2], "prev")).content.decode()
    assert _event_ids(middle) == _event_ids(pages[1])
    first = client.get("/audit/" + _link(middle, "prev")).content.decode()
    assert _event_ids(first) == wanted[:50]
    assert _link(first, "prev") is None and _link(first, "first") is None


def test_a_forged_or_broken_cursor_shows_the_first_page_and_nothing_hidden(
    client, lt_org, lv_org, persona, logged_in, auditor
):
    theirs = persona(lv_org, Role.OFFICER, username="janis")
    audit.record("vault.item_viewed", actor=theirs.user, reason="secret lv case")
    mine = persona(lt_org, Role.OFFICER, username="jonas")
    audit.record("vault.item_viewed", actor=mine.user, reason="our case")
    logged_in(auditor)
    for cursor in ("%%%", "bm90IGpzb24", encode_cursor(["x"]), encode_cursor([10**9])):
        page = client.get("/audit/", {"after": cursor})
        assert page.status_code == 200
        assert "secret lv case" not in page.content.decode()
    assert "our case" in client.get("/audit/", {"after": "%%%"}).content.decode()


def test_the_count_stops_at_the_cap(lt_org, persona):
    officer = persona(lt_org, Role.OFFICER, username="jonas")
    for n in range(12):
        audit.record("vault.item_viewed", actor=officer.user, reason=f"look {n}")
    rows = AuditEvent.objects.filter(action="vault.item_viewed")
    page = keyset_page(rows, ("-pk",), per_page=5, count_cap=10)
    assert (page.count, page.count_capped, len(page)) == (10, True, 5)
    page = keyset_page(rows, ("-pk",), per_page=5, count_cap=12)
    assert (page.count, page.count_capped) == (12, False)


def test_one_consultation_is_recorded_once_per_session_and_filter(
    client, lt_org, persona, logged_in, auditor
):
    officer = persona(lt_org, Role.OFFICER, username="jonas")
    for n in range(60):
        audit.record("vault.item_viewed", actor=officer.user, reason=f"look {n}")
    logged_in(auditor)

    def reads() -> int:
        return AuditEvent.objects.filter(action="audit.read").count()

    html = client.get("/audit/", {"action": "vault.item_viewed"}).content.decode()
    assert reads() == 1
    client.get("/audit/" + _link(html, "next"))  # the next page of the same search
    client.get("/audit/", {"action": "vault.item_viewed"})  # a reload
    assert reads() == 1
    client.get("/audit/", {"action": "core.shared"})  # another search
    assert reads() == 2
    client.logout()
    logged_in(auditor)
    client.get("/audit/", {"action": "vault.item_viewed"})  # a new session
    assert reads() == 3
