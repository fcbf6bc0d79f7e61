"""The reports app reads every other app through that app's queries.py only."""

from __future__ import annotations

import ast
from pathlib import Path

import scape

APPS = {"activities", "alerts", "directory", "equipment", "operations", "traffic", "vault"}
# Besides queries, an app's choices (labels of codes) may be read.
ALLOWED = {"queries", "choices"}
REPORTS = Path(scape.__file__).parent / "reports"


def _runtime_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """Return (line, module) of every import outside `if TYPE_CHECKING:` blocks."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            return
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found.extend((node.lineno, name) for name in names)
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_reports_import_other_apps_only_through_their_queries() -> None:
    wrong = []
    for path in sorted(REPORTS.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, name in _runtime_imports(ast.parse(path.read_text())):
            parts = [*name.split("."), "", ""]
            if parts[0] == "scape" and parts[1] in APPS and parts[2] not in ALLOWED:
                wrong.append(f"{path.relative_to(REPORTS)}:{line} {name}")
    assert wrong == []


def test_the_check_sees_a_model_import() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "from scape.vault.models import EvidenceItem\n"
        "if TYPE_CHECKING:\n    from scape.traffic.models import Hit\n"
        "def f():\n    from scape.operations import models\n"
    )
    names = [name for _line, name in _runtime_imports(tree)]
    assert "scape.vault.models.EvidenceItem" in names
    assert "scape.operations.models" in names
    assert "scape.traffic.models.Hit" not in names
