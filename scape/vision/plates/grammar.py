"""Lithuanian and Latvian plate grammars: they score and annotate a read, never cut it.

A format is written as a template: ``@`` is a letter of the country's alphabet,
``#`` any digit, ``!`` a digit other than 0, any other letter or digit is itself,
and a space or hyphen is a separator kept for display only. Matching is done on
the plate without separators.

The rules (issue 14), because a plate mangled into a national format can raise a
false hot-list alert on either side of the border:

- every letter and digit read is kept: no character is ever dropped or added to
  make a format fit, so a read that fits no LT/LV format is returned exactly as
  read, with no country;
- a look-alike (O/0, I/1, B/8, Z/2, G/6, S/5, ...) is corrected only where a
  national format then fits and the recogniser said it was unsure of that very
  character (its per-character confidence); text without confidences (a
  camera's own read, a typed plate) is never corrected;
- the fit weighs the separators read: a hyphen points to Latvia.
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
# A letter a national series never issues (Latvia: I, Q, W, X, Y; Lithuania:
# Q, W, X), read where the format wants a letter, is a misread of the letter
# it does issue that looks like it in DIN-style plate fonts. Also where a digit
# was read whose first look-alike letter the series does not issue (1 is I,
# else J). Used, like the tables above, only where the template forbids what
# was read.
TO_ISSUED_LETTER = {"I": "J", "Y": "V", "Q": "O"}

# Below this per-character confidence the recogniser counts as unsure of a
# character, and only then may a look-alike be corrected.
UNSURE_CONFIDENCE = 0.85
MAX_CORRECTIONS = 2
FOREIGN_HINT_COST = 1.5
SEPARATOR_HINT_COST = 0.6
# Lithuania never prints a hyphen, so a hyphen read clearly is evidence against
# a Lithuanian format (a Latvian hyphen is often lost in blur instead).
LT_HYPHEN_COST = 0.9
# Characters read between a plate's characters that are no misreading.
GAP_CHARS = " -.·:"


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

    @property
    def fits(self) -> bool:
        """Return whether the read fits a national (LT or LV) format."""
        return self.country is not None


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


def _gaps(template: str) -> frozenset[int]:
    """Return where ``template`` has a separator: before which of its characters."""
    out, k = set(), 0
    for c in template:
        if c in " -":
            out.add(k)
        else:
            k += 1
    return frozenset(out)


def look_alikes(ch: str, allowed: str) -> str | None:
    """Return the look-alike of ``ch`` that ``allowed`` holds, or None.

    A digit's look-alike letter, a letter's look-alike digit, or, for a letter
    (or the digit 1) where ``allowed`` holds letters but not the first look-alike,
    the letter the series issues instead (``TO_ISSUED_LETTER``: Latvia issues
    no I, so an unsure I or 1 where its letters are is a J).
    """
    alt = TO_LETTER.get(ch) if ch.isdigit() else TO_DIGIT.get(ch)
    if alt is not None and alt in allowed:
        return alt
    if ch.isdigit():
        issued = TO_ISSUED_LETTER.get(alt) if alt is not None else None
    else:
        issued = TO_ISSUED_LETTER.get(ch)
    if issued is not None and issued in allowed:
        return issued
    return None


def _fit(
    chars: str,
    template: str,
    letters: str,
    confs: Sequence[float] | None,
    unsure: float,
    gaps: frozenset[int] = frozenset(),
) -> tuple[str, int, float] | None:
    """Fit ``chars`` to ``template``; return the plate, its corrections and their cost.

    Only a character the recogniser was unsure of (confidence below ``unsure``)
    may be replaced by its look-alike; without ``confs`` nothing is replaced.
    No correction is made where a space or hyphen was read (``gaps``: before
    which characters) at a place the template has no separator: the layout
    read says it is another format. The plate returned always has exactly the
    characters' length.
    """
    slots = _slots(template)
    if len(slots) != len(chars):
        return None
    misplaced = bool(gaps - _gaps(template))
    out = []
    fixes = 0
    cost = 0.0
    digit_slots = sum(1 for s in slots if s in "#!" or s.isdigit())
    digit_fixes = 0
    for i, (ch, slot) in enumerate(zip(chars, slots, strict=True)):
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
        if confs is None or confs[i] >= unsure or misplaced:
            return None
        alt = look_alikes(ch, allowed)
        if alt is None:
            return None
        out.append(alt)
        fixes += 1
        cost += 0.5 + 0.5 * min(1.0, max(0.0, confs[i]))
        digit_fixes += alt.isdigit()
        if fixes > MAX_CORRECTIONS:
            return None
    # Most digits must have been read as digits: otherwise a word (a shop sign)
    # would become a plate through corrections alone.
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


def has_foreign_letter(raw: str) -> bool:
    """Return whether ``raw`` holds a letter that no LT/LV plate prints (Ė, Ī, Š, ...)."""
    return any(ch.isalpha() and not ("A" <= ch <= "Z") for ch in raw.upper())


def as_read(raw: str) -> str:
    """Return ``raw`` as shown for a read that fits no format: its characters, one gap each.

    Every letter and digit is kept in order; a run of other characters between
    two of them becomes one space or one hyphen (a hyphen if one was read).
    """
    chars, where = clean(raw)
    out = []
    for k, (ch, pos) in enumerate(zip(chars, where, strict=True)):
        if k:
            between = raw[where[k - 1] + 1 : pos]
            if "-" in between:
                out.append("-")
            elif between:
                out.append(" ")
        out.append(ch)
    return "".join(out)


def parse_plate(
    raw: str,
    hint: str | None = None,
    confidences: Sequence[float] | None = None,
    *,
    unsure: float = UNSURE_CONFIDENCE,
) -> ParsedPlate | None:
    """Score ``raw`` against the national formats; return None only if it holds no A-Z0-9.

    The plate returned has every letter and digit of ``raw`` (uppercased), in
    order: with the country and kind of the format it fits best, or with no
    country (kind ``unknown``) when it fits none. ``confidences`` are the
    recogniser's, one per character of ``raw``; a look-alike below ``unsure`` may
    be corrected where a format then fits (each correction is counted). ``hint``
    is the camera's country: a fit to the other country costs extra, but is
    still made.
    """
    chars, where = clean(raw)
    if not chars:
        return None
    if confidences is not None and len(confidences) != len(raw):
        confidences = None
    confs = [confidences[i] for i in where] if confidences is not None else None
    hyphen = "-" in raw
    # Where a space or hyphen was read: before which characters.
    gaps = frozenset(
        k for k in range(1, len(where)) if set(raw[where[k - 1] + 1 : where[k]]) & {" ", "-"}
    )
    best: tuple[tuple[int, float], ParsedPlate] | None = None
    # A letter outside A-Z (the Ī of "RĪGA 210") is on no LT/LV plate: fitting
    # the rest would make a plate of a sign by dropping it.
    formats_ = () if has_foreign_letter(raw) else FORMATS
    for fmt in formats_:
        for template in fmt.templates:
            fitted = _fit(chars, template, fmt.letters, confs, unsure, gaps)
            if fitted is None:
                continue
            plate, fixes, cost = fitted
            if hint is not None and hint != fmt.country:
                cost += FOREIGN_HINT_COST
            if hyphen and fmt.country == LT:
                cost += LT_HYPHEN_COST
            elif not hyphen and fmt.country == LV:
                cost += SEPARATOR_HINT_COST
            # A fit as read always beats a fit that needs a correction.
            key = (fixes, cost)
            if best is None or key < best[0]:
                parsed = ParsedPlate(
                    plate, display(plate, template), fmt.country, fmt.kind, fixes, cost,
                    tuple(where),
                )  # fmt: skip
                best = (key, parsed)
    if best is not None:
        return best[1]
    return ParsedPlate(chars, as_read(raw), None, "unknown", 0, 0.0, tuple(where))


def matches(plate: str, country: str, kind: str) -> bool:
    """Return whether ``plate`` (no separators) is valid for ``country`` and ``kind``."""
    return any(f.pattern.match(plate) for f in FORMATS if f.country == country and f.kind == kind)


def formats(country: str | None = None) -> Sequence[PlateFormat]:
    """Return the known formats, optionally of one country."""
    return [f for f in FORMATS if country is None or f.country == country]
