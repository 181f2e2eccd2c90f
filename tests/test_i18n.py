"""Every text a person reads goes through tr() with a key from the one message table, written out in the
code: a key used but missing, defined but never written, or built at run time (an f-string or a
concatenation) fails here. Keys are found by reading the code: a key may be passed through a variable or a
literal mapping, but it is always written whole somewhere."""

from __future__ import annotations

import ast
from pathlib import Path

from indicators.i18n import LABELS, LANGS

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    ROOT / "app.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "web").glob("*.py")),
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


def _literals() -> set[str]:
    """Every string constant of the code, but for the keys of the LABELS table itself."""
    found = set()
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        table = [n for n in tree.body if isinstance(n, ast.AnnAssign) and ast.unparse(n.target) == "LABELS"]
        skip = {id(k) for n in table if isinstance(n.value, ast.Dict) for k in n.value.keys}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                found.add(node.value)
    return found


def test_no_key_is_built_at_run_time_and_every_literal_key_exists():
    problems = []
    for path, line, arg in _tr_calls():
        where = f"{path.relative_to(ROOT)}:{line}"
        if isinstance(arg, (ast.JoinedStr, ast.BinOp)):
            problems.append(f"{where}: key built at run time")
        elif isinstance(arg, ast.Constant) and arg.value not in LABELS:
            problems.append(f"{where}: {arg.value!r} is not in i18n.LABELS")
    assert problems == []


def test_every_key_is_written_somewhere():
    assert sorted(set(LABELS) - _literals()) == []


def test_every_label_has_both_languages():
    assert LANGS == ("zh", "en")
    assert [k for k, (zh, en) in LABELS.items() if not zh.strip() or not en.strip()] == []
