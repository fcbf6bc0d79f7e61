"""The Atom feed of current notices, read back with a feed reader library."""

from __future__ import annotations

from typing import Any

import feedparser
import pytest
from django.test import Client

from scape.alerts.cap import FEED_LIMIT

pytestmark = pytest.mark.django_db


def test_it_lists_current_public_notices_with_links_to_cap(make_notice: Any) -> None:
    notice = make_notice("published")
    make_notice("submitted", infos={"en": {"headline": "Draft storm"}})
    response = Client().get("/alerts/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == 1
    entry = feed.entries[0]
    # The W3C Feed Validator's rule: an entry id is a full IRI, not a bare name.
    assert entry.id == f"http://testserver/alerts/{notice.identifier}.xml"
    assert entry.summary  # every entry says something in the reader's language
    assert entry.title == "Beach closed"
    assert entry.published_parsed is not None and entry.updated_parsed is not None
    assert entry.published.startswith(notice.sent.astimezone(notice.sent.tzinfo).strftime("%Y"))
    cap = [link for link in entry.links if link.type == "application/cap+xml"]
    assert cap and cap[0].rel == "alternate"
    assert cap[0].href == f"http://testserver/alerts/{notice.identifier}.xml"
    assert Client().get(cap[0].href.replace("http://testserver", "")).status_code == 200


def test_the_feed_titles_follow_the_language(make_notice: Any) -> None:
    make_notice("published")
    client = Client()
    client.cookies["scape_language"] = "lt"
    feed = feedparser.parse(client.get("/alerts/feed.atom").content)
    assert feed.entries[0].title == "Paplūdimys uždarytas"


def test_the_feed_is_kept_small(make_notice: Any, settings: Any) -> None:
    import scape.alerts.views as views

    views_limit = views.FEED_LIMIT
    assert views_limit == FEED_LIMIT == 50
    for _ in range(3):
        make_notice("published")
    from unittest import mock

    with mock.patch.object(views, "FEED_LIMIT", 2):
        feed = feedparser.parse(Client().get("/alerts/feed.atom").content)
    assert len(feed.entries) == 2


def test_an_empty_feed_is_still_valid(db: Any) -> None:
    feed = feedparser.parse(Client().get("/alerts/feed.atom").content)
    assert not feed.bozo and feed.entries == []


def test_an_entry_without_a_description_in_the_language_still_has_a_summary(
    make_notice: Any,
) -> None:
    make_notice("published", infos={"lv": {"headline": "Pludmale slēgta", "description": ""}})
    client = Client()
    client.cookies["scape_language"] = "lv"
    [entry] = feedparser.parse(client.get("/alerts/feed.atom").content).entries
    assert entry.summary == "Pludmale slēgta"
    assert entry.summary_detail.language == "lv"
