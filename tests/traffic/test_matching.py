"""Hot-list matching forgives exactly one look-alike character."""

import pytest

from scape.traffic.matching import confusable_match, countries_agree, normalise, variants


@pytest.mark.parametrize(
    ("read", "listed"),
    [
        ("ABC123", "ABC123"),
        ("ABC12O", "ABC120"),
        ("AIC123", "A1C123"),
        ("KR1284", "KR12B4"),
        ("KR1234", "KRI234"),
        ("ZZ2000", "Z22000"),
        ("GU6465", "GUG465"),
        ("SAB555", "5AB555"),
        ("DAB100", "0AB100"),
        ("ABC1Q0", "ABC100"),
    ],
)
def test_it_matches_exactly_or_with_one_confusable(read, listed):
    assert confusable_match(read, listed)
    assert listed in variants(read)


@pytest.mark.parametrize(
    ("read", "listed"),
    [
        ("ABC123", "ABC124"),  # 3/4 are not look-alikes
        ("AB0120", "ABO12O"),  # two substitutions
        ("ABC123", "ABC1234"),  # different length
        ("ABC123", "XBC123"),
        ("DAB100", "OAB100"),  # D/O is not a listed pair
    ],
)
def test_it_refuses_other_differences(read, listed):
    assert not confusable_match(read, listed)
    assert listed not in variants(read)


def test_it_normalises_plates():
    assert normalise("kr-1234") == "KR1234"
    assert normalise(" ABC 123 ") == "ABC123"
    assert normalise("ŠĖ-1") == "1"


def test_it_respects_country_only_when_both_are_known():
    assert countries_agree("LT", "LT")
    assert countries_agree("", "LV")
    assert countries_agree("LT", None)
    assert not countries_agree("LT", "LV")


FOREIGN = ["PP 587AO", "XYZ 321", "B AB 1234", "GD 12345", "PO 12345X", "WX 9K1", "RK-248AH"]


@pytest.mark.parametrize("raw", FOREIGN)
def test_a_foreign_read_never_matches_a_plate_cut_from_it(raw):
    # Issue 14: reads were once cut to fit an LT/LV format ("PP587AO" became
    # "PP5874"), and the cut plate could match a hot-list entry with one
    # look-alike. A read is stored whole now, and no entry of another length,
    # nor one cut from it and then a look-alike away, matches it.
    from scape.traffic.actions import plate_fields

    read, _text, country = plate_fields(raw, hint="LT")
    assert read == normalise(raw) and country is None
    for i in range(len(read)):
        cut = read[:i] + read[i + 1 :]
        for listed in variants(cut):
            assert not confusable_match(read, listed)
            assert listed not in variants(read)
