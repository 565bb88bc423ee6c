"""A guard for the scope-comparison skip (crud/pull.py, crud/sequence.py).

A pull skips comparing a device's scope while no write to the scope index tables
(``case_index``, ``scope_link``) is newer than its last comparison. That is only sound if every
writer of those tables notes its sequence number (``sequence.note_scope_change``, or the
``_PG_WRITE_SCOPE`` statement that does the same in SQL). The tables are written only by
``crud/indexes.py``; this test reads the server's source and fails when a new writer appears
elsewhere, or when a function that calls ``indexes.refresh`` does not also note the change.
"""

from __future__ import annotations

import ast
from pathlib import Path

SERVER = Path(__file__).resolve().parents[2] / "app" / "server"
NOTES = {"note_scope_change", "_PG_WRITE_SCOPE"}
SCOPE_MODELS = {"CaseIndex", "Link"}


def _functions(tree: ast.AST) -> list[ast.FunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]


def _names(node: ast.AST) -> set[str]:
    out: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            out.add(n.id)
        elif isinstance(n, ast.Attribute):
            out.add(n.attr)
    return out


def _calls_refresh(fn: ast.FunctionDef) -> bool:
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "refresh"
        and isinstance(n.func.value, ast.Name)
        and n.func.value.id == "indexes"
        for n in ast.walk(fn)
    )


def scope_writers(root: Path = SERVER) -> tuple[list[str], list[str]]:
    """(functions calling indexes.refresh without noting the change, modules other than
    crud/indexes.py that write the scope index tables)."""
    unnoted: list[str] = []
    strangers: list[str] = []
    for path in sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        rel = path.relative_to(root).as_posix()
        for fn in _functions(tree):
            if _calls_refresh(fn) and not (_names(fn) & NOTES):
                unnoted.append(f"{rel}:{fn.name}")
        if rel in ("crud/indexes.py", "models.py") or rel.startswith("migrations"):
            continue
        for n in ast.walk(tree):
            # insert(CaseIndex...), delete(Link...), CaseIndex.__table__, SQL text on the tables
            if (
                isinstance(n, ast.Call)
                and isinstance(n.func, ast.Name)
                and n.func.id in ("insert", "delete", "update")
                and n.args
                and _names(n.args[0]) & SCOPE_MODELS
            ) or (
                isinstance(n, ast.Attribute)
                and n.attr == "__table__"
                and _names(n.value) & SCOPE_MODELS
            ):
                strangers.append(f"{rel}:{n.lineno}")
            if isinstance(n, ast.Constant) and isinstance(n.value, str):
                text = " ".join(n.value.lower().split())
                for table in ("case_index", "scope_link"):
                    writes = (f"insert into {table}", f"update {table}", f"delete from {table}")
                    if any(w in text for w in writes):
                        strangers.append(f"{rel}:{n.lineno}")
    return unnoted, sorted(set(strangers))


def test_every_scope_index_writer_notes_its_sequence_number() -> None:
    unnoted, strangers = scope_writers()
    assert unnoted == [], f"call indexes.refresh only with sequence.note_scope_change: {unnoted}"
    assert strangers == [], f"write case_index/scope_link only through crud/indexes.py: {strangers}"


def test_the_guard_sees_a_new_writer(tmp_path: Path) -> None:
    """The guard itself: a refresh without a note, and a direct write elsewhere, are found."""
    crud = tmp_path / "crud"
    crud.mkdir()
    (crud / "fix.py").write_text(
        "from app.server.crud import indexes\n"
        "from app.server.models import CaseIndex\n"
        "from sqlalchemy import delete\n"
        "def repair(session, rows):\n"
        "    indexes.refresh(session, rows)\n"
        "def purge(session):\n"
        "    session.execute(delete(CaseIndex))\n"
        "def raw(session):\n"
        "    session.execute('INSERT INTO scope_link (row_id) VALUES (1)')\n"
        "def fix(session):\n"
        "    session.execute('update case_index set district_id = null')\n"
        "def noted(session, rows, seq):\n"
        "    indexes.refresh(session, rows)\n"
        "    sequence.note_scope_change(session, seq)\n",
        encoding="utf-8",
    )
    unnoted, strangers = scope_writers(tmp_path)
    assert unnoted == ["crud/fix.py:repair"]
    assert strangers == ["crud/fix.py:11", "crud/fix.py:7", "crud/fix.py:9"]
