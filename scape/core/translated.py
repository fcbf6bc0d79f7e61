"""Fields kept once per language (name_lt, name_lv, name_en) read in the active language."""

from __future__ import annotations

from django.utils import translation


def in_language(obj: object, field: str, language: str | None = None) -> str:
    """Return `obj.<field>_<language>` (default: the active language), else the English one."""
    language = (language or translation.get_language() or "en")[:2]
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_en", "")
