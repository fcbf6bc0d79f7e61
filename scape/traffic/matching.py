"""Hot-list matching that forgives one look-alike character.

A camera that reads ``ABC 12O`` for ``ABC 120`` must still raise the alert:
a plate matches an entry when it is the same, or differs in exactly one place
where the two characters are a confusable pair.
"""

from __future__ import annotations

import re

# Pairs a plate camera confuses in the DIN plate font.
CONFUSABLE_PAIRS = (
    ("O", "0"), ("I", "1"), ("B", "8"), ("Z", "2"), ("G", "6"), ("S", "5"),
    ("D", "0"), ("Q", "0"),
)  # fmt: skip

_ALTERNATIVES: dict[str, frozenset[str]] = {}
for _a, _b in CONFUSABLE_PAIRS:
    _ALTERNATIVES[_a] = _ALTERNATIVES.get(_a, frozenset()) | {_b}
    _ALTERNATIVES[_b] = _ALTERNATIVES.get(_b, frozenset()) | {_a}

_NOT_PLATE = re.compile(r"[^A-Z0-9]")
# The longest plate stored or looked for (after normalise).
MAX_PLATE_CHARS = 12


def normalise(text: str) -> str:
    """Return the plate as matched: uppercase A-Z and 0-9 only."""
    return _NOT_PLATE.sub("", (text or "").upper())


def variants(plate: str) -> set[str]:
    """Return the plate and every plate one confusable substitution away from it."""
    out = {plate}
    for i, ch in enumerate(plate):
        for alt in _ALTERNATIVES.get(ch, ()):
            out.add(plate[:i] + alt + plate[i + 1 :])
    return out


def confusable_match(read: str, listed: str) -> bool:
    """Return whether `read` is `listed`, or one confusable character away from it."""
    if len(read) != len(listed):
        return False
    diffs = [(a, b) for a, b in zip(read, listed, strict=True) if a != b]
    if not diffs:
        return True
    if len(diffs) > 1:
        return False
    a, b = diffs[0]
    return b in _ALTERNATIVES.get(a, ())


def countries_agree(read_country: str | None, entry_country: str | None) -> bool:
    """Return whether the countries allow a match: they differ only when both are known."""
    return not read_country or not entry_country or read_country == entry_country


# A pattern as a witness remembers a plate: ? one character, * any run of them.
_NOT_PATTERN = re.compile(r"[^A-Z0-9?*]")
# Characters a pattern must fix, so that it cannot ask for every plate.
PATTERN_MIN_FIXED = 2


def normalise_pattern(text: str) -> str:
    """Return a plate pattern as matched: uppercase A-Z, 0-9, ? and * only."""
    return re.sub(r"\*+", "*", _NOT_PATTERN.sub("", (text or "").upper()))


def is_pattern(text: str) -> bool:
    """Return whether a (normalised) plate holds a wildcard."""
    return "?" in text or "*" in text


def pattern_regex(pattern: str) -> str:
    """Return the anchored regular expression a (normalised) plate pattern stands for."""
    body = "".join("." if c == "?" else ".*" if c == "*" else c for c in pattern)
    return f"^{body}$"
