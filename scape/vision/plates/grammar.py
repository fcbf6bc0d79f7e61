"""Lithuanian and Latvian plate grammars: normalise raw OCR text into a plate.

A format is written as a template: ``@`` is a letter of the country's alphabet,
``#`` any digit, ``!`` a digit other than 0, any other letter or digit is itself,
and a space or hyphen is a separator kept for display only. Matching is done on
the plate without separators; a character the OCR confused with its look-alike
(O/0, I/1, B/8, Z/2, G/6, S/5, ...) is corrected when the template says the
position must be a letter or a digit, and each correction costs one point.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

LT = "LT"
LV = "LV"
COUNTRIES = (LT, LV)

# Lithuania never issues Q, W or X; Latvian serial plates skip I, Q, W, X and Y.
LT_LETTERS = "ABCDEFGHIJKLMNOPRSTUVYZ"
LV_LETTERS = "ABCDEFGHJKLMNOPRSTUVZ"
ANY_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"

# Look-alikes in the DIN plate font, in both directions. Only used where the
# template forbids the character that was read.
TO_DIGIT = {"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "J": "1", "T": "1",
            "B": "8", "Z": "2", "G": "6", "S": "5", "A": "4"}  # fmt: skip
TO_LETTER = {"0": "O", "1": "I", "8": "B", "2": "Z", "6": "G", "5": "S", "4": "A", "7": "T"}

# The band letters as the recogniser tends to read them at small sizes.
BAND_READS = {"LT": LT, "LV": LV, "IT": LT, "1T": LT, "L7": LT, "LY": LV, "IV": LV, "1V": LV}

# A read that fits no format is kept as an unknown (foreign) plate only if it is
# plate-shaped: 4 to 10 characters with both letters and digits.
UNKNOWN_RE = re.compile(r"^(?=.*[A-Z])(?=.*[0-9])[A-Z0-9]{4,10}$")
# Two corrections on a band-vouched read is less likely than a personalised plate.
PERSONALISED_COST = 1.8
# A fit that needs more than this is a guess, not a read.
MAX_COST = 2.5
FOREIGN_HINT_COST = 1.5
SEPARATOR_HINT_COST = 0.6
MAX_CORRECTIONS = 2


@dataclass(frozen=True)
class PlateFormat:
    """One national plate format: its country, kind and templates."""

    country: str
    kind: str
    templates: tuple[str, ...]
    letters: str

    @property
    def pattern(self) -> re.Pattern[str]:
        """Return the regex the format's plates match once separators are removed."""
        return _pattern(self)


@dataclass(frozen=True)
class ParsedPlate:
    """A plate read normalised by a grammar."""

    plate: str
    text: str
    country: str | None
    kind: str
    corrections: int = 0
    cost: float = 0.0
    sources: tuple[int, ...] = ()


def _lv(prefix: str, lo: int = 1, hi: int = 4) -> tuple[str, ...]:
    return tuple(prefix + "-!" + "#" * (k - 1) for k in range(lo, hi + 1))


LT_FORMATS: tuple[PlateFormat, ...] = (
    PlateFormat(LT, "car", ("@@@ ###",), LT_LETTERS),
    PlateFormat(LT, "electric", ("E@ ####",), LT_LETTERS),
    PlateFormat(LT, "trailer", ("@@ ###",), LT_LETTERS),
    PlateFormat(LT, "motorcycle", ("### @@",), LT_LETTERS),
    PlateFormat(LT, "moped", ("## @@@",), LT_LETTERS),
    PlateFormat(LT, "taxi", ("T #####",), LT_LETTERS),
    # Trade plates: P (or R for repair shops) and four digits, sometimes a fifth.
    PlateFormat(LT, "trade", ("P ####", "P #####", "R ####"), LT_LETTERS),
    # Historic vehicles: H followed by five digits.
    PlateFormat(LT, "historic", ("H #####",), LT_LETTERS),
    # Diplomatic (green, no band): mission code, status digit, serial.
    PlateFormat(LT, "diplomatic", ("## # ###",), LT_LETTERS),
)
LV_FORMATS: tuple[PlateFormat, ...] = (
    PlateFormat(LV, "electric", _lv("EX"), ANY_LETTERS),
    PlateFormat(LV, "taxi", _lv("TX"), ANY_LETTERS),
    PlateFormat(LV, "diplomatic", ("CD-####",), ANY_LETTERS),
    PlateFormat(LV, "army", _lv("LA"), ANY_LETTERS),
    PlateFormat(LV, "car", _lv("@@"), LV_LETTERS),
    PlateFormat(LV, "trailer", _lv("@"), LV_LETTERS),
)
FORMATS = LT_FORMATS + LV_FORMATS


@cache
def _pattern(fmt: PlateFormat) -> re.Pattern[str]:
    alts = []
    for t in fmt.templates:
        parts = []
        for ch in t.replace(" ", "").replace("-", ""):
            parts.append(
                {"@": f"[{fmt.letters}]", "#": "[0-9]", "!": "[1-9]"}.get(ch, re.escape(ch))
            )
        alts.append("".join(parts))
    return re.compile("^(?:" + "|".join(alts) + ")$")


def _slots(template: str) -> tuple[str, ...]:
    return tuple(c for c in template if c not in " -")


def _fit(chars: str, template: str, letters: str) -> tuple[str, int] | None:
    """Fit ``chars`` to ``template``; return the corrected plate and the correction count."""
    slots = _slots(template)
    if len(slots) != len(chars):
        return None
    out = []
    fixes = 0
    digit_slots = sum(1 for s in slots if s in "#!" or s.isdigit())
    digit_fixes = 0
    for ch, slot in zip(chars, slots, strict=True):
        if slot == "@":
            allowed = letters
        elif slot == "#":
            allowed = DIGITS
        elif slot == "!":
            allowed = DIGITS[1:]
        else:
            allowed = slot
        if ch in allowed:
            out.append(ch)
            continue
        alt = TO_LETTER.get(ch) if ch.isdigit() else TO_DIGIT.get(ch)
        if alt is None or alt not in allowed:
            return None
        out.append(alt)
        fixes += 1
        digit_fixes += alt.isdigit()
        if fixes > MAX_CORRECTIONS:
            return None
    # Most digits must have been read as digits: otherwise any word (a shop
    # sign) would become a plate through corrections alone.
    if digit_fixes * 2 > digit_slots:
        return None
    return "".join(out), fixes


def display(plate: str, template: str) -> str:
    """Return ``plate`` with the separators of ``template`` put back."""
    out = []
    i = 0
    for ch in template:
        if ch in " -":
            out.append(ch)
        else:
            out.append(plate[i])
            i += 1
    return "".join(out)


def clean(raw: str) -> tuple[str, list[int]]:
    """Return the uppercase A-Z0-9 characters of ``raw`` and their positions in it."""
    chars, where = [], []
    for i, ch in enumerate(raw.upper()):
        if "A" <= ch <= "Z" or "0" <= ch <= "9":
            chars.append(ch)
            where.append(i)
    return "".join(chars), where


def _interpretations(raw: str) -> list[tuple[str, list[int], str | None, float]]:
    """Split off the band letters: return (chars, positions, band country, base cost)."""
    chars, where = clean(raw)
    out: list[tuple[str, list[int], str | None, float]] = [(chars, where, None, 0.0)]
    band = BAND_READS.get(chars[:2])
    if band is not None and len(chars) > 3:
        out.append((chars[2:], where[2:], band, 0.0))
    if len(chars) > 4:
        # A border or star read as one stray character on either side; trimming
        # it is itself a correction.
        out.append((chars[1:], where[1:], None, 1.0))
        out.append((chars[:-1], where[:-1], None, 1.0))
    return out


def parse_plate(raw: str, hint: str | None = None) -> ParsedPlate | None:
    """Normalise raw OCR text into a plate, or return None if it is no plate.

    The band letters, when read, are dropped from the plate and used as the
    country hint; ``hint`` is an outside hint (a camera's country) used when the
    band is unreadable. Among the formats the text fits, the one with the fewest
    corrections wins; a fit that contradicts the hint, or uses a separator the
    country does not print, costs extra.
    """
    best: ParsedPlate | None = None
    hyphen = "-" in raw
    for chars, where, band, base in _interpretations(raw):
        country_hint = band or hint
        for fmt in FORMATS:
            for template in fmt.templates:
                fitted = _fit(chars, template, fmt.letters)
                if fitted is None:
                    continue
                plate, fixes = fitted
                cost = base + fixes
                if country_hint is not None and country_hint != fmt.country:
                    cost += FOREIGN_HINT_COST
                if hyphen != (fmt.country == LV):
                    cost += SEPARATOR_HINT_COST
                if best is None or cost < best.cost:
                    best = ParsedPlate(
                        plate, display(plate, template), fmt.country, fmt.kind, fixes, cost,
                        tuple(where),
                    )  # fmt: skip
        if band is not None and 2 <= len(chars) <= 8 and chars.isalnum():
            # A personalised plate: any characters, as long as the band vouches for it.
            cost = base + PERSONALISED_COST
            if best is None or cost < best.cost:
                best = ParsedPlate(chars, chars, band, "personalised", 0, cost, tuple(where))
    if best is not None and best.cost <= MAX_COST:
        return best
    chars, where = clean(raw)
    if UNKNOWN_RE.match(chars):
        return ParsedPlate(chars, raw.strip().upper(), None, "unknown", 0, 5.0, tuple(where))
    return None


def matches(plate: str, country: str, kind: str) -> bool:
    """Return whether ``plate`` (no separators) is valid for ``country`` and ``kind``."""
    return any(f.pattern.match(plate) for f in FORMATS if f.country == country and f.kind == kind)


def formats(country: str | None = None) -> Sequence[PlateFormat]:
    """Return the known formats, optionally of one country."""
    return [f for f in FORMATS if country is None or f.country == country]
