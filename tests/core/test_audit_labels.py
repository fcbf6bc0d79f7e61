"""Every action SCAPE records has a label in each language (the log reads as words)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.utils import translation

from scape.core.audit_labels import ACTION_LABELS, action_label

ROOT = Path(__file__).resolve().parents[2] / "scape"


def _recorded_codes() -> set[str]:
    """Return the action codes passed to audit.record / record_many anywhere in scape/."""
    codes: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            first = node.args[0] if node.args else None
            if (
                name == "record"
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                codes.add(first.value)
            if name == "record_many" and first is not None:
                for inner in ast.walk(first):
                    if (
                        isinstance(inner, ast.Tuple)
                        and inner.elts
                        and isinstance(inner.elts[0], ast.Constant)
                        and isinstance(inner.elts[0].value, str)
                    ):
                        codes.add(inner.elts[0].value)
    return codes


def test_every_recorded_action_has_a_label():
    codes = _recorded_codes()
    assert len(codes) > 50  # the scan finds the calls
    missing = sorted(code for code in codes if code not in ACTION_LABELS)
    assert not missing, f"add labels to scape/core/audit_labels.py for {missing}"


def test_labels_are_translated_and_unknown_codes_shown_as_they_are():
    with translation.override("en"):
        english = {code: str(label) for code, label in ACTION_LABELS.items()}
    for language in ("lt", "lv"):
        with translation.override(language):
            same = [code for code in ACTION_LABELS if action_label(code) == english[code]]
        assert not same, f"{language}: no translation for {same}"
    assert action_label("something.new") == "something.new"
