"""Look at every kind of page as each persona would, in a real browser: 1366 and 390 px, lt and lv.

tests/test_page_crawl.py reads the HTML; this test looks at what Chromium
draws of it. The pages are found by following the links each persona is
shown (one page of each kind), then each is opened at a desktop and a phone
width in Lithuanian and in Latvian, and fails on what a person would see:

- a server error;
- the page wider than the screen (it scrolls sideways as a whole);
- a picture that did not render (loaded, but 0 px wide);
- two controls drawn over each other;
- an event code (``vault.ingested``) shown without its label beside it;
- a text in English that the catalogs translate, drawn by a script;
- on a phone, a main menu that is not folded behind its button, or does
  not open;
- a WCAG 2 A/AA violation found by axe-core (``axe.min.js`` from the
  axe-playwright-python wheel; nothing is downloaded), checked at the desktop
  width in each language.

Screenshots go to ``var/screens/`` (a CI artefact, for a person to look at).
One crawl for the whole suite; it runs in the SQLite pass only (the pages do
not change with the database).
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import translation

from scape.core import demo
from scape.core.audit_labels import ACTION_LABELS, object_label
from scape.core.testing import login
from scape.directory.models import Person
from tests.test_page_crawl import (
    START,
    _allowed,
    _english_with_translation,
    _is_download,
    _kind,
    _Page,
    _same_site,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the pages look the same on any database"
    ),
]

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "var" / "screens"
PERSONAS = [
    "rasa.petrauskiene",  # Palanga coordinator
    "andrius.kairys",  # Klaipėda officer (second factor)
    "gintare.sabaliauskiene",  # Klaipėda auditor
    "santa.ozolina",  # Liepāja volunteer
    "maris.ozols",  # Kurzeme evidence custodian (item pages, upload, cases)
    "janis.berzins",  # Kurzeme officer
]
WIDTHS = [(1366, 900), (390, 844)]
LANGUAGES = ["lt", "lv"]
PAGES_PER_PERSONA = 12
# Fragments htmx swaps in and pages that are not pages (a map layer, a feed).
NOT_PAGES = ("/live/", "/fragment", "/list/", ".geojson", ".json", ".xml", ".ics", ".vcf")

LOOK = """() => {
  const seen = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const out = {width: document.documentElement.scrollWidth, text: document.body.innerText};
  out.broken = [...document.images].filter(i => i.complete && i.naturalWidth === 0 && seen(i))
    .map(i => i.getAttribute('src') || i.getAttribute('alt') || '?');
  const name = e => (e.tagName + ' ' + (e.getAttribute('aria-label') || e.textContent || e.name
    || e.id || '')).trim().replace(/\\s+/g, ' ').slice(0, 40);
  // What sticks out of the screen while its parent fits, outside a box that scrolls itself.
  const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) {
    if (/(auto|scroll)/.test(getComputedStyle(p).overflowX)) return true; } return false; };
  out.wide = [...document.querySelectorAll('body *')]
    .filter(e => !e.closest('.leaflet-container'))
    .filter(e => e.getBoundingClientRect().right > innerWidth + 1
                 && e.parentElement.getBoundingClientRect().right <= innerWidth + 1 && !scrolls(e))
    .slice(0, 3).map(name);
  // Controls drawn over each other: any line box of one over a line box of another.
  const controls = [...document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea')]
    .filter(e => seen(e) && !e.closest('.leaflet-container, .notif-toast'));
  const rects = controls.map(e => [...e.getClientRects()]);
  const over = (a, b) => {
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return w > 2 && h > 2 && w * h > 0.25 * Math.min(a.width * a.height, b.width * b.height);
  };
  out.overlaps = [];
  for (let i = 0; i < controls.length && out.overlaps.length < 3; i++) {
    for (let j = i + 1; j < controls.length; j++) {
      if (controls[i].contains(controls[j]) || controls[j].contains(controls[i])) continue;
      if (rects[i].some(a => rects[j].some(b => over(a, b)))) {
        out.overlaps.push(name(controls[i]) + ' / ' + name(controls[j]));
        break;
      }
    }
  }
  return out;
}"""

AXE = """async () => {
  const found = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']},
                                         resultTypes: ['violations']});
  return found.violations.map(v => v.id + ' (' + v.impact + '): '
    + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(', '));
}"""


def _pages(client: Client) -> list[str]:
    """Follow the links a persona is shown; return one whole HTML page of each kind."""
    queue = deque(START)
    seen: set[str] = set()
    kinds: set[str] = set()
    pages: list[str] = []
    while queue and len(pages) < PAGES_PER_PERSONA:
        url = queue.popleft()
        path = urlsplit(url).path
        kind = _kind(path)
        if url in seen or kind in kinds or _is_download(url) or any(n in url for n in NOT_PAGES):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if "<html" not in html:
            continue
        kinds.add(kind)
        pages.append(url)
        page = _Page()
        page.feed(html)
        for href in page.links:
            link = _same_site(href, path)
            if link and link not in seen and _allowed(link):
                queue.append(link)
    return pages


def _codes_without_label(text: str, language: str) -> list[str]:
    """Return the event codes shown in `text` with no label of theirs beside them.

    A code may name an action (``traffic.hit``: a hit was recorded) or a kind
    of record (``traffic.hit``: the hit); either name beside it will do.
    """
    shown = []
    with translation.override(language):
        for found in re.finditer(r"\b[a-z]+\.[a-z_]+\b", text):
            code = found.group(0)
            labels = (
                {str(ACTION_LABELS[code]), object_label(code)} if code in ACTION_LABELS else set()
            )
            if labels and not any(label in text for label in labels):
                near = text[max(0, found.start() - 40) : found.end() + 10].replace("\n", " | ")
                shown.append(f"{code} in {near!r}")
    return sorted(set(shown))


def test_every_page_looks_right_for_every_persona_at_both_widths_in_lt_and_lv(
    live_server: Any, browser: Any
) -> None:
    from axe_playwright_python.base import AXE_SCRIPT

    demo.load_all()
    english = {language: _english_with_translation(language) for language in LANGUAGES}
    translation.activate("en")
    SCREENS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    looked = 0
    for username in PERSONAS:
        person = Person.objects.select_related("user").get(user__username=username)
        for language in LANGUAGES:
            Person.objects.filter(pk=person.pk).update(ui_language=language)
            client = login(Client(), person.user)
            pages = _pages(client)
            translation.activate("en")
            assert len(pages) >= 6, f"{username} reached only {pages}"
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            for width, height in WIDTHS:
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    is_mobile=width < 500,
                    has_touch=width < 500,
                    locale=language,
                )
                context.set_default_timeout(15_000)
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie,
                                      "url": live_server.url}])  # fmt: skip
                page = context.new_page()
                try:
                    for url in pages:
                        where = f"{username} [{language} {width}px] {url}"
                        response = page.goto(live_server.url + url, wait_until="load")
                        looked += 1
                        if response is None or response.status >= 500:
                            problems.append(f"{where}: status {response and response.status}")
                            continue
                        seen = page.evaluate(LOOK)
                        if seen["width"] > width + 1:
                            problems.append(f"{where}: {seen['width']} px wide: {seen['wide']}")
                        if seen["broken"]:
                            problems.append(f"{where}: pictures not drawn: {seen['broken']}")
                        if seen["overlaps"]:
                            problems.append(f"{where}: controls overlap: {seen['overlaps']}")
                        codes = _codes_without_label(seen["text"], language)
                        if codes:
                            problems.append(f"{where}: raw event codes: {codes}")
                        lines = {line.strip() for line in seen["text"].splitlines()}
                        left = sorted(lines & english[language])
                        if left:
                            problems.append(f"{where}: English on the page: {left[:5]}")
                        if width > 500:
                            page.evaluate(AXE_SCRIPT + "\n;0")
                            for violation in page.evaluate(AXE):
                                problems.append(f"{where}: axe {violation}")
                        if width < 500 and url == "/":
                            # On a phone the menu folds behind its button, and opens.
                            if page.is_visible("#mainnav"):
                                problems.append(f"{where}: the menu is not folded")
                            page.click(".menu-toggle")
                            if not page.is_visible("#mainnav a[href='/activities/']"):
                                problems.append(f"{where}: the menu does not open")
                        slug = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"
                        page.screenshot(
                            path=str(SCREENS / f"{username}-{language}-{width}-{slug}.png")
                        )
                finally:
                    context.close()
    report = "\n".join(dict.fromkeys(problems))
    (SCREENS / "problems.txt").write_text(
        f"{looked} page views, {len(problems)} problems\n{report}\n"
    )
    assert looked >= len(PERSONAS) * len(LANGUAGES) * len(WIDTHS) * 6
    assert not problems, f"{len(problems)} problems (also in var/screens/problems.txt):\n{report}"
