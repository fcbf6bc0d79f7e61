"""Translation catalogs without GNU gettext: extract, update and compile in Python.

    python -m scape.core.i18n update    # add new strings to locale/*/django.po
    python -m scape.core.i18n compile   # build the .mo files (make install runs it)
    python -m scape.core.i18n check     # list strings missing a translation

Python strings are found by parsing the source (calls of gettext and friends);
template strings through Django's own template-to-gettext converter.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "scape"
LOCALE = ROOT / "locale"
LANGUAGES = ("lt", "lv", "en")
PLURAL_FORMS = {
    "lt": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "en": "nplurals=2; plural=(n != 1);",
}
_SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop", "_lazy"}
_PLURAL = {"ngettext", "ngettext_lazy"}
_CONTEXT = {"pgettext", "pgettext_lazy"}
_CONTEXT_PLURAL = {"npgettext", "npgettext_lazy"}
# The vision engines speak through the command line in English only by design
# (they are a library with no Django); their messages are not catalogued.
_SKIP_DIRS = {"migrations", "vision", "__pycache__"}


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str = ""
    context: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.context, self.msgid)


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _const(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _messages_from_calls(tree: ast.AST) -> Iterator[tuple[Message, int]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        args = [_const(a) for a in node.args]
        if name in _SINGULAR and args and args[0]:
            yield Message(args[0]), node.lineno
        elif name in _PLURAL and len(args) >= 2 and args[0] and args[1]:
            yield Message(args[0], plural=args[1]), node.lineno
        elif name in _CONTEXT and len(args) >= 2 and args[0] and args[1]:
            yield Message(args[1], context=args[0]), node.lineno
        elif name in _CONTEXT_PLURAL and len(args) >= 3 and args[0] and args[1] and args[2]:
            yield Message(args[1], plural=args[2], context=args[0]), node.lineno


def _python_messages(path: Path) -> Iterator[tuple[Message, int]]:
    yield from _messages_from_calls(ast.parse(path.read_text(encoding="utf-8"), str(path)))


_STRING = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_TEMPLATE_CALL = re.compile(
    r"\b(n?p?gettext)\(\s*(" + _STRING + r"(?:\s*,\s*" + _STRING + r")*)", re.S
)


def _template_messages(path: Path) -> Iterator[tuple[Message, int]]:
    from django.utils.translation.template import templatize

    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    # templatize turns each translatable string into a gettext(...) call amid
    # placeholder text that is not Python; pick out just the calls.
    for match in _TEMPLATE_CALL.finditer(code):
        literals = re.findall(_STRING, match.group(2), re.S)
        call = f"{match.group(1)}({', '.join(literals)})"
        line = code.count("\n", 0, match.start()) + 1
        try:
            tree = ast.parse(call)
        except SyntaxError:
            continue
        for message, _line in _messages_from_calls(tree):
            yield message, line


def extract() -> dict[tuple[str, str], tuple[Message, list[str]]]:
    """Return every translatable message of the project with where it occurs."""
    found: dict[tuple[str, str], tuple[Message, list[str]]] = {}

    def add(message: Message, where: str) -> None:
        entry = found.setdefault(message.key, (message, []))
        entry[1].append(where)

    for path in sorted(SOURCE.rglob("*")):
        if _SKIP_DIRS.intersection(path.relative_to(SOURCE).parts[:-1]):
            continue
        rel = path.relative_to(ROOT).as_posix()
        if path.suffix == ".py":
            for message, line in _python_messages(path):
                add(message, f"{rel}:{line}")
        elif path.suffix in (".html", ".txt") and "templates" in path.parts:
            for message, line in _template_messages(path):
                add(message, f"{rel}:{line}")
    return found


def _po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def _load(language: str) -> polib.POFile:
    path = _po_path(language)
    if path.exists():
        return polib.pofile(str(path), wrapwidth=100)
    po = polib.POFile(wrapwidth=100)
    po.metadata = {
        "Project-Id-Version": "SCAPE",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS[language],
    }
    return po


def update() -> dict[str, int]:
    """Add new messages to every catalog, drop vanished ones; return counts of missing."""
    import django

    django.setup()
    found = extract()
    missing: dict[str, int] = {}
    for language in LANGUAGES:
        po = _load(language)
        existing = {(e.msgctxt or "", e.msgid): e for e in po}
        for entry in list(po):
            if (entry.msgctxt or "", entry.msgid) not in found:
                po.remove(entry)
        for key, (message, where) in found.items():
            entry = existing.get(key)
            if entry is None:
                entry = polib.POEntry(
                    msgid=message.msgid, msgctxt=message.context or None, msgstr=""
                )
                if message.plural:
                    entry.msgid_plural = message.plural
                    entry.msgstr_plural = {0: "", 1: ""}
                    entry.msgstr = ""
                po.append(entry)
            entry.occurrences = [(w.rsplit(":", 1)[0], w.rsplit(":", 1)[1]) for w in where[:5]]
        po.sort(key=lambda e: (e.msgctxt or "", e.msgid))
        _po_path(language).parent.mkdir(parents=True, exist_ok=True)
        po.save(str(_po_path(language)))
        missing[language] = len(untranslated(language, po))
    return missing


def untranslated(language: str, po: polib.POFile | None = None) -> list[str]:
    """Return the msgids with no translation (English may leave msgstr empty)."""
    po = po or _load(language)
    if language == "en":
        return []
    result = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            result.append(entry.msgid)
        elif entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                result.append(entry.msgid)
        elif not entry.msgstr:
            result.append(entry.msgid)
    return result


def compile_all() -> None:
    """Write the .mo file beside every .po file."""
    for language in LANGUAGES:
        path = _po_path(language)
        if path.exists():
            polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


def main(argv: list[str]) -> int:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scape.settings")
    op = argv[0] if argv else "compile"
    if op == "compile":
        compile_all()
        return 0
    if op == "update":
        for language, count in update().items():
            print(f"{language}: {count} untranslated")
        compile_all()
        return 0
    if op == "check":
        bad = 0
        for language in LANGUAGES:
            for msgid in untranslated(language):
                print(f"{language}: {msgid!r}")
                bad += 1
        return 1 if bad else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
