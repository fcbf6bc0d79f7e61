"""The LT and LV plate grammars: formats, confusables and the band letters."""

import pytest

from scape.vision.plates.grammar import matches, parse_plate

VALID = [
    # raw OCR text, plate, display text, country, kind
    ("ABC 123", "ABC123", "ABC 123", "LT", "car"),
    ("EA 1234", "EA1234", "EA 1234", "LT", "electric"),
    ("AB 123", "AB123", "AB 123", "LT", "trailer"),
    ("123 AB", "123AB", "123 AB", "LT", "motorcycle"),
    ("12 ABC", "12ABC", "12 ABC", "LT", "moped"),
    ("T 12345", "T12345", "T 12345", "LT", "taxi"),
    ("P 1234", "P1234", "P 1234", "LT", "trade"),
    ("P 12345", "P12345", "P 12345", "LT", "trade"),
    ("H 12345", "H12345", "H 12345", "LT", "historic"),
    ("01 3 123", "013123", "01 3 123", "LT", "diplomatic"),
    ("AB-1234", "AB1234", "AB-1234", "LV", "car"),
    ("AB-1", "AB1", "AB-1", "LV", "car"),
    ("A-123", "A123", "A-123", "LV", "trailer"),
    ("EX-4242", "EX4242", "EX-4242", "LV", "electric"),
    ("TX-1234", "TX1234", "TX-1234", "LV", "taxi"),
    ("CD-0123", "CD0123", "CD-0123", "LV", "diplomatic"),
    ("LA-77", "LA77", "LA-77", "LV", "army"),
]


@pytest.mark.parametrize(("raw", "plate", "text", "country", "kind"), VALID)
def test_it_parses_every_national_format(raw, plate, text, country, kind):
    parsed = parse_plate(raw)
    assert parsed is not None
    assert (parsed.plate, parsed.text, parsed.country, parsed.kind) == (plate, text, country, kind)
    assert matches(plate, country, kind)


@pytest.mark.parametrize(
    ("plate", "country", "kind"),
    [
        ("QWX123", "LT", "car"),  # Q, W and X are never issued in Lithuania
        ("ABC12", "LT", "car"),
        ("AB0123", "LV", "car"),  # Latvian numbers never start with 0
        ("AB12345", "LV", "car"),
        ("IY1234", "LV", "car"),  # I and Y are not used on Latvian serial plates
        ("E1234", "LT", "electric"),
        ("T1234", "LT", "taxi"),
        ("CD123", "LV", "diplomatic"),
        ("1234AB", "LT", "motorcycle"),
    ],
)
def test_it_rejects_plates_outside_the_format(plate, country, kind):
    assert not matches(plate, country, kind)


@pytest.mark.parametrize("raw", ["HELLO", "STOP", "", "---", "A"])
def test_it_rejects_text_that_is_no_plate(raw):
    assert parse_plate(raw) is None


@pytest.mark.parametrize(
    ("raw", "plate"),
    [
        ("A8C 123", "ABC123"),  # 8 in a letter position is B
        ("ABC 12Z", "ABC122"),  # Z in a digit position is 2
        ("0BC 123", "OBC123"),
        ("ABC 1O3", "ABC103"),
        ("GAS 1S6", "GAS156"),
        ("EX-6I23", "EX6123"),
        ("T 1234S", "T12345"),
    ],
)
def test_it_corrects_confusables_by_position(raw, plate):
    parsed = parse_plate(raw)
    assert parsed is not None
    assert parsed.plate == plate
    assert parsed.corrections >= 1


def test_it_does_not_turn_a_word_into_digits():
    # Most digit positions must have been read as digits.
    assert parse_plate("HSI") is None
    assert parse_plate("GOOSE") is None


@pytest.mark.parametrize(
    ("raw", "plate", "country"),
    [
        ("LT ABC 123", "ABC123", "LT"),
        ("LTABC123", "ABC123", "LT"),
        ("LV AB-1234", "AB1234", "LV"),
        ("LVAB123", "AB123", "LV"),  # would be an LT trailer without the band
        ("LT AB 123", "AB123", "LT"),
    ],
)
def test_it_drops_the_band_letters_and_uses_them_as_country(raw, plate, country):
    parsed = parse_plate(raw)
    assert parsed is not None
    assert parsed.plate == plate
    assert parsed.country == country


def test_it_uses_the_hyphen_as_a_latvian_hint():
    assert parse_plate("AB-123").country == "LV"
    assert parse_plate("AB 123").country == "LT"


def test_it_uses_an_outside_hint_when_the_band_is_unreadable():
    assert parse_plate("AB123", hint="LV").country == "LV"


def test_it_reads_personalised_plates_only_with_the_band():
    parsed = parse_plate("LV COYOTE")
    assert parsed is not None
    assert (parsed.plate, parsed.country, parsed.kind) == ("COYOTE", "LV", "personalised")
    assert parse_plate("COYOTE") is None


def test_it_keeps_unknown_foreign_plates_without_country():
    parsed = parse_plate("B MW 1234")
    assert parsed is not None
    assert (parsed.plate, parsed.country, parsed.kind) == ("BMW1234", None, "unknown")


def test_it_trims_a_stray_border_character():
    parsed = parse_plate("ABC123|")
    assert parsed is not None
    assert parsed.plate == "ABC123"
    assert parse_plate("IABC 123").plate == "ABC123"


def test_it_trims_an_unsure_stray_character_left_of_the_plate():
    # The band's stars read as a faint "E" or "0" before a Latvian trailer plate.
    parsed = parse_plate("EE-696", confidences=[0.17, 0.97, 1.0, 1.0, 1.0, 1.0])
    assert parsed is not None
    assert (parsed.plate, parsed.kind) == ("E696", "trailer")
    parsed = parse_plate("0T-3877", confidences=[0.23, 1.0, 0.96, 1.0, 1.0, 1.0, 1.0])
    assert parsed is not None
    assert (parsed.plate, parsed.country, parsed.kind) == ("T3877", "LV", "trailer")
    # Read with confidence, the first letter is part of the plate.
    assert parse_plate("EE-696", confidences=[0.98, 0.97, 1.0, 1.0, 1.0, 1.0]).plate == "EE696"


def test_it_corrects_an_unsure_character_more_readily_than_a_sure_one():
    sure = parse_plate("LA-B604", confidences=[1.0] * 7)
    unsure = parse_plate("LA-B604", confidences=[1.0, 0.86, 0.95, 0.55, 1.0, 1.0, 1.0])
    assert unsure is not None and sure is not None
    # The hyphen is never printed on a Lithuanian plate: a Latvian army plate
    # with an unsure B read for 8 beats a Lithuanian car read with a hyphen.
    assert (unsure.plate, unsure.country, unsure.kind) == ("LA8604", "LV", "army")
    assert unsure.cost < sure.cost


def test_it_counts_a_symbol_between_characters_against_the_read():
    junk = parse_plate("K{Z 114")
    clean_read = parse_plate("KJZ 114")
    assert junk is not None and clean_read is not None
    assert junk.plate == "KZ114"
    assert clean_read.plate == "KJZ114"
    assert junk.cost > clean_read.cost


def test_it_counts_a_gap_where_the_format_has_none():
    assert parse_plate("AB C123").cost > parse_plate("ABC 123").cost
    assert parse_plate("ABC 123").cost == 0.0


def test_it_ignores_confidences_that_do_not_match_the_text():
    parsed = parse_plate("ABC 123", confidences=[0.1])
    assert parsed is not None
    assert (parsed.plate, parsed.cost) == ("ABC123", 0.0)


@pytest.mark.parametrize(
    ("raw", "plate", "kind"),
    [
        ("12 3 456", "123456", "diplomatic"),  # mission code, status digit, serial
        ("H 12345", "H12345", "historic"),
        ("R 1234", "R1234", "trade"),
    ],
)
def test_it_reads_lithuanian_special_plates_without_the_band(raw, plate, kind):
    parsed = parse_plate(raw)
    assert parsed is not None
    assert (parsed.plate, parsed.country, parsed.kind) == (plate, "LT", kind)


@pytest.mark.parametrize(
    ("raw", "plate", "kind"),
    [
        ("CD-1234", "CD1234", "diplomatic"),
        ("LA-1234", "LA1234", "army"),
        ("TX-12", "TX12", "taxi"),
        ("EX-1", "EX1", "electric"),
        ("AB-1", "AB1", "car"),
        ("Z-50", "Z50", "trailer"),
    ],
)
def test_it_reads_every_latvian_format_and_length(raw, plate, kind):
    parsed = parse_plate(raw)
    assert parsed is not None
    assert (parsed.plate, parsed.country, parsed.kind) == (plate, "LV", kind)
