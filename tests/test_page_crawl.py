"""Crawl the site as demo users and fail on what a user would see broken.

The whole demo data set is loaded, then a few personas follow the links the
pages show them, from the home page and the main pages of the apps. Every
page must render (no server error, no link to a page that refuses them), and
every HTML page must be whole: no template tag left unrendered, no "None"
shown as a value, no inline script or style the Content-Security-Policy
would silently block, and, in Lithuanian and Latvian, the page in that
language with no English text for which a translation exists.
"""

from __future__ import annotations

import json
import re
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import trans_real

from scape.activities.models import Certificate
from scape.core import demo
from scape.core.testing import login
from scape.directory.models import Person

pytestmark = pytest.mark.django_db

START = [
    "/",
    "/alerts/",
    "/activities/",
    "/operations/",
    "/operations/map/",
    "/traffic/",
    "/equipment/",
    "/reports/",
]
SKIPPED_PREFIXES = ("/logout/", "/admin/", "/static/", "/i18n/", "/api/", "/login/")
DOWNLOADS = (".pdf", ".xlsx", ".csv", ".ics", ".vcf", ".xml", ".geojson", ".json", ".gpx", ".zip")
PAGES_PER_PERSONA = 120
# Detail pages of one kind (same path but for the numbers in it) to visit.
SAME_KIND = 3
# Links a user follows and must not be refused: 404/403 from a link on a page is a bug.
REFUSED = {403, 404, 405}

PERSONAS = [
    ("rasa.petrauskiene", "lt"),  # Palanga coordinator
    ("santa.ozolina", "lv"),  # Liepāja volunteer
    ("janis.berzins", "lv"),  # Kurzeme officer
    ("gintare.sabaliauskiene", "lt"),  # Klaipėda auditor
    ("edgars.vitols", "lv"),  # Liepāja officer on Palanga's joint patrol
]
# Menu labels every logged-in page shows; in lt/lv none may stay English.
NAV_LABELS = ["Home", "Activities", "Joint operations", "Public notices", "Log out"]

_NUMBER = re.compile(r"/\d+(?=/|$|\.)|/[0-9a-f]{8}-[0-9a-f-]{27,}(?=/|$)|/[A-Z0-9-]{10,}(?=/|$)")
_UNRENDERED = re.compile(r"\{%|%\}|\{\{|\}\}")
_NONE_VALUE = re.compile(r">\s*None\s*<")
_INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
_INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)


class _Page(HTMLParser):
    """Collect a page's links, language, inline scripts and visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.lang = ""
        self.inline_scripts = 0
        self.texts: list[str] = []
        self.nav_texts: list[str] = []
        self._skip = 0
        self._nav = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        # Fragments htmx loads into the page and map layers are fetched like links.
        if found.get("hx-get"):
            self.links.append(found["hx-get"] or "")
        if found.get("data-layers"):
            self.links += [layer["url"] for layer in json.loads(found["data-layers"] or "[]")]
        if tag == "html":
            self.lang = found.get("lang") or ""
        elif tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        elif tag == "script":
            if not found.get("src"):
                self.inline_scripts += 1
            self._skip += 1
        elif tag == "style":
            self._skip += 1
        elif tag == "nav" and "mainnav" in (found.get("class") or ""):
            self._nav += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag == "nav" and self._nav:
            self._nav -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._skip:
            self.texts.append(text)
            if self._nav:
                self.nav_texts.append(text)


@dataclass
class _Crawl:
    client: Client
    language: str
    problems: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    def fail(self, url: str, problem: str) -> None:
        self.problems.append(f"[{self.language}] {url}: {problem}")


def _english_with_translation(language: str) -> set[str]:
    """Return the English texts the catalogs translate differently into `language`."""
    catalog = trans_real.translation(language)._catalog  # type: ignore[attr-defined]
    english: set[str] = set()
    for msgid, msgstr in catalog.items():
        if isinstance(msgid, tuple):  # plural forms
            continue
        if not msgstr or msgstr == msgid or "\x04" in msgid or "%" in msgid:
            continue
        # Short or word-less texts (codes, "OK", "PDF") read the same in any language.
        if len(msgid) < 4 or not re.search(r"[a-z]{3}", msgid):
            continue
        english.add(msgid)
    # A word that is also a translation in this language is not English there
    # (Latvian "Incidents" is the English plural's spelling).
    native = {text for _, text in catalog.items() if isinstance(text, str)}
    # Language pickers name each language in itself ("English" on a Latvian page).
    native |= {name for _, name in settings.LANGUAGES}
    return english - native


def _kind(path: str) -> str:
    return _NUMBER.sub("/#", path)


def _same_site(href: str, base: str) -> str | None:
    """Return the link as a path with query, or None when it leaves the site."""
    href, _ = urldefrag(href.strip())
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:", "#")):
        return None
    parts = urlsplit(href)
    if (parts.scheme or parts.netloc) and (
        parts.netloc != "testserver" or parts.scheme not in ("http", "https")
    ):
        return None
    path = parts.path
    if not path.startswith("/"):
        path = base.rsplit("/", 1)[0] + "/" + path
    return path + ("?" + parts.query if parts.query else "")


def _allowed(url: str) -> bool:
    path = urlsplit(url).path
    return not path.startswith(SKIPPED_PREFIXES)


def _is_download(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(DOWNLOADS)


def _fetch(crawl: _Crawl, url: str) -> Any:
    try:
        response = crawl.client.get(url)
    except Exception as exc:  # the view raised: the user gets a server error
        where = traceback.extract_tb(exc.__traceback__)[-1]
        crawl.fail(url, f"500 {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})")
        return None
    if response.status_code >= 500:
        crawl.fail(url, f"status {response.status_code}")
        return None
    return response


def _check_page(
    crawl: _Crawl, url: str, response: Any, english: set[str], *, referrer: str
) -> _Page | None:
    if response.status_code in REFUSED and referrer == "(start)":
        return None  # a start page this user may not open (a volunteer and the cameras)
    if response.status_code in REFUSED:
        crawl.fail(url, f"status {response.status_code} for a link shown on {referrer}")
        return None
    if response.status_code in (301, 302):
        return None
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
        return None
    if _is_download(url) or "text/html" not in response.get("Content-Type", ""):
        return None
    html = response.content.decode()
    page = _Page()
    page.feed(html)
    unrendered = _UNRENDERED.search(html)
    if unrendered:
        near = html[max(0, unrendered.start() - 60) : unrendered.end() + 60]
        crawl.fail(url, f"unrendered template tag near {near!r}")
    none = _NONE_VALUE.search(html)
    if none:
        near = html[max(0, none.start() - 80) : none.end()]
        crawl.fail(url, f"'None' shown as a value near {near!r}")
    if page.inline_scripts:
        crawl.fail(url, "inline <script> (blocked by the Content-Security-Policy)")
    for pattern, what in ((_INLINE_STYLE, "style attribute"), (_INLINE_HANDLER, "on* handler")):
        inline = pattern.search(html)
        if inline:
            crawl.fail(url, f"inline {what} (blocked by the CSP): {inline.group(0)[:120]!r}")
    whole = "<html" in html  # else an htmx fragment, with no document around it
    if whole and page.lang != crawl.language:
        crawl.fail(url, f'<html lang="{page.lang}">, expected {crawl.language}')
    if crawl.language != "en":
        left = sorted({text for text in page.nav_texts if text in NAV_LABELS})
        if left:
            crawl.fail(url, f"menu not translated: {left}")
        untranslated = sorted({text for text in page.texts if text in english})
        if untranslated:
            crawl.fail(url, f"English text on a {crawl.language} page: {untranslated[:8]}")
    return page


def _crawl(crawl: _Crawl, english: set[str], start: list[str] = START) -> None:
    queue: list[tuple[str, str]] = [(url, "(start)") for url in start]
    seen: set[str] = set()
    per_kind: dict[str, int] = defaultdict(int)
    queried: set[str] = set()
    while queue and len(crawl.visited) < PAGES_PER_PERSONA:
        url, referrer = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        path, _, query = url.partition("?")
        kind = _kind(path)
        if query:
            # One query variant per kind of page keeps filters and pages from exploding.
            if kind in queried:
                continue
            queried.add(kind)
        elif per_kind[kind] >= SAME_KIND:
            continue
        else:
            per_kind[kind] += 1
        response = _fetch(crawl, url)
        if response is None:
            continue
        crawl.visited.append(url)
        page = _check_page(crawl, url, response, english, referrer=referrer)
        if page is None:
            continue
        for href in page.links:
            link = _same_site(href, path)
            if link and link not in seen and _allowed(link):
                queue.append((link, url))


def _refetch(crawl: _Crawl, urls: list[str], english: set[str]) -> None:
    for url in urls:
        response = _fetch(crawl, url)
        if response is not None:
            _check_page(crawl, url, response, english, referrer="(refetch)")


def _client(username: str, language: str | None = None) -> tuple[Client, Person]:
    person = Person.objects.select_related("user").get(user__username=username)
    if language and person.ui_language != language:
        Person.objects.filter(pk=person.pk).update(ui_language=language)
        person.refresh_from_db()
    return login(Client(), person.user), person


def test_it_serves_every_linked_page_whole_to_demo_users() -> None:
    demo.load_all()
    english = {lang: _english_with_translation(lang) for lang in ("lt", "lv")}
    problems: list[str] = []
    visited: dict[str, list[str]] = {}
    for username, language in PERSONAS:
        client, person = _client(username)
        assert person.ui_language == language, username
        crawl = _Crawl(client, language)
        _crawl(crawl, english[language])
        translation.activate("en")
        assert len(crawl.visited) > 15, f"{username} reached only {crawl.visited}"
        visited[username] = crawl.visited
        problems += [f"{username} {p}" for p in crawl.problems]

    # The public, not logged in, in their browser's language: notices and certificate checks.
    codes = Certificate.objects.values_list("code", flat=True)[:2]
    for language in ("lt", "lv"):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        crawl = _Crawl(client, language)
        _crawl(crawl, english[language], ["/alerts/", *(f"/verify/{code}" for code in codes)])
        translation.activate("en")
        assert any(url.startswith("/alerts/scape-") for url in crawl.visited), crawl.visited
        problems += [f"(public) {p}" for p in crawl.problems]

    # The same pages in the other language: an officer switches in the menu.
    username = "janis.berzins"
    for language in ("lt", "lv"):
        client, _ = _client(username, language)
        crawl = _Crawl(client, language)
        _refetch(crawl, visited[username], english[language])
        translation.activate("en")
        problems += [f"{username} {p}" for p in crawl.problems]

    assert not problems, f"{len(problems)} problems:\n" + "\n".join(dict.fromkeys(problems))
