"""Lithuanian and Latvian plate grammars: normalise raw OCR text into a plate.

A format is written as a template: ``@`` is a letter of the country's alphabet,
``#`` any digit, ``!`` a digit other than 0, any other letter or digit is itself,
and a space or hyphen is a separator kept for display only. Matching is done on
the plate without separators; a character the OCR confused with its look-alike
(O/0, I/1, B/8, Z/2, G/6, S/5, ...) is corrected when the template says the
position must be a letter or a digit, and each correction costs one point
(less when the recogniser's per-character confidence says it was unsure). The
fit also weighs the separators read: a hyphen points to Latvia, a gap where the
format has none or a symbol between characters counts against the fit.
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
# Lithuania never prints a hyphen, so a hyphen read clearly is strong evidence
# against a Lithuanian format (a Latvian hyphen is often lost in blur instead).
LT_HYPHEN_COST = 0.9
# A gap (space or hyphen) read where the format has none.
MISPLACED_GAP_COST = 0.4
# A stray symbol read between the plate's characters (``K{Z 114``): a character
# the recogniser could not read, so the plate may be missing one.
JUNK_COST = 0.6
# Characters read between a plate's characters that are no misreading.
GAP_CHARS = " -.·:"
MAX_CORRECTIONS = 2
# Below this per-character confidence, keeping an edge character costs extra.
WEAK_EDGE_CONFIDENCE = 0.5


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


def _fit(
    chars: str, template: str, letters: str, confs: Sequence[float] | None = None
) -> tuple[str, int, float] | None:
    """Fit ``chars`` to ``template``; return the corrected plate, correction count and cost.

    A correction costs one point, or less when the recogniser was unsure of the
    character it replaces (``confs``: its confidence per character).
    """
    slots = _slots(template)
    if len(slots) != len(chars):
        return None
    out = []
    fixes = 0
    cost = 0.0
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
        c = confs[len(out) - 1] if confs is not None and len(out) <= len(confs) else 1.0
        cost += 0.5 + 0.5 * min(1.0, max(0.0, c))
        digit_fixes += alt.isdigit()
        if fixes > MAX_CORRECTIONS:
            return None
    # Most digits must have been read as digits: otherwise any word (a shop
    # sign) would become a plate through corrections alone.
    if digit_fixes * 2 > digit_slots:
        return None
    return "".join(out), fixes, cost


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


def _interpretations(
    raw: str, confs: Sequence[float] | None = None
) -> list[tuple[str, list[int], str | None, float]]:
    """Split off the band letters: return (chars, positions, band country, base cost).

    With the recogniser's confidence per character of ``raw`` (``confs``), a
    stray edge character it was unsure of is cheap to trim and dear to keep.
    """
    chars, where = clean(raw)

    def conf(i: int) -> float:
        return confs[i] if confs is not None and i < len(confs) else 1.0

    def keep(w: list[int]) -> float:
        if not w:
            return 0.0
        return sum(max(0.0, WEAK_EDGE_CONFIDENCE - conf(i)) for i in {w[0], w[-1]})

    out: list[tuple[str, list[int], str | None, float]] = [(chars, where, None, keep(where))]
    band = BAND_READS.get(chars[:2])
    if band is not None and len(chars) > 3:
        out.append((chars[2:], where[2:], band, keep(where[2:])))
    if len(chars) > 4:
        # A border or star read as one stray character on either side; trimming
        # it is itself a correction, cheaper when the character was unsure.
        first, last = max(0.15, min(1.0, conf(where[0]))), max(0.15, min(1.0, conf(where[-1])))
        out.append((chars[1:], where[1:], None, first + keep(where[1:])))
        out.append((chars[:-1], where[:-1], None, last + keep(where[:-1])))
    return out


def _gaps(raw: str, where: Sequence[int]) -> tuple[set[int], int]:
    """Return where ``raw`` shows a gap between kept characters, and its junk count.

    A gap at ``k`` lies between the kept characters ``k - 1`` and ``k``; junk is
    any other character read between two kept ones (a symbol for an unreadable
    character).
    """
    gaps: set[int] = set()
    junk = 0
    for k in range(1, len(where)):
        between = raw[where[k - 1] + 1 : where[k]]
        if any(ch in GAP_CHARS for ch in between):
            gaps.add(k)
        junk += sum(1 for ch in between if ch not in GAP_CHARS)
    return gaps, junk


def _template_gaps(template: str) -> set[int]:
    out, n = set(), 0
    for ch in template:
        if ch in " -":
            out.add(n)
        else:
            n += 1
    return out


def parse_plate(
    raw: str, hint: str | None = None, confidences: Sequence[float] | None = None
) -> ParsedPlate | None:
    """Normalise raw OCR text into a plate, or return None if it is no plate.

    The band letters, when read, are dropped from the plate and used as the
    country hint; ``hint`` is an outside hint (a camera's country) used when the
    band is unreadable. Among the formats the text fits, the one with the fewest
    corrections wins; a fit that contradicts the hint, or uses a separator the
    country does not print, costs extra. ``confidences`` (the recogniser's
    confidence for each character of ``raw``) make corrections and trims of
    unsure characters cheaper.
    """
    best: ParsedPlate | None = None
    if confidences is not None and len(confidences) != len(raw):
        confidences = None
    hyphen = "-" in raw
    for chars, where, band, base in _interpretations(raw, confidences):
        country_hint = band or hint
        gaps, junk = _gaps(raw, where)
        base += JUNK_COST * junk
        confs = [confidences[i] for i in where] if confidences is not None else None
        for fmt in FORMATS:
            for template in fmt.templates:
                fitted = _fit(chars, template, fmt.letters, confs)
                if fitted is None:
                    continue
                plate, fixes, fix_cost = fitted
                cost = base + fix_cost
                if country_hint is not None and country_hint != fmt.country:
                    cost += FOREIGN_HINT_COST
                if hyphen and fmt.country == LT:
                    cost += LT_HYPHEN_COST
                elif not hyphen and fmt.country == LV:
                    cost += SEPARATOR_HINT_COST
                cost += MISPLACED_GAP_COST * len(gaps - _template_gaps(template))
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
