"""Refresh yorisoi_en.ts from the ``tr("日本語", "English")`` calls in ui/, then compile it.

    .venv/bin/python resources/translations/update_ts.py

Messages already translated in the .ts keep their translation (translators edit the .ts, e.g.
with pyside6-linguist); new messages get the English hint from the source; messages no longer
in the source are marked obsolete. Then ``pyside6-lrelease`` writes yorisoi_en.qm.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TS = HERE / "yorisoi_en.ts"
QM = HERE / "yorisoi_en.qm"
CONTEXT = "yorisoi"


def extract() -> dict[str, tuple[str, str]]:
    """source text -> (English hint, first location)."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted((ROOT / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "tr" or not node.args:
                continue
            args = [
                a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                for a in node.args[:2]
            ]
            if args[0] is None:
                continue
            en = args[1] if len(args) > 1 and args[1] is not None else ""
            found.setdefault(args[0], (en, f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"))
    return found


def existing() -> dict[str, str]:
    if not TS.exists():
        return {}
    out = {}
    for msg in ET.parse(TS).getroot().iter("message"):
        source = msg.findtext("source") or ""
        tr_el = msg.find("translation")
        if (
            tr_el is not None
            and tr_el.text
            and tr_el.get("type") not in ("unfinished", "obsolete", "vanished")
        ):
            out[source] = tr_el.text
    return out


def write(found: dict[str, tuple[str, str]], done: dict[str, str]) -> tuple[int, int]:
    root = ET.Element("TS", version="2.1", language="en_US", sourcelanguage="ja_JP")
    ctx = ET.SubElement(root, "context")
    ET.SubElement(ctx, "name").text = CONTEXT
    missing = 0
    for source, (hint, where) in sorted(found.items(), key=lambda kv: kv[1][1]):
        msg = ET.SubElement(ctx, "message")
        file, line = where.rsplit(":", 1)
        ET.SubElement(msg, "location", filename="../../" + file, line=line)
        ET.SubElement(msg, "source").text = source
        text = done.get(source) or hint
        t = ET.SubElement(msg, "translation")
        if text:
            t.text = text
        else:
            t.set("type", "unfinished")
            missing += 1
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    TS.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )
    return len(found), missing


def compile_qm() -> None:
    tool = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    subprocess.run([tool, str(TS), "-qm", str(QM)], check=True)


def main() -> int:
    total, missing = write(extract(), existing())
    compile_qm()
    print(f"{total} messages, {missing} without an English text")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
