"""CAP 1.2 messages of every type in several languages follow the rules of the standard."""

from __future__ import annotations

import re
from typing import Any

import pytest
from defusedxml import ElementTree as SafeET

from scape.alerts.actions import do_derive_notice
from scape.alerts.cap import cap_bytes
from tests.alerts.cap_rules import NS, validate_cap
from tests.alerts.conftest import BEACH, advance

pytestmark = pytest.mark.django_db

LANGUAGE_SETS = [("lt",), ("lv", "en"), ("lt", "lv", "en", "ru")]


def _texts(languages: tuple[str, ...]) -> dict[str, dict[str, str]]:
    return {
        code: {"headline": f"Headline {code}", "description": f"Text {code}", "instruction": ""}
        for code in languages
    }


def _published(
    make_notice: Any, msg_type: str, languages: tuple[str, ...], specialist: Any, coordinator: Any
) -> Any:
    original = make_notice("published", infos=_texts(languages))
    if msg_type == "Alert":
        return original
    derived = do_derive_notice(original, msg_type, actor=specialist.user)
    return advance(derived, "published", specialist, coordinator)


@pytest.mark.parametrize("languages", LANGUAGE_SETS, ids="-".join)
@pytest.mark.parametrize("msg_type", ["Alert", "Update", "Cancel", "Ack", "Error"])
def test_it_writes_valid_cap_for_every_message_type_and_language(
    make_notice: Any, specialist: Any, coordinator: Any, msg_type: str, languages: tuple[str, ...]
) -> None:
    notice = _published(make_notice, msg_type, languages, specialist, coordinator)
    xml = cap_bytes(notice, base_url="https://scape.example/")
    assert validate_cap(xml) == []
    root = SafeET.fromstring(xml)
    assert root.findtext(f"{{{NS}}}msgType") == msg_type
    infos = root.findall(f"{{{NS}}}info")
    assert [info.findtext(f"{{{NS}}}language") for info in infos] == list(languages)
    headlines = [info.findtext(f"{{{NS}}}headline") or "" for info in infos]
    assert [
        h.endswith(f"Headline {code}") for h, code in zip(headlines, languages, strict=True)
    ] == [True] * len(languages)
    # A Cancel starts with a text that says so, in each info's language.
    assert (msg_type == "Cancel") == all(
        h != f"Headline {c}" for h, c in zip(headlines, languages, strict=True)
    )
    if msg_type != "Alert":
        references = root.findtext(f"{{{NS}}}references") or ""
        assert notice.previous.identifier in references


def test_it_writes_times_with_the_local_offset_never_z(
    make_notice: Any, liepaja: Any, persona: Any
) -> None:
    notice = make_notice("published")
    xml = cap_bytes(notice).decode()
    sent = re.search(r"<sent>(.*)</sent>", xml)
    assert sent is not None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[23]:00", sent.group(1))
    assert "Z<" not in xml


def test_it_closes_polygons_and_writes_circles(make_notice: Any) -> None:
    notice = make_notice(
        "draft",
        areas=[
            {"area_desc": "Beach", "polygon": BEACH},
            {"area_desc": "Pier", "circle": [55.9206, 21.0483, 0.5]},
        ],
    )
    root = SafeET.fromstring(cap_bytes(notice))
    area = root.find(f"{{{NS}}}info/{{{NS}}}area")
    assert area is not None
    polygon = (area.findtext(f"{{{NS}}}polygon") or "").split()
    assert len(polygon) == 5 and polygon[0] == polygon[-1] == "55.935,21.05"
    circles = root.findall(f".//{{{NS}}}circle")
    assert circles[0].text == "55.9206,21.0483 0.5"
    assert validate_cap(cap_bytes(notice)) == []


def test_it_writes_the_restriction_of_a_partners_only_notice(make_notice: Any) -> None:
    notice = make_notice("draft", scope="Restricted", restriction="Partner police only")
    root = SafeET.fromstring(cap_bytes(notice))
    assert root.findtext(f"{{{NS}}}scope") == "Restricted"
    assert root.findtext(f"{{{NS}}}restriction") == "Partner police only"
    assert validate_cap(cap_bytes(notice)) == []


def test_an_update_of_an_update_references_every_earlier_message(
    make_notice: Any, specialist: Any, coordinator: Any
) -> None:
    first = make_notice("published")
    second = advance(
        do_derive_notice(first, "Update", actor=specialist.user),
        "published",
        specialist,
        coordinator,
    )
    third = do_derive_notice(second, "Update", actor=specialist.user)
    assert third.references == [first.reference, second.reference]
    assert validate_cap(cap_bytes(third)) == []


# The checker itself: each rule is caught when it is broken.

VALID = f"""<?xml version="1.0"?>
<alert xmlns="{NS}"><identifier>a-1</identifier><sender>x@scape</sender>
<sent>2026-07-01T10:00:00+03:00</sent><status>Actual</status><msgType>Alert</msgType>
<scope>Public</scope><info><category>Safety</category><event>E</event>
<urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>
<area><areaDesc>A</areaDesc><polygon>1,1 1,2 2,2 1,1</polygon></area></info></alert>"""


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        ("+03:00</sent>", "Z</sent>", "time"),
        ("<identifier>a-1", "<identifier>a 1", "identifier"),
        ("2,2 1,1</polygon>", "2,2 3,3</polygon>", "not closed"),
        ("1,1 1,2 2,2 1,1", "1,1 1,2 1,1", "at least 4"),
        ("<msgType>Alert", "<msgType>Cancel", "without references"),
        ("<urgency>Immediate", "<urgency>Now", "allowed values"),
        (
            "<category>Safety</category><event>E</event>",
            "<event>E</event><category>Safety</category>",
            "order",
        ),
        ("<sender>x@scape</sender>", "", "missing required sender"),
    ],
)
def test_the_checker_catches_each_broken_rule(old: str, new: str, rule: str) -> None:
    assert validate_cap(VALID.encode()) == []
    broken = VALID.replace(old, new)
    assert broken != VALID
    errors = validate_cap(broken.encode())
    assert any(rule in error for error in errors), errors


def test_each_language_reads_its_own_event_and_area_names(
    make_notice: Any, specialist: Any, coordinator: Any
) -> None:
    from scape.alerts.areas import area_from_shape
    from scape.alerts.models import SavedArea

    beach = SavedArea.objects.create(
        name="Palanga beach", polygon=BEACH,
        names={"lt": "Palangos paplūdimys", "lv": "Palangas pludmale"},
    )  # fmt: skip
    infos = {
        "lt": {"headline": "Paplūdimys uždarytas", "description": "Audra.",
               "event": "Paplūdimio uždarymas", "area_desc": "Tiltas ir jo apylinkės"},
        "lv": {"headline": "Pludmale slēgta", "description": "Vētra.",
               "event": "Pludmales slēgšana", "area_desc": "Tilts un tā apkārtne"},
        "en": {"headline": "Beach closed", "description": "Storm."},
    }  # fmt: skip
    areas = [
        {"area_desc": "The pier", "polygon": BEACH},
        area_from_shape(beach, beach.name, beach.names),
    ]
    notice = make_notice("published", infos=infos, areas=areas)
    derived = advance(
        do_derive_notice(notice, "Update", actor=specialist.user), "published", specialist,
        coordinator,
    )  # fmt: skip
    for message in (notice, derived):  # an Update keeps every language's words
        xml = cap_bytes(message, base_url="https://scape.example/")
        assert validate_cap(xml) == []
        root = SafeET.fromstring(xml)
        said = {
            info.findtext(f"{{{NS}}}language"): (
                info.findtext(f"{{{NS}}}event"),
                [a.findtext(f"{{{NS}}}areaDesc") for a in info.findall(f"{{{NS}}}area")],
            )
            for info in root.findall(f"{{{NS}}}info")
        }
        assert said["lt"] == (
            "Paplūdimio uždarymas",
            ["Tiltas ir jo apylinkės", "Palangos paplūdimys"],
        )
        assert said["lv"] == ("Pludmales slēgšana", ["Tilts un tā apkārtne", "Palangas pludmale"])
        assert said["en"] == ("Beach closure", ["The pier", "Palanga beach"])


def test_every_info_has_a_description_even_where_none_was_written(make_notice: Any) -> None:
    notice = make_notice(
        "draft",
        infos={
            "lt": {"headline": "Paplūdimys uždarytas", "description": "Audra."},
            "en": {"headline": "Beach closed", "description": ""},
        },
    )
    root = SafeET.fromstring(cap_bytes(notice))
    descriptions = {
        info.findtext(f"{{{NS}}}language"): info.findtext(f"{{{NS}}}description")
        for info in root.findall(f"{{{NS}}}info")
    }
    assert descriptions == {"lt": "Audra.", "en": "Beach closed"}
    assert validate_cap(cap_bytes(notice)) == []
