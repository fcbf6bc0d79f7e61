"""Every string a person reads exists in Lithuanian, Latvian and English."""

from __future__ import annotations

import re

import polib
import pytest

from scape.core import i18n

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def messages():
    return i18n.extract()


@pytest.fixture(scope="module")
def catalogs():
    return {
        lang: polib.pofile(str(i18n.LOCALE / lang / "LC_MESSAGES" / "django.po"))
        for lang in i18n.LANGUAGES
    }


def test_the_extractor_finds_python_and_template_strings(messages):
    msgids = {msgid for _ctx, msgid in messages}
    assert "Evidence custodian" in msgids  # Python: a TextChoices label
    assert "Two-factor login" in msgids  # template: {% translate %}
    assert "Welcome, %(name)s." in msgids  # template: {% blocktranslate with %}


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_string_is_in_the_catalog(messages, catalogs, language):
    present = {(e.msgctxt or "", e.msgid) for e in catalogs[language]}
    missing = [
        msgid
        for key, (m, where) in messages.items()
        if key not in present
        for msgid in [f"{m.msgid!r} at {where[0]}"]
    ]
    assert missing == [], f"run `make messages` and translate: {missing[:10]}"


@pytest.mark.parametrize("language", ["lt", "lv"])
def test_every_string_is_translated(catalogs, language):
    assert i18n.untranslated(language, catalogs[language]) == []


@pytest.mark.parametrize("language", ["lt", "lv"])
def test_translations_keep_their_placeholders(catalogs, language):
    for entry in catalogs[language]:
        if entry.msgstr:
            assert sorted(_PLACEHOLDER.findall(entry.msgid)) == sorted(
                _PLACEHOLDER.findall(entry.msgstr)
            ), entry.msgid


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_no_two_header_links_read_alike(lt_org, persona, logged_in, language):
    """A reader tells every menu entry apart: in Lithuanian "Notifications" and
    "Public notices" were both "Pranešimai…", one a prefix of the other."""
    import html

    person = persona(lt_org, "coordinator", "auditor", ui_language=language)
    client = logged_in(person)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    labels = [
        html.unescape(re.sub(r"<[^>]+>", "", text)).strip().casefold()
        for text in re.findall(r"<a [^>]*>(.*?)</a>", header, re.S)
    ]
    labels = [label for label in labels if label]
    assert len(labels) > 8, labels
    for a in labels:
        for b in labels:
            assert a is b or not b.startswith(a), (a, b)


@pytest.mark.parametrize("language", ["lt", "lv"])
def test_every_plural_has_all_its_forms(catalogs, language):
    """Lithuanian and Latvian have three plural forms: a missing one shows English
    ("0 in all") for the numbers that take it."""
    missing = [
        entry.msgid
        for entry in catalogs[language]
        if entry.msgid_plural
        and not entry.obsolete
        and any(not entry.msgstr_plural.get(i) for i in range(3))
    ]
    assert missing == []
