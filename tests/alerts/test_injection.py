"""Script and XML payloads in every text field stay text: in the page, the CAP XML and the feed."""

from __future__ import annotations

from typing import Any

import feedparser
import pytest
from defusedxml import ElementTree as SafeET
from django.test import Client

from tests.alerts.cap_rules import NS, validate_cap

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "]]><x>&amp;",
    "\"'><img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_stay_text_everywhere(
    make_notice: Any, payload: str, logged_in: Any, coordinator: Any
) -> None:
    notice = make_notice(
        "published",
        infos={
            "en": {
                "headline": f"H {payload}",
                "description": f"D {payload}",
                "instruction": f"I {payload}",
            },
            "lt": {"headline": f"LT {payload}", "description": "", "instruction": ""},
        },
        event=f"E {payload}",
        sender_name=f"S {payload}",
        contact=f"C {payload}",
        areas=[{"area_desc": f"A {payload}", "circle": [55.92, 21.04, 0.3]}],
    )
    texts = [f"{prefix} {payload}" for prefix in ("H", "D", "I", "LT", "E", "S", "C", "A")]

    # The page: escaped, never raw markup.
    for client in (Client(), logged_in(coordinator)):
        for url in (notice.get_absolute_url(), "/alerts/", f"/alerts/manage/{notice.pk}/"):
            response = client.get(url)
            if response.status_code == 302:  # manage pages need a login
                continue
            html = response.content.decode()
            assert payload not in html, url
            assert "<script>alert(1)" not in html and "<img src=x" not in html
    html = Client().get(notice.get_absolute_url()).content.decode()
    assert (
        "H &lt;script&gt;" in html
        or "H ]]&gt;&lt;x&gt;&amp;amp;" in html
        or "H &quot;&#x27;&gt;&lt;img" in html
    )

    # The CAP message parses, and each payload is the text of its element.
    xml = Client().get(f"/alerts/{notice.identifier}.xml").content
    assert validate_cap(xml) == []
    root = SafeET.fromstring(xml)
    assert root.find(".//{*}x") is None and root.find(".//{*}script") is None
    values = {element.text for element in root.iter()}
    for text in texts:
        assert text in values, text
    assert root.find(f"{{{NS}}}info/{{{NS}}}headline").text == f"LT {payload}"

    # The feed parses, with the payload as the entry's title text.
    feed = feedparser.parse(Client().get("/alerts/feed.atom").content)
    assert not feed.bozo
    assert feed.entries[0].title == f"H {payload}"


def test_the_map_layer_escapes_its_json(make_notice: Any) -> None:
    make_notice("published", infos={"en": {"headline": PAYLOADS[0]}})
    response = Client().get("/alerts/areas.geojson")
    assert response["Content-Type"] == "application/geo+json"  # JSON, never HTML
    assert response.json()["features"][0]["properties"]["title"] == PAYLOADS[0]


def test_control_characters_are_dropped_so_the_xml_still_parses(make_notice: Any) -> None:
    notice = make_notice("published", infos={"en": {"headline": "Beach\x00 closed\x0b"}})
    xml = Client().get(f"/alerts/{notice.identifier}.xml").content
    assert SafeET.fromstring(xml).find(f".//{{{NS}}}headline").text == "Beach closed"
