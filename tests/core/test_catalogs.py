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
