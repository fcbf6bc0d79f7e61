"""The LT and LV plate grammars: formats and look-alikes; they score, never cut."""

import random

import pytest

from scape.vision.plates.grammar import (
    TO_DIGIT,
    TO_ISSUED_LETTER,
    TO_LETTER,
    UNSURE_CONFIDENCE,
    matches,
    parse_plate,
)

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


@pytest.mark.parametrize("raw", ["", "---", " . "])
def test_it_returns_nothing_for_text_without_a_letter_or_digit(raw):
    assert parse_plate(raw) is None


@pytest.mark.parametrize("raw", ["HELLO", "STOP", "A", "GOOSE"])
def test_it_keeps_text_that_fits_no_format_as_read(raw):
    # Whether text is a plate is judged from the image (propose.py), not here.
    parsed = parse_plate(raw)
    assert parsed is not None
    assert (parsed.plate, parsed.country, parsed.kind) == (raw, None, "unknown")


UNSURE = 0.4
SURE = 0.99


def confs(raw, unsure_at):
    return [UNSURE if i == unsure_at else SURE for i in range(len(raw))]


@pytest.mark.parametrize(
    ("raw", "at", "plate"),
    [
        ("A8C 123", 1, "ABC123"),  # 8 in a letter position is B
        ("ABC 12Z", 6, "ABC122"),  # Z in a digit position is 2
        ("0BC 123", 0, "OBC123"),
        ("ABC 1O3", 5, "ABC103"),
        ("GAS 1S6", 5, "GAS156"),
        ("EX-6I23", 4, "EX6123"),
        ("T 1234S", 6, "T12345"),
        # Latvia issues no I (nor Q, W, X, Y): an unsure I or 1 where a Latvian
        # plate has its letters is the J it looks like in DIN-style fonts.
        ("ZI-7816", 1, "ZJ7816"),
        ("F1-3474", 1, "FJ3474"),
        ("AY-1234", 1, "AV1234"),
    ],
)
def test_it_corrects_a_look_alike_the_recogniser_was_unsure_of(raw, at, plate):
    parsed = parse_plate(raw, confidences=confs(raw, at))
    assert parsed is not None
    assert (parsed.plate, parsed.corrections) == (plate, 1)
    assert parsed.country is not None


def test_lithuania_keeps_the_i_it_issues():
    parsed = parse_plate("AIB 123", confidences=confs("AIB 123", 1))
    assert parsed is not None
    assert (parsed.plate, parsed.country, parsed.corrections) == ("AIB123", "LT", 0)


@pytest.mark.parametrize(
    ("raw", "at", "not_plate"),
    [
        ("AI-38", 1, "A138"),  # the hyphen says LV car AJ-38, not the trailer A-138
        ("864 20", 0, "B6420"),  # a space after three: not the LV trailer B-6420
    ],
)
def test_no_correction_goes_against_where_a_separator_was_read(raw, at, not_plate):
    parsed = parse_plate(raw, confidences=confs(raw, at))
    assert parsed is not None
    assert parsed.plate != not_plate
    assert len(parsed.plate) == len(not_plate)


@pytest.mark.parametrize("raw", ["A8C 123", "ABC 12Z", "ABC 1O3", "EX-6I23", "ZI-7816", "F1-3474"])
def test_it_never_corrects_a_character_the_recogniser_was_sure_of(raw):
    parsed = parse_plate(raw, confidences=[SURE] * len(raw))
    assert parsed is not None
    assert parsed.plate == raw.replace(" ", "").replace("-", "")
    assert (parsed.country, parsed.corrections) == (None, 0)


def test_it_never_corrects_text_without_confidences():
    # A camera's own read or a typed plate: stored as sent.
    parsed = parse_plate("A8C 123")
    assert parsed is not None
    assert (parsed.plate, parsed.country) == ("A8C123", None)


def test_it_does_not_turn_a_word_into_digits():
    # Most digit positions must have been read as digits.
    parsed = parse_plate("HSI", confidences=[UNSURE] * 3)
    assert parsed is not None and parsed.country is None


@pytest.mark.parametrize(
    ("raw", "plate"),
    [
        ("PP587AO", "PP587AO"),  # was cut to the LT car PP5874
        ("XYZ 321", "XYZ321"),  # was cut to the LT trailer YZ321
        ("B AB 1234", "BAB1234"),  # was cut to the LV car AB1234
        ("GD 12345", "GD12345"),  # was cut to GD1234
        ("LT ABC 123", "LTABC123"),  # band letters read: kept, the reader cuts the band
        ("ABC123|", "ABC123"),
        ("B MW 1234", "BMW1234"),
    ],
)
def test_it_keeps_a_foreign_plate_whole_with_no_country(raw, plate):
    parsed = parse_plate(raw, confidences=[0.3] * len(raw))
    assert parsed is not None
    assert parsed.plate == plate
    if plate != "ABC123":
        assert (parsed.country, parsed.kind) == (None, "unknown")


def test_it_keeps_a_sign_with_a_diacritic_out_of_every_format():
    parsed = parse_plate("RĪGA 210")
    assert parsed is not None
    assert parsed.country is None  # not the LT car "RGA 210"


def test_it_never_removes_or_adds_a_character():
    # Property: over many random strings (letters, digits, look-alikes,
    # separators, symbols, any confidences), the plate has exactly the read's
    # letters and digits, in order, and differs from them only by look-alike
    # corrections of characters the recogniser was unsure of.
    rng = random.Random(14)
    alphabet = "ABCDEGHIJKLMNOPRSTUVZ0123456789OIBZGS8521 -.|{"
    for _ in range(3000):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        conf = [rng.random() for _ in raw] if rng.random() < 0.7 else None
        hint = rng.choice([None, "LT", "LV"])
        parsed = parse_plate(raw, hint=hint, confidences=conf)
        chars = "".join(ch for ch in raw if ch.isalnum())
        if not chars:
            assert parsed is None
            continue
        assert parsed is not None
        assert len(parsed.plate) == len(chars), (raw, parsed)
        changed = [k for k, (a, b) in enumerate(zip(chars, parsed.plate, strict=True)) if a != b]
        assert len(changed) == parsed.corrections <= 2, (raw, parsed)
        for k in changed:
            assert conf is not None and conf[parsed.sources[k]] < UNSURE_CONFIDENCE
            c = chars[k]
            alikes = {TO_DIGIT.get(c), TO_LETTER.get(c), TO_ISSUED_LETTER.get(c)}
            alikes.add(TO_ISSUED_LETTER.get(TO_LETTER.get(c, "")))
            assert parsed.plate[k] in alikes, (raw, parsed)
        if changed:
            assert parsed.country is not None


def test_it_uses_the_hyphen_as_a_latvian_hint():
    assert parse_plate("AB-123").country == "LV"
    assert parse_plate("AB 123").country == "LT"


def test_it_uses_an_outside_hint_between_formats():
    assert parse_plate("AB123", hint="LV").country == "LV"


def test_it_corrects_an_unsure_character_more_cheaply_than_a_surer_one():
    surer = parse_plate("EX-6I23", confidences=[1.0, 1.0, 1.0, 1.0, 0.8, 1.0, 1.0])
    unsure = parse_plate("EX-6I23", confidences=[1.0, 1.0, 1.0, 1.0, 0.3, 1.0, 1.0])
    assert unsure is not None and surer is not None
    assert (unsure.plate, unsure.country, unsure.kind) == ("EX6123", "LV", "electric")
    assert unsure.cost < surer.cost


def test_a_fit_as_read_beats_a_corrected_one():
    # "LA-B604" fits the LT car LAB 604 as read: no character is changed to
    # make it the LV army plate LA-8604.
    parsed = parse_plate("LA-B604", confidences=[1.0, 0.86, 0.95, 0.55, 1.0, 1.0, 1.0])
    assert parsed is not None
    assert (parsed.plate, parsed.corrections) == ("LAB604", 0)


def test_it_keeps_a_symbol_read_between_characters_out_of_the_plate_only():
    parsed = parse_plate("K{Z 114")
    assert parsed is not None
    assert parsed.plate == "KZ114"  # the symbol is no letter or digit
    assert parse_plate("KJZ 114").plate == "KJZ114"


def test_it_ignores_confidences_that_do_not_match_the_text():
    parsed = parse_plate("ABC 123", confidences=[0.1])
    assert parsed is not None
    assert (parsed.plate, parsed.cost, parsed.country) == ("ABC123", 0.0, "LT")


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
