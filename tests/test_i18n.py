"""Every text a person reads goes through tr() with a literal key from the one message table: a key used but
missing, defined but unused, or built at run time fails here (keys are found by reading the code)."""

from __future__ import annotations

import ast
from pathlib import Path

from indicators.i18n import LABELS, LANGS

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    ROOT / "app.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "indicators").rglob("*.py")),
]


def _tr_calls() -> list[tuple[Path, int, ast.expr]]:
    calls = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                if name == "tr":
                    calls.append((path, node.lineno, node.args[0]))
    return calls


def test_every_key_is_a_literal_that_exists():
    problems = []
    for path, line, arg in _tr_calls():
        where = f"{path.relative_to(ROOT)}:{line}"
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            problems.append(f"{where}: key built at run time")
        elif arg.value not in LABELS:
            problems.append(f"{where}: {arg.value!r} is not in i18n.LABELS")
    assert problems == []


def test_every_key_is_used():
    used = {arg.value for _, _, arg in _tr_calls() if isinstance(arg, ast.Constant)}
    assert sorted(set(LABELS) - used) == []


def test_every_label_has_both_languages():
    assert LANGS == ("zh", "en")
    assert [k for k, (zh, en) in LABELS.items() if not zh.strip() or not en.strip()] == []
